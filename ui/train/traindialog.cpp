// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/train/traindialog.h"

#include "core/error.h"
#include "core/paths.h"
#include "data/corpusscan.h"
#include "nn/computeinfo.h"
#include "train/evaluation.h"
#include "train/metricsjson.h"
#include "ui/errorbox.h"
#include "ui/jobs/queuedjobrunner.h"
#include "ui/train/startmodelchooser.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLoggingCategory>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

Q_LOGGING_CATEGORY(lcTrain, "continuo.ui.train")

namespace continuo::ui {

namespace {

const char *const kCorpusKey = "train/corpusFolder";
const char *const kModelsKey = "train/modelsFolder";

QString fromPath(const std::filesystem::path &path) { return QString::fromStdString(path.string()); }

std::string toPath(const QString &path) { return QDir::cleanPath(path).toStdString(); }

CorpusReport makeReport(const CorpusScan &scan)
{
    CorpusReport report;
    report.folder = fromPath(scan.folder);
    for (const CorpusFile &file : scan.files) {
        CorpusReportRow row;
        row.file = fromPath(file.path.lexically_relative(scan.folder));
        if (row.file.isEmpty() || row.file.startsWith(QLatin1String("..")))
            row.file = fromPath(file.path);
        row.usable = file.status == CorpusFileStatus::Usable;
        row.status = QString::fromUtf8(corpusFileStatusText(file.status));
        row.problem = QString::fromStdString(file.problem);
        const QString prefix = fromPath(file.path) + QLatin1String(": "); // the table names the file
        if (row.problem.startsWith(prefix))
            row.problem = row.problem.mid(prefix.size());
        (row.usable ? report.usable : report.skipped)++;
        report.rows.push_back(std::move(row));
    }
    // The skipped files first, where their reasons are seen without scrolling.
    std::stable_partition(report.rows.begin(), report.rows.end(),
                          [](const CorpusReportRow &row) { return !row.usable; });
    return report;
}

/// The engine's name of a head (headNames), or "head N" when the representation has no such head.
QString headName(Representation representation, std::size_t head, std::size_t heads)
{
    const std::vector<std::string> names = headNames(representation);
    if (names.size() == heads)
        return QObject::tr(names[head].c_str());
    return QObject::tr("head %1").arg(head + 1);
}

QString formatDuration(double seconds)
{
    const qint64 s = qint64(std::lround(std::max(0.0, seconds)));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QValueAxis *axis(QChart *chart, Qt::Orientation orientation)
{
    const auto axes = chart->axes(orientation);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis *>(axes.first());
}

/// Integer ticks on the epoch axis, about ten at most.
void fitEpochAxis(QChart *chart, int epochs)
{
    QValueAxis *x = axis(chart, Qt::Horizontal);
    const int last = std::max(2, epochs);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(1);
    x->setTickInterval(std::max(1, (last - 1 + 9) / 10));
    x->setRange(1, last);
}

QChart *makeChart(const QString &title, const QString &yTitle)
{
    auto *chart = new QChart;
    chart->setTheme(QChart::ChartThemeDark);
    chart->setTitle(title);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto *x = new QValueAxis;
    x->setTitleText(QObject::tr("epoch"));
    x->setLabelFormat(QStringLiteral("%d"));
    auto *y = new QValueAxis;
    y->setTitleText(yTitle);
    y->setRange(0, 1);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    fitEpochAxis(chart, 2);
    return chart;
}

QLineSeries *addSeries(QChart *chart, const QString &name)
{
    auto *series = new QLineSeries;
    series->setName(name);
    series->setPointsVisible(true);
    chart->addSeries(series);
    for (QAbstractAxis *axis : chart->axes())
        series->attachAxis(axis);
    return series;
}

QSpinBox *spinBox(int minimum, int maximum, int value, const QString &name)
{
    auto *box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setObjectName(name);
    return box;
}

} // namespace

TrainDialog::TrainDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Train a Model"));
    setModal(false);
    setSizeGripEnabled(true);

