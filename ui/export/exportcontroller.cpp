// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export/exportcontroller.h"

#include "audio/soundfontlocator.h"
#include "audio/wavrender.h"
#include "core/error.h"
#include "score/playback.h"
#include "score/smfconvert.h"
#include "ui/document/scoredocument.h"
#include "ui/errorbox.h"
#include "ui/playback/playbackcontroller.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDrag>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QMouseEvent>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolButton>
#include <QUrl>

#include <functional>

namespace continuo::ui {

namespace {

std::filesystem::path fsPath(const QString &path) { return std::filesystem::path(path.toStdString()); }

class DragHandle : public QLabel
{
public:
    DragHandle(std::function<QString()> writeFile, QWidget *parent)
        : QLabel(parent), m_writeFile(std::move(writeFile))
    {
        setText(QStringLiteral("\u2630 ") + ExportController::tr("Drag MIDI"));
        setToolTip(ExportController::tr("Drag the shown result into a DAW or a file manager as a MIDI file"));
        setCursor(Qt::OpenHandCursor);
        setObjectName(QStringLiteral("dragHandle"));
        setMargin(4);
    }

protected:
    void mousePressEvent(QMouseEvent *event) override { m_pressPos = event->position().toPoint(); }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (!(event->buttons() & Qt::LeftButton)
            || (event->position().toPoint() - m_pressPos).manhattanLength()
                   < QApplication::startDragDistance())
            return;
        const QString path = m_writeFile();
        if (path.isEmpty())
            return;
        auto *mime = new QMimeData;
        mime->setUrls({ QUrl::fromLocalFile(path) });
        auto *drag = new QDrag(this);
        drag->setMimeData(mime);
        drag->exec(Qt::CopyAction);
    }

private:
    std::function<QString()> m_writeFile;
    QPoint m_pressPos;
};

} // namespace

ExportController::ExportController(ScoreDocument *document, PlaybackController *playback,
                                   QWidget *dialogParent)
    : QObject(dialogParent), m_document(document), m_playback(playback), m_dialogParent(dialogParent)
{
    m_exportMidiAction = new QAction(tr("Export &MIDI\u2026"), this);
    m_exportMidiAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportMidiAction, &QAction::triggered, this, [this] {
        const QString path = askPath(tr("Export MIDI"), tr("MIDI files (*.mid)"), QStringLiteral(".mid"));
        if (!path.isEmpty())
            exportMidi(path);
    });
    m_exportWavAction = new QAction(tr("Export &WAV\u2026"), this);
    m_exportWavAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(m_exportWavAction, &QAction::triggered, this, [this] {
        const QString path = askPath(tr("Export WAV"), tr("WAV audio (*.wav)"), QStringLiteral(".wav"));
        if (!path.isEmpty())
            exportWav(path);
    });
    m_dragHandle = new DragHandle([this] { return writeDragFile(); }, dialogParent);

    m_renderProgress = new QProgressBar;
    m_renderProgress->setRange(0, 1000);
    m_renderProgress->setMaximumWidth(200);
    m_renderProgress->setFormat(tr("Rendering %p%"));
    m_renderCancel = new QToolButton;
    m_renderCancel->setText(tr("Cancel"));
    connect(m_renderCancel, &QToolButton::clicked, this, &ExportController::cancelRender);
    setRenderProgress(false);
}

ExportController::~ExportController() { m_renderRunner.cancel(); }

void ExportController::addToStatusBar(QStatusBar *bar)
{
    bar->addPermanentWidget(m_renderProgress);
    bar->addPermanentWidget(m_renderCancel);
}

void ExportController::updateActions(bool hasResult)
{
    m_exportMidiAction->setEnabled(hasResult);
    m_exportWavAction->setEnabled(hasResult && !isRendering());
    m_dragHandle->setEnabled(hasResult);
}

void ExportController::setRenderProgress(bool visible)
{
    m_rendering = visible;
    m_renderProgress->setVisible(visible);
    m_renderCancel->setVisible(visible);
    m_renderProgress->setValue(0);
}

void ExportController::cancelRender()
{
    if (isRendering())
        m_renderRunner.cancel();
}

QString ExportController::askPath(const QString &title, const QString &filter, const QString &suffix)
{
    QSettings settings;
    QString path = QFileDialog::getSaveFileName(
        m_dialogParent, title, settings.value(QStringLiteral("folders/export")).toString(), filter);
    if (path.isEmpty())
        return {};
    settings.setValue(QStringLiteral("folders/export"), QFileInfo(path).absolutePath());
    if (!path.endsWith(suffix, Qt::CaseInsensitive))
        path += suffix;
    return path;
}

bool ExportController::exportMidi(const QString &path)
{
    try {
        saveScoreFile(m_document->displayed(), fsPath(path));
    } catch (const Error &error) {
        Q_EMIT failed(tr("The MIDI file could not be written."), errorDetail(error));
        return false;
    }
    Q_EMIT statusMessage(tr("Exported %1").arg(path), 0);
    return true;
}

bool ExportController::exportWav(const QString &path)
{
    if (isRendering() || m_document->displayed().notes.empty())
        return false;
    RenderOptions options;
    options.playback = m_playback->playbackOptions();
    try {
        options.soundFont = findSoundFont(m_playback->soundFont().toStdString());
    } catch (const Error &error) {
        Q_EMIT failed(tr("No SoundFont was found to render with."), errorDetail(error));
        return false;
    }
    JobCallbacks<RenderResult> callbacks;
    callbacks.progress = [this](std::int64_t done, std::int64_t total, const std::string &) {
        if (total > 0)
            m_renderProgress->setValue(int(1000 * done / total));
    };
    callbacks.finished = [this, path](RenderResult result) {
        setRenderProgress(false);
        Q_EMIT renderingChanged();
        Q_EMIT statusMessage(tr("Exported %1 (%2 s of audio)").arg(path).arg(result.audioSec, 0, 'f', 1), 0);
        Q_EMIT renderFinished(path);
    };
    callbacks.cancelled = [this] {
        setRenderProgress(false);
        Q_EMIT renderingChanged();
        Q_EMIT statusMessage(tr("Export cancelled; nothing was written."), 0);
    };
    callbacks.failed = [this](const JobFailure &failure) {
        setRenderProgress(false);
        Q_EMIT renderingChanged();
        Q_EMIT failed(tr("The WAV file could not be rendered."), errorDetail(failure));
    };
    setRenderProgress(true);
    m_renderRunner.start<RenderResult>(
        [score = m_document->displayed(), out = fsPath(path), options](JobContext &context) {
            return renderScoreToWav(score, out, options, context);
        },
        std::move(callbacks));
    Q_EMIT renderingChanged();
    Q_EMIT statusMessage(tr("Rendering %1\u2026").arg(path), 0);
    return true;
}

QString ExportController::writeDragFile()
{
    if (m_document->displayed().notes.empty())
        return {};
    const QDir dir(QDir::temp().filePath(QStringLiteral("continuo-drag")));
    if (!dir.mkpath(QStringLiteral(".")))
        return {};
    QString name = QFileInfo(m_document->seedTitle()).completeBaseName();
    if (name.isEmpty())
        name = QStringLiteral("continuo");
    if (m_document->current() >= 0)
        name += QStringLiteral("-variation-%1").arg(m_document->current() + 1);
    const QString path = dir.filePath(name + QStringLiteral(".mid"));
    try {
        saveScoreFile(m_document->displayed(), fsPath(path));
    } catch (const Error &error) {
        Q_EMIT failed(tr("The MIDI file to drag could not be written."), errorDetail(error));
        return {};
    }
    return path;
}

} // namespace continuo::ui
