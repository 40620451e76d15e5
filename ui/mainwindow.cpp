// SPDX-License-Identifier: GPL-3.0-or-later
// Main window: seed file and variations on the piano roll, generation, playback and export on jobs.
#include "ui/mainwindow.h"

#include "core/error.h"
#include "core/resources.h"
#include "midiio/midiports.h"
#include "nn/model.h"
#include "score/playback.h"
#include "ui/document/scoredocument.h"
#include "ui/errorbox.h"
#include "ui/export/exportcontroller.h"
#include "ui/generate/generationcontroller.h"
#include "ui/generate/modelcontroller.h"
#include "ui/generatepanel.h"
#include "ui/insight/evaluationdialog.h"
#include "ui/insight/insightpanel.h"
#include "ui/jobs/queuedjobrunner.h"
#include "ui/playback/playbackcontroller.h"
#include "ui/seed/seedcontroller.h"
#include "ui/train/traindialog.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QKeySequence>
#include <QLoggingCategory>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QUrl>

Q_LOGGING_CATEGORY(lcMainWindow, "continuo.ui.mainwindow")

namespace continuo::ui {

namespace {

QString qs(const std::string &text) { return QString::fromStdString(text); }

/// What the roll draws for the seed file: every part in the seed colour.
Score seedColoured(Score score)
{
    for (Note &note : score.notes)
        note.part = 0;
    return score;
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Continuo"));
    setAcceptDrops(true);
    resize(1280, 800);
    m_document = new ScoreDocument(this);

    m_roll = new PianoRollView(this);
    m_roll->setPartRole(kSeedPart, NoteRole::Seed);
    m_roll->setPartRole(kContinuationPart, NoteRole::Generated);
    m_roll->setFollowPlayhead(true);
    setCentralWidget(m_roll);
    connect(m_roll, &PianoRollView::selectionChanged, this, [this] { updateActions(); });

    m_panel = new GeneratePanel;
    QDockWidget *dock = addPanelDock(m_panel, tr("Generate"), QStringLiteral("generateDock"));
    dock->setMinimumWidth(
        m_panel->sizeHint().width()
        + static_cast<QScrollArea *>(dock->widget())->verticalScrollBar()->sizeHint().width());
    createInsightDock(dock);

    connect(this, &MainWindow::trainRequested, this, &MainWindow::openTrainDialog);
    connect(m_panel, &GeneratePanel::variationClicked, this,
            [this](int row) { m_document->choose(m_document->hasSeedFile() ? row - 1 : row); });
    connectDocument();

    m_playback = new PlaybackController(m_document, m_roll, this);
    connect(m_playback, &PlaybackController::availabilityChanged, this, &MainWindow::updateActions);
    connect(m_playback, &PlaybackController::statusMessage, this, &MainWindow::showStatus);
    m_export = new ExportController(m_document, m_playback, this);
    connect(m_export, &ExportController::statusMessage, this, &MainWindow::showStatus);
    connect(m_export, &ExportController::failed, this, &MainWindow::showError);
    connect(m_export, &ExportController::renderingChanged, this, &MainWindow::updateActions);
    connect(m_export, &ExportController::renderFinished, this, &MainWindow::renderFinished);
    m_seeds = new SeedController(m_document, m_playback, this);
    connect(m_seeds, &SeedController::statusMessage, this, &MainWindow::showStatus);
    connect(m_seeds, &SeedController::failed, this, &MainWindow::showError);
    m_models = new ModelController(m_panel, this);
    connect(m_models, &ModelController::statusMessage, this, &MainWindow::showStatus);
    connect(m_models, &ModelController::failed, this, &MainWindow::showError);
    connect(m_models, &ModelController::stateChanged, this, &MainWindow::updateActions);
    connect(m_models, &ModelController::indexLoaded, m_insight, &InsightPanel::setModelIndex);
    connect(m_panel, &GeneratePanel::openModelRequested, m_models, &ModelController::chooseModelFile);
    m_generation = new GenerationController(m_document, m_models, m_panel, m_roll, m_playback, this);
    connect(m_generation, &GenerationController::statusMessage, this, &MainWindow::showStatus);
    connect(m_generation, &GenerationController::failed, this, &MainWindow::showError);
    connect(m_generation, &GenerationController::stateChanged, this, &MainWindow::updateActions);
    connect(m_generation, &GenerationController::finished, this, &MainWindow::generationFinished);
    connect(m_panel, &GeneratePanel::generateRequested, m_generation, &GenerationController::generate);
    connect(m_panel, &GeneratePanel::stopRequested, m_generation, &GenerationController::stop);
    connect(m_panel, &GeneratePanel::continueRequested, m_generation,
            &GenerationController::continueFromHere);
    connect(m_panel, &GeneratePanel::regenerateRequested, m_generation,
            &GenerationController::regenerateSelection);

    createActions();
    createMenus();
    createTransport();
    createStatusBar();
    restoreSettings();
    updateActions();
}

MainWindow::~MainWindow() { }

QUndoStack *MainWindow::undoStack() const { return m_document->undoStack(); }
const Score &MainWindow::displayedScore() const { return m_document->displayed(); }
int MainWindow::variationCount() const { return m_document->variationCount(); }
int MainWindow::currentVariation() const { return m_document->current(); }

// --- Actions, menus, toolbar, status bar ---------------------------------------------------------

void MainWindow::createActions()
{
    m_generateAction = new QAction(tr("&Generate"), this);
    m_generateAction->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::Key_G), QKeySequence(Qt::CTRL | Qt::Key_Return) });
    connect(m_generateAction, &QAction::triggered, this, &MainWindow::generate);
    m_stopAction = new QAction(tr("&Stop Generating"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopGeneration);
    m_continueAction = new QAction(tr("&Continue from Here"), this);
    m_continueAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_G));
    connect(m_continueAction, &QAction::triggered, this, &MainWindow::continueFromHere);
    m_regenerateAction = new QAction(tr("&Regenerate Selection"), this);
    m_regenerateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    connect(m_regenerateAction, &QAction::triggered, this, &MainWindow::regenerateSelection);

    m_undoAction = undoStack()->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = undoStack()->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y) });
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_seeds->addToFileMenu(file);
    file->addSeparator();
    file->addAction(tr("Open Mo&del\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), m_models,
                    &ModelController::chooseModelFile);
    file->addAction(tr("&Train\u2026"), QKeySequence(Qt::CTRL | Qt::Key_T), this,
                    &MainWindow::trainRequested);
    file->addAction(tr("E&valuate Model\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), this,
                    &MainWindow::openEvaluationDialog);
    file->addSeparator();
    file->addAction(m_export->exportMidiAction());
    file->addAction(m_export->exportWavAction());
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    edit->addAction(tr("Select &Whole Piece"), QKeySequence::SelectAll, this, [this] {
        const TickRange before = m_roll->selection();
        const TickRange after { 0, m_document->displayed().endTick };
        if (before != after)
            m_document->editSelection(before, after);
    });

    QMenu *generate = menuBar()->addMenu(tr("&Generate"));
    generate->addAction(m_generateAction);
    generate->addAction(m_stopAction);
    generate->addAction(m_continueAction);
    generate->addAction(m_regenerateAction);

    QMenu *playback = menuBar()->addMenu(tr("&Playback"));
    playback->addAction(m_playback->playAction());
    playback->addAction(m_playback->loopAction());
    playback->addAction(m_playback->followAction());
    playback->addSeparator();
    playback->addAction(tr("&SoundFont\u2026"), this, [this] { m_playback->chooseSoundFont(this); });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Fit to Window"), QKeySequence(Qt::CTRL | Qt::Key_0), m_roll,
                    &PianoRollView::fitToWindow);
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, m_roll, &PianoRollView::zoomIn);
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, m_roll, &PianoRollView::zoomOut);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Continuo"), this, [this] {
        QMessageBox::about(this, tr("About Continuo"),
                           tr("Continuo %1\nA composer assistant for music students.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::createTransport()
{
    QToolBar *bar = addToolBar(tr("Transport"));
    bar->setObjectName(QStringLiteral("transport"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_playback->addToToolBar(bar);
    bar->addSeparator();
    auto *generateButton = new QToolButton;
    generateButton->setDefaultAction(m_generateAction);
    bar->addWidget(generateButton);
    auto *spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(m_export->dragHandle());
}

void MainWindow::createStatusBar()
{
    m_export->addToStatusBar(statusBar());
    statusBar()->showMessage(tr("Open a MIDI file (Ctrl+O) or drop one here to pick a seed."));
}

void MainWindow::updateActions()
{
    const bool generating = isGenerating();
    const bool hasSeed = m_document->hasSeed();
    QString whyNot;
    if (!m_models->isLoaded())
        whyNot = !m_models->isLoading()
                   ? tr("No model yet: train one (File > Train) or open one (Open\u2026).")
                   : tr("The model is loading\u2026");
    else if (!hasSeed)
        whyNot = tr("Open a MIDI file or pick a random seed first.");
    const bool canGenerate = whyNot.isEmpty();
    m_panel->setCanGenerate(canGenerate, whyNot);
    m_panel->setCanContinue(m_document->current() >= 0);
    m_panel->setGenerating(generating);
    m_generateAction->setEnabled(canGenerate && !generating);
    m_generateAction->setToolTip(canGenerate ? tr("Generate a continuation (Ctrl+G)") : whyNot);
    m_continueAction->setEnabled(canGenerate && !generating && m_document->current() >= 0);
    const QString whyNotRegenerate = regenerateWhyNot();
    m_panel->setCanRegenerate(whyNotRegenerate.isEmpty(), whyNotRegenerate);
    m_regenerateAction->setEnabled(canGenerate && !generating && whyNotRegenerate.isEmpty());
    m_stopAction->setEnabled(generating);
    const bool hasResult = !m_document->displayed().notes.empty();
    m_export->updateActions(hasResult);
    m_playback->updateActions(hasResult);
}

// --- Settings -----------------------------------------------------------------------------------

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_playback->restoreSettings(settings);
    for (const std::filesystem::path &model : bundledModels())
        m_panel->addModel(qs(model.string()), false);
    m_panel->restoreSettings(settings);
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_playback->saveSettings(settings);
    m_panel->saveSettings(settings);
}

PlaybackOptions MainWindow::playbackOptions() const { return m_playback->playbackOptions(); }

void MainWindow::setInstrument(int program) { m_playback->setInstrument(program); }

void MainWindow::setSoundFont(const QString &path) { m_playback->setSoundFont(path); }

void MainWindow::openAtStartup(const QString &file)
{
    const QString lastFile = QSettings().value(QStringLiteral("recentFiles")).toStringList().value(0);
    if (m_panel->currentModel().isEmpty()) {
        try {
            addModel(qs(defaultModelPath().string()));
        } catch (const Error &) {
            // No bundled model: the Generate button says to train or open one.
        }
    }
    if (!file.isEmpty()) {
        openMidiFile(file);
        return;
    }
    // The file opened last, as it was left; on a first run, or when it is gone, the first bundled seed.
    if (QFileInfo::exists(lastFile) && openMidiFile(lastFile))
        return;
    for (const std::filesystem::path &folder : resourceFolders("seeds")) {
        const QDir seeds(qs(folder.string()));
        const QStringList files =
            seeds.entryList({ QStringLiteral("*.mid"), QStringLiteral("*.midi") }, QDir::Files, QDir::Name);
        if (!files.isEmpty()) {
            openMidiFile(seeds.filePath(files.front()));
            return;
        }
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    stopPlayback();
    m_export->cancelRender();
    m_seeds->cancel();
    m_generation->stop();
    event->accept();
}

// --- Seed ---------------------------------------------------------------------------------------

bool MainWindow::openMidiFile(const QString &path) { return m_seeds->openMidiFile(path); }

void MainWindow::randomSeedFromFolder(const QString &folder) { m_seeds->randomSeedFromFolder(folder); }

bool MainWindow::startRecording(const MidiPortChoice &choice) { return m_seeds->startRecording(choice); }

bool MainWindow::stopRecording() { return m_seeds->stopRecording(); }

bool MainWindow::isRecording() const { return m_seeds->isRecording(); }

std::size_t MainWindow::recordedMessageCount() const { return m_seeds->recordedMessageCount(); }

void MainWindow::connectDocument()
{
    connect(m_document, &ScoreDocument::shownChanged, this, &MainWindow::showDocumentRow);
    connect(m_document, &ScoreDocument::displayedGrew, this, [this] {
        m_roll->setScore(m_document->displayed());
        m_roll->fitToWindow();
    });
    connect(m_document, &ScoreDocument::selectionRestored, m_roll, &PianoRollView::setSelection);
    connect(m_document, &ScoreDocument::seedFileChanged, this, [this](const QString &title) {
        m_roll->fitToWindow();
        setWindowTitle(tr("%1 \u2014 Continuo").arg(title));
    });
    connect(m_document, &ScoreDocument::rowsChanged, this,
            [this] { m_panel->setVariationCount(m_document->variationCount(), m_document->hasSeedFile()); });
    connect(m_roll, &PianoRollView::selectionEdited, m_document, &ScoreDocument::editSelection);
}

// --- Models -------------------------------------------------------------------------------------

QDockWidget *MainWindow::addPanelDock(QWidget *panel, const QString &title, const QString &objectName)
{
    auto *scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

void MainWindow::createInsightDock(QDockWidget *besides)
{
    m_insight = new InsightPanel;
    tabifyDockWidget(besides, addPanelDock(m_insight, tr("Insight"), QStringLiteral("insightDock")));
    besides->raise();

    // What the analysis finds is drawn on the roll; note indices refer to the displayed score.
    connect(m_insight, &InsightPanel::memorizedRangeChanged, this,
            [this](std::int64_t start, std::int64_t end) {
                m_roll->setHighlightRange({ start, end });
            });
    connect(m_insight, &InsightPanel::outOfKeyNotesChanged, this, [this](const QList<int> &indices) {
        std::vector<MarkedNote> marked;
        for (int i : indices)
            if (i >= 0 && std::size_t(i) < m_document->displayed().notes.size()) {
                const Note &note = m_document->displayed().notes[std::size_t(i)];
                marked.push_back({ note.pitch, note.startTick, note.endTick });
            }
        m_roll->setMarkedNotes(std::move(marked));
    });
    connect(m_insight, &InsightPanel::chordLabelsChanged, this, [this](const QList<ChordMark> &chords) {
        std::vector<RollLabel> labels;
        for (const ChordMark &chord : chords)
            labels.push_back({ chord.startTick, chord.endTick, chord.name });
        m_roll->setLabels(std::move(labels));
    });
    connect(m_insight, &InsightPanel::memorizationWarningChanged, this, [this](bool shown) {
        if (shown)
            statusBar()->showMessage(tr("This variation copies a passage of a training file (see Insight)."),
                                     8000);
    });
}

void MainWindow::openTrainDialog()
{
    // One non-modal dialog for the window's lifetime, so a running training keeps its curves.
    if (!m_trainDialog) {
        m_trainDialog = new TrainDialog(this);
        connect(m_trainDialog, &TrainDialog::modelTrained, this, [this](const QString &path) {
            addModel(path);
            statusBar()->showMessage(
                tr("Trained %1: it is now in the model list.").arg(QFileInfo(path).fileName()), 8000);
        });
    }
    m_trainDialog->show();
    m_trainDialog->raise();
    m_trainDialog->activateWindow();
}

void MainWindow::openEvaluationDialog()
{
    // One non-modal dialog for the window's lifetime, so a running evaluation keeps going when hidden.
    if (!m_evaluationDialog)
        m_evaluationDialog = new EvaluationDialog(this);
    if (!m_evaluationDialog->isBusy() && !m_panel->currentModel().isEmpty()
        && m_evaluationDialog->modelPath() != QDir::toNativeSeparators(m_panel->currentModel()))
        m_evaluationDialog->setModelPath(m_panel->currentModel());
    m_evaluationDialog->show();
    m_evaluationDialog->raise();
    m_evaluationDialog->activateWindow();
}

// --- Generation ---------------------------------------------------------------------------------

void MainWindow::addModel(const QString &path) { m_models->addModel(path); }

bool MainWindow::isModelLoaded() const { return m_models->isLoaded(); }

bool MainWindow::isGenerating() const { return m_generation->isGenerating(); }

void MainWindow::generate() { m_generation->generate(); }

void MainWindow::continueFromHere() { m_generation->continueFromHere(); }

void MainWindow::regenerateSelection() { m_generation->regenerateSelection(); }

QString MainWindow::regenerateWhyNot() const
{
    if (m_models->isLoaded() && m_models->model()->spec().representation != Representation::Compound)
        return tr("Only a compound model (such as default-compound) can regenerate a selection.");
    if (m_roll->selection().isEmpty())
        return tr("Select the bars to regenerate: drag on the roll or the ruler.");
    return {};
}

void MainWindow::stopGeneration() { m_generation->stop(); }

void MainWindow::showVariation(int variation) { m_document->choose(variation); }

void MainWindow::showDocumentRow(int variation, bool wasSeedFile)
{
    stopPlayback();
    const Score &shown = m_document->displayed();
    if (variation < 0) {
        m_roll->setScore(seedColoured(shown));
        m_roll->setSelection(m_document->seedSelection());
        m_insight->clear();
    } else {
        m_roll->setScore(shown);
        if (wasSeedFile)
            m_roll->clearSelection();
        m_insight->setGeneration(shown);
    }
    m_panel->setCurrentVariationRow(m_document->hasSeedFile() ? variation + 1 : variation);
    updateActions();
}

// --- Playback -----------------------------------------------------------------------------------

void MainWindow::togglePlayback() { m_playback->toggle(); }

bool MainWindow::isPlaying() const { return m_playback->isPlaying(); }

void MainWindow::stopPlayback() { m_playback->stop(); }

QAction *MainWindow::playAction() const { return m_playback->playAction(); }

// --- Export -------------------------------------------------------------------------------------

bool MainWindow::exportMidi(const QString &path) { return m_export->exportMidi(path); }

bool MainWindow::exportWav(const QString &path) { return m_export->exportWav(path); }

bool MainWindow::isRendering() const { return m_export->isRendering(); }

void MainWindow::cancelRender() { m_export->cancelRender(); }

QString MainWindow::writeDragFile() { return m_export->writeDragFile(); }

// --- Drag and drop in, errors -------------------------------------------------------------------

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile() && isMidiFileName(urls.front().toLocalFile()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile()) {
        event->acceptProposedAction();
        openMidiFile(urls.front().toLocalFile());
    }
}

void MainWindow::showStatus(const QString &text, int timeoutMs)
{
    if (text.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(text, timeoutMs);
}

void MainWindow::showError(const QString &message, const QString &detail)
{
    Q_EMIT errorShown(message, detail);
    if (m_errorDialogs)
        showErrorBox(this, message, detail);
    else
        qCWarning(lcMainWindow) << message << detail;
}

} // namespace continuo::ui