    m_settings = new QWidget;
    auto *settingsLayout = new QVBoxLayout(m_settings);
    settingsLayout->setContentsMargins(0, 0, 0, 0);
    settingsLayout->addWidget(createModelGroup());
    settingsLayout->addWidget(createAdvancedGroup());
    settingsLayout->addStretch(1);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(createCorpusGroup(), 1);
    leftLayout->addWidget(m_settings);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(createChartsAndProgress());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    m_trainButton = new QPushButton(tr("&Train"));
    m_trainButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_resumeButton = new QPushButton(tr("&Resume"));
    auto *resumeMenu = new QMenu(m_resumeButton);
    QAction *resumeCancelled = resumeMenu->addAction(tr("Resume the Cancelled Run"));
    resumeMenu->addAction(tr("Resume from a Checkpoint…"), this, &TrainDialog::chooseResumeCheckpoint);
    connect(resumeMenu, &QMenu::aboutToShow, this,
            [this, resumeCancelled] { resumeCancelled->setEnabled(!m_resumable.isEmpty()); });
    connect(resumeCancelled, &QAction::triggered, this, &TrainDialog::resumeCancelledRun);
    m_resumeButton->setMenu(resumeMenu);
    m_curvesButton = new QPushButton(tr("Open Curves…"));
    auto *closeButton = new QPushButton(tr("Close"));
    connect(m_trainButton, &QPushButton::clicked, this, &TrainDialog::train);
    connect(m_cancelButton, &QPushButton::clicked, this, &TrainDialog::cancel);
    connect(m_curvesButton, &QPushButton::clicked, this, &TrainDialog::chooseCurvesCheckpoint);
    connect(closeButton, &QPushButton::clicked, this, &TrainDialog::close);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_curvesButton);
    buttons->addStretch(1);
    buttons->addWidget(m_resumeButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_trainButton);
    buttons->addWidget(closeButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addLayout(buttons);

    QSettings settings;
    m_corpusEdit->setText(settings.value(QLatin1String(kCorpusKey)).toString());
    const QString models =
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QLatin1String("/models");
    m_outputFolder->setText(settings.value(QLatin1String(kModelsKey), models).toString());
    resize(1180, 760);
    updateButtons();
}

TrainDialog::~TrainDialog()
{
    // Both at once; each runner then waits for its job as it is destroyed (a training run stops
    // after its current batch and keeps its last good checkpoint).
    m_trainRunner.cancel();
    m_scanRunner.cancel();
}

QWidget *TrainDialog::createCorpusGroup()
{
    auto *group = new QGroupBox(tr("Corpus"));
    m_corpusEdit = new QLineEdit;
    m_corpusEdit->setObjectName(QStringLiteral("corpusFolder"));
    m_corpusEdit->setPlaceholderText(tr("A folder of MIDI files (searched recursively)"));
    m_corpusBrowse = new QPushButton(tr("Browse…"));
    m_scanButton = new QPushButton(tr("&Scan"));
    connect(m_corpusBrowse, &QPushButton::clicked, this, &TrainDialog::chooseCorpusFolder);
    connect(m_scanButton, &QPushButton::clicked, this, &TrainDialog::scan);
    connect(m_corpusEdit, &QLineEdit::returnPressed, this, &TrainDialog::scan);

    m_summary = new QLabel(tr("Scan the folder to see which files can be used."));
    m_summary->setWordWrap(true);
    m_report = new QTableWidget(0, 2);
    m_report->setObjectName(QStringLiteral("scanReport"));
    m_report->setHorizontalHeaderLabels({ tr("File"), tr("Status") });
    m_report->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_report->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_report->verticalHeader()->hide();
    m_report->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_report->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_report->setWordWrap(false);
    m_report->verticalHeader()->setDefaultSectionSize(m_report->fontMetrics().height() + 6);
    m_report->setMinimumHeight(120);

    auto *row = new QHBoxLayout;
    row->addWidget(m_corpusEdit, 1);
    row->addWidget(m_corpusBrowse);
    row->addWidget(m_scanButton);
    auto *layout = new QVBoxLayout(group);
    layout->addLayout(row);
    layout->addWidget(m_summary);
    layout->addWidget(m_report, 1);
    return group;
}

QWidget *TrainDialog::createModelGroup()
{
    auto *group = new QGroupBox(tr("Model"));
    m_startFrom = new StartModelChooser;
    connect(m_startFrom, &StartModelChooser::modelPathChanged, this, &TrainDialog::onStartModelChanged);
    m_representation = new QComboBox;
    m_representation->setObjectName(QStringLiteral("representation"));
    m_representation->addItem(tr("Performance (timed note events, dynamics)"),
                              int(Representation::Performance));
    m_representation->addItem(tr("Notes (chords on a grid)"), int(Representation::Notes));
    m_representation->addItem(tr("Compound (one step per note: time, pitch, duration, velocity)"),
                              int(Representation::Compound));
    m_architecture = new QComboBox;
    m_architecture->setObjectName(QStringLiteral("architecture"));
    m_architecture->addItem(tr("LSTM"), int(Architecture::Lstm));
    m_architecture->addItem(tr("Transformer (attends to the whole seed)"), int(Architecture::Transformer));
    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("preset"));
    m_preset->addItem(tr("Tiny (tests)"), QStringLiteral("tiny"));
    m_preset->addItem(tr("Small (CPU)"), QStringLiteral("small"));
    m_preset->addItem(tr("Medium (GPU)"), QStringLiteral("medium"));
    m_preset->addItem(tr("Baseline (logistic regression)"), QStringLiteral("baseline"));
    m_preset->setCurrentIndex(1);
    m_outputFolder = new QLineEdit;
    m_outputFolder->setObjectName(QStringLiteral("outputFolder"));
    auto *browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, &TrainDialog::chooseOutputFolder);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_outputFolder, 1);
    folderRow->addWidget(browse);
    m_modelName = new QLineEdit;
    m_modelName->setObjectName(QStringLiteral("modelName"));
    m_modelName->setPlaceholderText(tr("named after the corpus folder"));

    auto *form = new QFormLayout(group);
    form->addRow(tr("Start from:"), m_startFrom);
    form->addRow(tr("Representation:"), m_representation);
    form->addRow(tr("Network:"), m_architecture);
    form->addRow(tr("Size:"), m_preset);
    form->addRow(tr("Save in:"), folderRow);
    form->addRow(tr("Name:"), m_modelName);
    return group;
}

QWidget *TrainDialog::createAdvancedGroup()
{
    const TrainOptions defaults;
    m_epochs = spinBox(1, 100000, defaults.epochs, QStringLiteral("epochs"));
    m_sequenceLength = spinBox(2, 100000, defaults.sequenceLength, QStringLiteral("sequenceLength"));
    m_batch = spinBox(1, 4096, defaults.batchSize, QStringLiteral("batchSize"));
    m_learningRate = new QDoubleSpinBox;
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_learningRate->setDecimals(5);
    m_learningRate->setRange(0.00001, 1.0);
    m_learningRate->setSingleStep(0.0001);
    m_learningRate->setValue(defaults.learningRate);
    m_validation = new QDoubleSpinBox;
    m_validation->setObjectName(QStringLiteral("validationShare"));
    m_validation->setRange(0.01, 0.9);
    m_validation->setSingleStep(0.05);
    m_validation->setValue(TrainingDataOptions().validationFraction);
    m_transpose = spinBox(0, 12, defaults.maxTranspose, QStringLiteral("transpose"));
    m_transpose->setSuffix(tr(" semitones"));
    m_stepsPerEpoch = spinBox(0, 1000000, defaults.stepsPerEpoch, QStringLiteral("stepsPerEpoch"));
    m_stepsPerEpoch->setSpecialValueText(tr("one pass over the data"));
    m_patience = spinBox(0, 1000, defaults.patience, QStringLiteral("patience"));
    m_patience->setSpecialValueText(tr("never stop early"));
    m_seed = spinBox(0, std::numeric_limits<int>::max(), int(defaults.seed), QStringLiteral("seed"));
    m_device = new QComboBox;
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("Automatic (CUDA when available)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA"), QStringLiteral("cuda"));

    m_advanced = new QWidget;
    auto *form = new QFormLayout(m_advanced);
    form->setContentsMargins(12, 0, 0, 0);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("Sequence length:"), m_sequenceLength);
    form->addRow(tr("Batch size:"), m_batch);
    form->addRow(tr("Learning rate:"), m_learningRate);
    form->addRow(tr("Validation share:"), m_validation);
    form->addRow(tr("Transposition:"), m_transpose);
    form->addRow(tr("Batches per epoch:"), m_stepsPerEpoch);
    form->addRow(tr("Early stop after:"), m_patience);
    form->addRow(tr("Random seed:"), m_seed);
    form->addRow(tr("Device:"), m_device);
    m_advanced->setVisible(false);

    m_advancedToggle = new QToolButton;
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("Advanced settings"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool open) {
        m_advancedToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_advanced->setVisible(open);
    });

    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_advancedToggle);
    layout->addWidget(m_advanced);
    return box;
}

QWidget *TrainDialog::createChartsAndProgress()
{
    m_lossChart = makeChart(tr("Loss"), tr("nats per step"));
    m_trainLoss = addSeries(m_lossChart, tr("training"));
    m_validLoss = addSeries(m_lossChart, tr("validation"));
    // The piano roll's colours: blue for what the model learns from, orange for what it is tested on.
    m_trainLoss->setColor(QColor(0x4c, 0x9b, 0xff));
    m_validLoss->setColor(QColor(0xff, 0x9a, 0x3c));
    m_accuracyChart = makeChart(tr("Validation accuracy (top-1)"), tr("%"));
    axis(m_accuracyChart, Qt::Vertical)->setRange(0, 100);
    auto *lossView = new QChartView(m_lossChart);
    auto *accuracyView = new QChartView(m_accuracyChart);
    for (QChartView *view : { lossView, accuracyView }) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setFrameShape(QFrame::NoFrame);
        view->setBackgroundBrush(view->chart()->backgroundBrush());
        view->setMinimumSize(360, 220);
    }

    m_progress = new QProgressBar;
    setProgress(0, 1);
    m_stage = new QLabel(tr("Idle"));
    m_rate = new QLabel;
    m_rate->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setMinimumHeight(m_status->fontMetrics().lineSpacing() * 2);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *stageRow = new QHBoxLayout;
    stageRow->addWidget(m_stage, 1);
    stageRow->addWidget(m_rate);

    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(lossView, 1);
    layout->addWidget(accuracyView, 1);
    layout->addWidget(m_progress);
    layout->addLayout(stageRow);
    layout->addWidget(m_status);
    return panel;
}

TrainingRunOptions TrainDialog::runOptions() const
{
    TrainingRunOptions o;
    o.corpus = toPath(corpusFolder());
    o.out = toPath(outputPath());
    o.init = m_startFrom->modelPath().isEmpty() ? std::string() : toPath(m_startFrom->modelPath());
    o.preset = m_preset->currentData().toString().toStdString();
    o.data.representation = Representation(m_representation->currentData().toInt());
    o.architecture = Architecture(m_architecture->currentData().toInt());
    o.data.validationFraction = m_validation->value();
    o.train.epochs = m_epochs->value();
    o.train.sequenceLength = m_sequenceLength->value();
    o.train.batchSize = m_batch->value();
    o.train.learningRate = m_learningRate->value();
    o.train.maxTranspose = m_transpose->value();
    o.train.stepsPerEpoch = m_stepsPerEpoch->value();
    o.train.patience = m_patience->value();
    o.train.seed = std::uint64_t(m_seed->value());
    o.train.device = m_device->currentData().toString().toStdString();
    return o;
}

void TrainDialog::setRunOptions(const TrainingRunOptions &o)
{
    if (!o.corpus.empty())
        setCorpusFolder(QString::fromStdString(o.corpus));
    if (!o.out.empty()) {
        const QFileInfo out(QString::fromStdString(o.out));
        m_outputFolder->setText(QDir::toNativeSeparators(out.absolutePath()));
        QString name = out.fileName();
        if (name.endsWith(QLatin1String(".ckpt")))
            name.chop(5);
        m_modelName->setText(name);
    }
    m_startFrom->setModelPath(QString::fromStdString(o.init)); // a model to start from sets the network
    if (o.init.empty())
        setNetwork(o);
    setTrainingSettings(o);
}

void TrainDialog::setNetwork(const TrainingRunOptions &o)
{
    if (const int index = m_preset->findData(QString::fromStdString(o.preset)); index >= 0)
        m_preset->setCurrentIndex(index);
    if (const int index = m_representation->findData(int(o.data.representation)); index >= 0)
        m_representation->setCurrentIndex(index);
    if (const int index = m_architecture->findData(int(o.architecture)); index >= 0)
        m_architecture->setCurrentIndex(index);
}

void TrainDialog::setTrainingSettings(const TrainingRunOptions &o)
{
    if (const int index = m_device->findData(QString::fromStdString(o.train.device)); index >= 0)
        m_device->setCurrentIndex(index);
    m_validation->setValue(o.data.validationFraction);
    m_epochs->setValue(o.train.epochs);
    m_sequenceLength->setValue(o.train.sequenceLength);
    m_batch->setValue(o.train.batchSize);
    m_learningRate->setValue(o.train.learningRate);
    m_transpose->setValue(o.train.maxTranspose);
    m_stepsPerEpoch->setValue(o.train.stepsPerEpoch);
    m_patience->setValue(o.train.patience);
    m_seed->setValue(int(std::min<std::uint64_t>(o.train.seed, std::numeric_limits<int>::max())));
}

void TrainDialog::onStartModelChanged(const QString &path)
{
    TrainingRunOptions o = path.isEmpty() ? TrainingRunOptions() : fineTuningDefaults();
    o.init = path.isEmpty() ? std::string() : toPath(path);
    o.preset = m_preset->currentData().toString().toStdString();
    o.data.representation = Representation(m_representation->currentData().toInt());
    o.architecture = Architecture(m_architecture->currentData().toInt());
    if (!path.isEmpty()) {
        try {
            const ModelSpec spec = Model::readSpec(o.init);
            o.data.representation = spec.representation;
            o.architecture = spec.architecture;
        } catch (const Error &e) {
            m_startFrom->setModelPath(QString());
            showError(tr("This model cannot be fine-tuned."), QString::fromStdString(e.what()));
            return;
        }
    }
    o.train.device = m_device->currentData().toString().toStdString();
    o.train.seed = std::uint64_t(m_seed->value());
    setNetwork(o);
    setTrainingSettings(o);
    for (QWidget *own : { static_cast<QWidget *>(m_representation), static_cast<QWidget *>(m_architecture),
                          static_cast<QWidget *>(m_preset) })
        own->setEnabled(path.isEmpty());
}

QString TrainDialog::corpusFolder() const { return m_corpusEdit->text().trimmed(); }

void TrainDialog::setCorpusFolder(const QString &folder)
{
    m_corpusEdit->setText(QDir::toNativeSeparators(folder));
}

QString TrainDialog::outputPath() const
{
    QString name = m_modelName->text().trimmed();
    if (name.isEmpty())
        name = QFileInfo(QDir::cleanPath(corpusFolder())).fileName();
    if (name.isEmpty())
        name = QStringLiteral("model");
    if (!name.endsWith(QLatin1String(".ckpt")))
        name += QLatin1String(".ckpt");
    return QDir(m_outputFolder->text().trimmed()).filePath(name);
}

bool TrainDialog::isScanning() const { return m_scanning; }

bool TrainDialog::isTraining() const { return m_training; }

QString TrainDialog::statusText() const { return m_status->text(); }

QString TrainDialog::scanSummary() const { return m_summary->text(); }

void TrainDialog::showError(const QString &message, const QString &details)
{
    Q_EMIT errorOccurred(message, details);
    showErrorBox(this, message, details);
}

bool TrainDialog::confirmOverwrite(const QString &checkpointPath)
{
    const QFileInfo info(checkpointPath);
    return QMessageBox::question(
               this, windowTitle(),
               tr("A model called %1 already exists in %2. Replace it?")
                   .arg(info.completeBaseName(), QDir::toNativeSeparators(info.absolutePath())))
        == QMessageBox::Yes;
}

void TrainDialog::setStatus(const QString &text) { m_status->setText(text); }

void TrainDialog::updateButtons()
{
    const bool training = m_training, scanning = m_scanning;
    m_settings->setEnabled(!training);
    m_corpusEdit->setEnabled(!training);
    m_corpusBrowse->setEnabled(!training);
    m_scanButton->setEnabled(!training && !scanning);
    m_trainButton->setEnabled(!training);
    m_resumeButton->setEnabled(!training);
    m_curvesButton->setEnabled(!training && !scanning);
    m_cancelButton->setEnabled(training || scanning);
}

void TrainDialog::rememberFolders()
{
    QSettings settings;
    settings.setValue(QLatin1String(kCorpusKey), corpusFolder());
    settings.setValue(QLatin1String(kModelsKey), m_outputFolder->text().trimmed());
}

void TrainDialog::chooseCorpusFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Corpus Folder"), corpusFolder());
    if (folder.isEmpty())
        return;
    setCorpusFolder(folder);
    scan();
}

void TrainDialog::chooseOutputFolder()
{
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Save Models In"), m_outputFolder->text());
    if (!folder.isEmpty())
        m_outputFolder->setText(QDir::toNativeSeparators(folder));
}

void TrainDialog::chooseResumeCheckpoint()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Resume Training"), m_outputFolder->text(),
                                     tr("Training checkpoints (*.last.ckpt);;Models (*.ckpt)"));
    if (!path.isEmpty())
        resumeFrom(path);
}

void TrainDialog::chooseCurvesCheckpoint()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Training Curves"),
                                                      m_outputFolder->text(), tr("Models (*.ckpt)"));
    if (!path.isEmpty())
        openCurves(path);
}

bool TrainDialog::checkCorpusFolder()
{
    const QString folder = corpusFolder();
    if (!folder.isEmpty() && QFileInfo(folder).isDir())
        return true;
    showError(tr("Choose a folder of MIDI files to train on."),
              folder.isEmpty() ? tr("No folder was given.") : tr("Not a folder: %1").arg(folder));
    return false;
}

void TrainDialog::setProgress(std::int64_t done, std::int64_t total)
{
    m_progress->setRange(0, total > 0 ? int(std::min<std::int64_t>(total, INT_MAX)) : 0);
    m_progress->setValue(int(std::min<std::int64_t>(done, INT_MAX)));
}

void TrainDialog::scan()
{
    if (m_scanning || m_training || !checkCorpusFolder())
        return;
    const QString folder = corpusFolder();
    rememberFolders();
    m_report->setRowCount(0);
    m_summary->setText(tr("Scanning…"));
    m_stage->setText(tr("Scanning %1").arg(QDir::toNativeSeparators(folder)));
    m_rate->clear();
    m_progress->setRange(0, 0);
    const std::filesystem::path path = toPath(folder);
    JobCallbacks<CorpusReport> callbacks;
    callbacks.progress = [this](std::int64_t done, std::int64_t total, const std::string &stage) {
        setProgress(done, total);
        m_stage->setText(QString::fromStdString(stage));
    };
    callbacks.finished = [this](CorpusReport report) {
        m_scanning = false;
        setProgress(1, 1);
        m_stage->setText(tr("Scan finished"));
        showReport(report);
        updateButtons();
        if (report.rows.empty())
            showError(tr("The folder holds no MIDI files."),
                      tr("No .mid, .midi, .kar or .rmi file was found under %1.").arg(report.folder));
        else if (report.usable == 0)
            showError(tr("None of the MIDI files in this folder can be used for training."),
                      tr("%n file(s) skipped; the report lists why.", nullptr, report.skipped));
        Q_EMIT scanFinished(report.usable, report.skipped);
    };
    callbacks.cancelled = [this] {
        m_scanning = false;
        setProgress(0, 1);
        m_stage->setText(tr("Scan cancelled"));
        m_summary->setText(tr("The scan was cancelled."));
        updateButtons();
    };
    callbacks.failed = [this](const JobFailure &failure) {
        m_scanning = false;
        setProgress(0, 1);
        m_stage->setText(tr("Scan failed"));
        m_summary->setText(tr("The folder could not be scanned."));
        updateButtons();
        showError(QString::fromStdString(failure.message), QString::fromStdString(failure.detail));
    };
    m_scanning = true;
    m_scanRunner.start<CorpusReport>(
        [path](JobContext &context) { return makeReport(scanCorpus(path, context)); }, std::move(callbacks));
    updateButtons();
}

void TrainDialog::showReport(const CorpusReport &report)
{
    m_report->setSortingEnabled(false);
    m_report->setRowCount(int(report.rows.size()));
    const QColor skippedColour(230, 150, 60);
    for (int i = 0; i < int(report.rows.size()); ++i) {
        const CorpusReportRow &row = report.rows[std::size_t(i)];
        auto *file = new QTableWidgetItem(row.file);
        file->setToolTip(QDir(report.folder).filePath(row.file));
        const QString statusText =
            row.usable ? tr("usable")
                       : tr("skipped: %1").arg(row.problem.isEmpty() ? row.status : row.problem);
        auto *status = new QTableWidgetItem(statusText);
        status->setToolTip(row.problem.isEmpty() ? row.status : row.problem);
        if (!row.usable) {
            file->setForeground(skippedColour);
            status->setForeground(skippedColour);
        }
        m_report->setItem(i, 0, file);
        m_report->setItem(i, 1, status);
    }
    m_summary->setText((report.usable == 1 ? tr("1 file usable") : tr("%1 files usable").arg(report.usable))
                       + tr(", %1 skipped").arg(report.skipped));
}

void TrainDialog::clearCurves()
{
    m_trainLoss->clear();
    m_validLoss->clear();
    for (QLineSeries *series : m_accuracy) {
        m_accuracyChart->removeSeries(series);
        delete series;
    }
    m_accuracy.clear();
    m_maxLoss = 0.0;
    m_epochsShown = 0;
    fitEpochAxis(m_lossChart, 2);
    fitEpochAxis(m_accuracyChart, 2);
    axis(m_lossChart, Qt::Vertical)->setRange(0, 1);
}

void TrainDialog::addEpoch(const EpochMetrics &m)
{
    if (m_accuracy.empty())
        for (std::size_t h = 0; h < m.heads.size(); ++h)
            m_accuracy.push_back(
                addSeries(m_accuracyChart, headName(m_representationShown, h, m.heads.size())));
    m_trainLoss->append(m.epoch, m.trainLoss);
    m_validLoss->append(m.epoch, m.validLoss);
    for (std::size_t h = 0; h < m.heads.size() && h < m_accuracy.size(); ++h)
        m_accuracy[h]->append(m.epoch, 100.0 * m.heads[h].top1);
    for (const double loss : { m.trainLoss, m.validLoss })
        if (std::isfinite(loss))
            m_maxLoss = std::max(m_maxLoss, loss);
    m_epochsShown = std::max(m_epochsShown, m.epoch);
    const int axisEpochs = std::max(m_epochsShown, m_running.train.epochs);
    fitEpochAxis(m_lossChart, axisEpochs);
    fitEpochAxis(m_accuracyChart, axisEpochs);
    QValueAxis *y = axis(m_lossChart, Qt::Vertical);
    y->setRange(0, m_maxLoss > 0 ? m_maxLoss * 1.1 : 1.0);
    y->applyNiceNumbers();
}

void TrainDialog::train()
{
    if (m_training || !checkCorpusFolder())
        return;
    const QString outFolder = m_outputFolder->text().trimmed();
    if (outFolder.isEmpty() || !QDir().mkpath(outFolder)) {
        showError(tr("Choose a folder to save the model in."),
                  outFolder.isEmpty() ? tr("No folder was given.") : tr("Cannot create %1").arg(outFolder));
        return;
    }
    const QString out = outputPath();
    if (QFileInfo::exists(out) && !confirmOverwrite(out))
        return;
    rememberFolders();
    startTraining(runOptions());
}

void TrainDialog::resumeCancelledRun()
{
    if (m_resumable.isEmpty()) {
        showError(tr("There is no cancelled run to resume."),
                  tr("Choose a NAME.last.ckpt with \"Resume from a Checkpoint…\" instead."));
        return;
    }
    resumeFrom(m_resumable);
}

void TrainDialog::resumeFrom(const QString &lastCheckpoint)
{
    if (m_training)
        return;
    if (!QFileInfo(lastCheckpoint).isFile()) {
        showError(tr("The checkpoint to resume from does not exist."), lastCheckpoint);
        return;
    }
    TrainingRunOptions o;
    o.resume = toPath(lastCheckpoint);
    o.out = bestCheckpointPath(o.resume).string(); // known now, should the run be cancelled while loading
    o.train.epochs = m_epochs->value();
    o.train.device = m_device->currentData().toString().toStdString();
    startTraining(o);
}

void TrainDialog::startTraining(const TrainingRunOptions &options)
{
    if (m_scanning) {
        m_scanRunner.cancel();
        m_scanning = false;
    }
    m_running = options;
    m_running.data.cacheDir = defaultTokenCacheDir();
    m_bestPath = QString::fromStdString(options.out);
    m_lastPath = options.out.empty() ? QString() : fromPath(lastCheckpointPath(options.out));
    m_resumable.clear();
    m_representationShown = options.data.representation;
    m_firstDone = -1;
    clearCurves();
    m_progress->setRange(0, 0);
    m_stage->setText(options.resume.empty() ? tr("Preparing the corpus") : tr("Loading the checkpoint"));
    m_rate->clear();
    setStatus(QString());

    const QPointer<TrainDialog> self(this);
    const auto post = [self](auto call) {
        if (self)
            QMetaObject::invokeMethod(self.data(), std::move(call), Qt::QueuedConnection);
    };
    TrainingRunHooks hooks;
    hooks.prepared = [this, post](const TrainingRunOptions &settings, const TrainingData &data,
                                  const Model &model, const std::vector<EpochMetrics> &history,
                                  bool corpusChanged) {
        CorpusReport report = makeReport(data.scan);
        std::string device = settings.train.device;
        if (device == "auto")
            device = computeInfo().cudaAvailable ? "cuda" : "cpu";
        QString text = QString::fromStdString(device).toUpper();
        if (corpusChanged)
            text += tr("; the corpus has changed since this model was trained");
        const qint64 parameters = qint64(model.parameterCount());
        post([this, settings, report, history, text, parameters] {
            onPrepared(settings, report, history, text, parameters);
        });
    };
    hooks.start = [this, post](const EpochMetrics &metrics) {
        post([this, metrics] {
            setStatus(tr("Before fine-tuning: validation loss %1; an epoch is kept only when it does better.")
                          .arg(metrics.validLoss, 0, 'f', 3));
        });
    };
    hooks.epoch = [this, post](const EpochMetrics &metrics) {
        post([this, metrics] {
            addEpoch(metrics);
            Q_EMIT epochFinished(metrics.epoch);
        });
    };

    JobCallbacks<TrainingRunResult> callbacks;
    callbacks.progress = [this](std::int64_t done, std::int64_t total, const std::string &stage) {
        onTrainingProgress(done, total, QString::fromStdString(stage));
    };
    callbacks.finished = [this](TrainingRunResult run) { onTrainingFinished(run); };
    callbacks.cancelled = [this] { onTrainingCancelled(); };
    callbacks.failed = [this](const JobFailure &failure) {
        m_training = false;
        setProgress(0, 1);
        m_stage->setText(tr("Training failed"));
        m_rate->clear();
        setStatus(QString::fromStdString(failure.message));
        updateButtons();
        showError(QString::fromStdString(failure.message), QString::fromStdString(failure.detail));
    };
    const TrainingRunOptions run = m_running;
    m_training = true;
    m_trainRunner.start<TrainingRunResult>(
        [run, hooks](JobContext &context) { return runTraining(run, context, hooks); }, std::move(callbacks));
    qCInfo(lcTrain) << "training started:" << m_bestPath << (options.resume.empty() ? "" : "resuming")
                    << QString::fromStdString(options.resume);
    updateButtons();
    Q_EMIT trainingStarted();
}

void TrainDialog::onPrepared(const TrainingRunOptions &settings, const CorpusReport &report,
                             const std::vector<EpochMetrics> &history, const QString &device,
                             qint64 parameters)
{
    m_running.train.epochs = settings.train.epochs;
    m_running.train.batchSize = settings.train.batchSize;
    m_running.train.sequenceLength = settings.train.sequenceLength;
    m_bestPath = QString::fromStdString(settings.out);
    m_lastPath = fromPath(lastCheckpointPath(settings.out));
    if (!settings.resume.empty()) {
        const int epochs = m_epochs->value();
        setRunOptions(settings); // show the resumed run's settings
        m_epochs->setValue(epochs);
    }
    m_representationShown = settings.data.representation;
    showReport(report);
    clearCurves();
    for (const EpochMetrics &metrics : history)
        addEpoch(metrics);
    setStatus(tr("Training a %1 %2 model (%3 parameters) on %4%5.")
                  .arg(QString::fromStdString(settings.preset),
                       QString::fromLatin1(representationName(m_representationShown)))
                  .arg(QLocale().toString(parameters))
                  .arg(device)
                  .arg(history.empty() ? QString() : tr(", resuming after epoch %1").arg(history.size())));
}

void TrainDialog::onTrainingProgress(std::int64_t done, std::int64_t total, const QString &stage)
{
    setProgress(done, total);
    m_stage->setText(stage);
    if (!stage.startsWith(QLatin1String("Epoch")) || total <= 0)
        return;
    if (m_firstDone < 0) {
        m_firstDone = done;
        m_trainClock.start();
        return;
    }
    const double seconds = double(m_trainClock.elapsed()) / 1000.0;
    const std::int64_t batches = done - m_firstDone;
    if (batches <= 0 || seconds <= 0.0)
        return;
    const double perBatch = seconds / double(batches);
    const double tokensPerSecond =
        double(batches) * m_running.train.batchSize * m_running.train.sequenceLength / seconds;
    m_rate->setText(tr("ETA %1 · %2 tokens/s")
                        .arg(formatDuration(perBatch * double(total - done)))
                        .arg(QLocale().toString(tokensPerSecond, 'f', 0)));
}

void TrainDialog::onTrainingFinished(const TrainingRunResult &run)
{
    m_training = false;
    setProgress(1, 1);
    m_stage->setText(tr("Training finished"));
    m_bestPath = fromPath(run.bestPath);
    m_lastPath = fromPath(run.lastPath);
    const TrainResult &r = run.train;
    if (r.history.size() > run.resumedEpochs)
        m_rate->setText(tr("%1 tokens/s").arg(QLocale().toString(r.history.back().tokensPerSec, 'f', 0)));
    QString text = tr("Finished on %1: best epoch %2%3. The model is saved as %4.")
                       .arg(QString::fromStdString(r.device).toUpper())
                       .arg(r.bestEpoch)
                       .arg(r.stoppedEarly ? tr(" (stopped early)") : QString())
                       .arg(QDir::toNativeSeparators(m_bestPath));
    if (run.replays)
        text += QLatin1Char(' ') + replaysText(*run.replays);
    setStatus(text);
    qCInfo(lcTrain) << text;
    if (run.replays && run.replays->mostlyReplays())
        showError(tr("The fine-tuned model mostly plays back the pieces it was tuned on."),
                  replaysText(*run.replays));
    updateButtons();
    Q_EMIT modelTrained(m_bestPath);
}

QString TrainDialog::replaysText(const ReplayCheck &check)
{
    QString text = tr("%1 of %2 continuations of seeds from these pieces replay one of them")
                       .arg(check.replays)
                       .arg(check.continuations);
    if (check.longestCopy > 0)
        text += tr(" (the longest shared run: %1 distinct notes of %2, bar %3)")
                    .arg(check.longestCopy)
                    .arg(QString::fromStdString(check.file))
                    .arg(check.bar);
    text += QLatin1Char('.');
    if (check.mostlyReplays())
        text += tr(" Tune it for fewer epochs, with a smaller learning rate, or on more pieces.");
    return text;
}

void TrainDialog::onTrainingCancelled()
{
    m_training = false;
    setProgress(0, 1);
    m_stage->setText(tr("Training cancelled"));
    m_rate->clear();
    const bool kept = !m_bestPath.isEmpty() && QFileInfo(m_bestPath).isFile();
    m_resumable = !m_lastPath.isEmpty() && QFileInfo(m_lastPath).isFile() ? m_lastPath : QString();
    if (kept)
        setStatus(tr("Cancelled. The best checkpoint so far is kept: %1.%2")
                      .arg(QDir::toNativeSeparators(m_bestPath))
                      .arg(m_resumable.isEmpty() ? QString() : tr(" Resume goes on from where it stopped.")));
    else
        setStatus(tr("Cancelled before the first epoch ended; no checkpoint was written."));
    updateButtons();
    Q_EMIT trainingCancelled(kept ? m_bestPath : QString());
}

void TrainDialog::cancel()
{
    m_scanRunner.cancel();
    m_trainRunner.cancel();
    if (m_training)
        m_stage->setText(tr("Cancelling after this batch…"));
}

void TrainDialog::openCurves(const QString &checkpointPath)
{
    if (m_scanning || m_training)
        return;
    struct Curves
    {
        std::vector<EpochMetrics> history;
        Representation representation = Representation::Performance;
        QString from; ///< the file the curves came from, when not the one asked for
    };
    JobCallbacks<Curves> callbacks;
    callbacks.finished = [this, checkpointPath](Curves curves) {
        m_scanning = false;
        m_running = TrainingRunOptions();
        m_representationShown = curves.representation;
        clearCurves();
        for (const EpochMetrics &metrics : curves.history)
            addEpoch(metrics);
        m_stage->setText(tr("Curves of %1").arg(QFileInfo(checkpointPath).fileName()));
        int best = 0;
        for (const EpochMetrics &metrics : curves.history)
            if (metrics.isBest)
                best = metrics.epoch;
        const QString source = QDir::toNativeSeparators(curves.from.isEmpty() ? checkpointPath : curves.from);
        setStatus(curves.history.empty() ? tr("This model recorded no training epochs.")
                                         : tr("%1 epochs recorded in %2; the best is epoch %3.")
                                               .arg(curves.history.size())
                                               .arg(source)
                                               .arg(best));
        updateButtons();
        Q_EMIT curvesOpened(checkpointPath);
    };
    callbacks.failed = [this](const JobFailure &failure) {
        m_scanning = false;
        updateButtons();
        showError(QString::fromStdString(failure.message), QString::fromStdString(failure.detail));
    };
    callbacks.cancelled = [this] {
        m_scanning = false;
        updateButtons();
    };
    const std::string path = toPath(checkpointPath);
    m_scanning = true;
    m_scanRunner.start<Curves>(
        [path](JobContext &) {
            ModelMetadata metadata;
            const Model model = Model::load(path, &metadata);
            Curves curves;
            curves.history = parseMetricsHistory(metadata.metricsJson);
            curves.representation = model.spec().representation;
            // A best checkpoint stops at its epoch; the last one beside it has the whole run.
            const std::filesystem::path last = lastCheckpointPath(path);
            std::error_code error;
            if (bestCheckpointPath(path) == path && std::filesystem::is_regular_file(last, error)) {
                try {
                    ModelMetadata lastMetadata;
                    Model::load(last, &lastMetadata);
                    std::vector<EpochMetrics> whole = parseMetricsHistory(lastMetadata.metricsJson);
                    if (whole.size() > curves.history.size()) {
                        curves.history = std::move(whole);
                        curves.from = fromPath(last);
                    }
                } catch (const std::exception &) {
                    // the best checkpoint's own curves will do
                }
            }
            return curves;
        },
        std::move(callbacks));
    updateButtons();
}

} // namespace continuo::ui
