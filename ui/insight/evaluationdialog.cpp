// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/insight/evaluationdialog.h"

#include "core/paths.h"
#include "core/resources.h"
#include "ui/errorbox.h"
#include "ui/jobs/queuedjobrunner.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace continuo::ui {

namespace {

const char *const kCorpusKey = "evaluate/corpusFolder";
const char *const kTrainCorpusKey = "train/corpusFolder";
const char *const kSplitKey = "evaluate/split";

QString fromPath(const std::filesystem::path &path) { return QString::fromStdString(path.string()); }

std::filesystem::path toPath(const QString &path) { return QDir::cleanPath(path).toStdString(); }

QString percent(double fraction)
{
    return QLocale().toString(100.0 * fraction, 'f', 1) + QLatin1String(" %");
}

/// One column of the table: a model's network alone, or with its piece memory at full trust.
struct Column
{
    QString title;
    QString tip;
    const EpochMetrics *metrics;
    double natsPerNote;
};

std::vector<Column> columnsOf(const CorpusEvaluation &e, const QString &modelName,
                              const QString &baselineName)
{
    std::vector<Column> columns;
    const auto add = [&columns](const ModelEvaluation &m, const QString &title, const QString &name) {
        columns.push_back(
            { title, QObject::tr("%1: the network alone").arg(name), &m.network, m.natsPerNote(m.network) });
        if (m.withMemory)
            columns.push_back({ title + QObject::tr(" + memory"),
                                QObject::tr("%1 with its piece memory at full trust: what recalling the same "
                                            "piece adds (generation mixes it in at the Stay close strength, "
                                            "half by default)")
                                    .arg(name),
                                &*m.withMemory, m.natsPerNote(*m.withMemory) });
    };
    add(e.model, QObject::tr("Model"), modelName);
    if (e.baseline)
        add(*e.baseline, QObject::tr("Baseline"), baselineName);
    return columns;
}

} // namespace

EvaluationDialog::EvaluationDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Evaluate a Model"));
    setModal(false);
    setSizeGripEnabled(true);

    m_table = new QTableWidget(0, 0);
    m_table->setObjectName(QStringLiteral("evaluationTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setMinimumHeight(200);
    m_summary = new QLabel(tr("Choose a model, its baseline and a folder of MIDI files, then evaluate."));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_progress = new QProgressBar;
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_stage = new QLabel;
    m_status = new QLabel;
    m_status->setWordWrap(true);

    m_evaluateButton = new QPushButton(tr("&Evaluate"));
    m_evaluateButton->setDefault(true);
    m_cancelButton = new QPushButton(tr("Cancel"));
    auto *closeButton = new QPushButton(tr("Close"));
    connect(m_evaluateButton, &QPushButton::clicked, this, &EvaluationDialog::evaluate);
    connect(m_cancelButton, &QPushButton::clicked, this, &EvaluationDialog::cancel);
    connect(closeButton, &QPushButton::clicked, this, &EvaluationDialog::close);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_evaluateButton);
    buttons->addWidget(closeButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createForm());
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_stage);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    QSettings settings;
    // The last folder as a default; a model's own training corpus replaces it (applySuggestion).
    m_corpus->setText(QDir::toNativeSeparators(
        settings.value(QLatin1String(kCorpusKey), settings.value(QLatin1String(kTrainCorpusKey)))
            .toString()));
    setSplit(settings.value(QLatin1String(kSplitKey)).toString() == QLatin1String("all")
                 ? EvaluationSplit::All
                 : EvaluationSplit::Validation);
    resize(820, 560);
    setBusy(false);
}

EvaluationDialog::~EvaluationDialog()
{
    m_runner.cancel();
    m_inspectRunner.cancel();
}

QLineEdit *EvaluationDialog::pathRow(const QString &placeholder, const std::function<void()> &browse,
                                     QWidget *&row)
{
    auto *edit = new QLineEdit;
    edit->setPlaceholderText(placeholder);
    auto *button = new QPushButton(tr("Browse…"));
    connect(button, &QPushButton::clicked, this, browse);
    row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return edit;
}

QWidget *EvaluationDialog::createForm()
{
    QWidget *modelRow = nullptr, *baselineRow = nullptr, *corpusRow = nullptr;
    m_model = pathRow(
        tr("A model (.ckpt)"), [this] { chooseModel(); }, modelRow);
    m_model->setObjectName(QStringLiteral("modelPath"));
    connect(m_model, &QLineEdit::editingFinished, this, [this] { setModelPath(modelPath()); });
    m_baseline = pathRow(
        tr("None: the model alone"), [this] { chooseBaseline(); }, baselineRow);
    m_baseline->setObjectName(QStringLiteral("baselinePath"));
    m_corpus = pathRow(
        tr("A folder of MIDI files"), [this] { chooseCorpus(); }, corpusRow);
    m_corpus->setObjectName(QStringLiteral("corpusFolder"));
    connect(m_corpus, &QLineEdit::textEdited, this, [this] { m_corpusChosen = true; });
    m_split = new QComboBox;
    m_split->setObjectName(QStringLiteral("split"));
    m_split->addItem(tr("The model's held-out files (its validation split)"),
                     int(EvaluationSplit::Validation));
    m_split->addItem(tr("Every file in the folder"), int(EvaluationSplit::All));

    m_form = new QWidget;
    auto *form = new QFormLayout(m_form);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Model:"), modelRow);
    form->addRow(tr("&Baseline:"), baselineRow);
    form->addRow(tr("&Corpus:"), corpusRow);
    form->addRow(tr("&Files:"), m_split);
    return m_form;
}

QString EvaluationDialog::modelPath() const { return m_model->text().trimmed(); }
QString EvaluationDialog::baselinePath() const { return m_baseline->text().trimmed(); }
void EvaluationDialog::setBaselinePath(const QString &path)
{
    m_baseline->setText(QDir::toNativeSeparators(path));
}
QString EvaluationDialog::corpusFolder() const { return m_corpus->text().trimmed(); }
void EvaluationDialog::setCorpusFolder(const QString &folder)
{
    m_corpus->setText(QDir::toNativeSeparators(folder));
    m_corpusChosen = true;
}
QString EvaluationDialog::summaryText() const { return m_summary->text(); }
QString EvaluationDialog::stageText() const { return m_stage->text(); }
QString EvaluationDialog::statusText() const { return m_status->text(); }

EvaluationSplit EvaluationDialog::split() const { return EvaluationSplit(m_split->currentData().toInt()); }

void EvaluationDialog::setSplit(EvaluationSplit split)
{
    m_split->setCurrentIndex(m_split->findData(int(split)));
}

void EvaluationDialog::setModelPath(const QString &path)
{
    m_model->setText(QDir::toNativeSeparators(path));
    if (path.isEmpty())
        return;
    JobCallbacks<EvaluationSuggestion> callbacks;
    callbacks.finished = [this, path](EvaluationSuggestion suggestion) {
        if (modelPath() == QDir::toNativeSeparators(path))
            applySuggestion(suggestion);
    };
    callbacks.failed = [this](const JobFailure &failure) {
        setStatus(QString::fromStdString(failure.message)); // said again, as an error, by evaluate()
    };
    m_inspectRunner.cancel(); // an older model's header: read it to the end and drop it
    m_inspectRunner.start<EvaluationSuggestion>(
        [file = toPath(path)](JobContext &) {
            ModelMetadata metadata;
            const Model model = Model::load(file, &metadata);
            EvaluationSuggestion suggestion;
            suggestion.representation = QString::fromLatin1(representationName(model.spec().representation));
            suggestion.baseline = fromPath(matchingBaseline(model.spec(), bundledModels()));
            const std::string corpus = trainingCorpusFolder(metadata);
            std::error_code error;
            if (!corpus.empty() && std::filesystem::is_directory(corpus, error))
                suggestion.corpus = QString::fromStdString(corpus);
            return suggestion;
        },
        std::move(callbacks));
}

void EvaluationDialog::applySuggestion(const EvaluationSuggestion &suggestion)
{
    // A field the user filled in keeps its value; one that showed the last suggestion takes the new one.
    if (baselinePath().isEmpty() || baselinePath() == m_suggestedBaseline) {
        setBaselinePath(suggestion.baseline);
        m_suggestedBaseline = baselinePath();
    }
    if (!suggestion.corpus.isEmpty() && !m_corpusChosen)
        m_corpus->setText(QDir::toNativeSeparators(suggestion.corpus));
    setStatus(suggestion.baseline.isEmpty()
                  ? tr("No bundled baseline reads music as this model does: train one on its corpus with the "
                       "size \u201cBaseline\u201d to compare.")
                  : QString());
    Q_EMIT suggestionsReady();
}

void EvaluationDialog::chooseModel()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Model to Evaluate"), QFileInfo(modelPath()).path(), tr("Continuo models (*.ckpt)"));
    if (!path.isEmpty())
        setModelPath(path);
}

void EvaluationDialog::chooseBaseline()
{
    const QString start =
        baselinePath().isEmpty() ? QFileInfo(modelPath()).path() : QFileInfo(baselinePath()).path();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Baseline Model"), start, tr("Continuo models (*.ckpt)"));
    if (!path.isEmpty())
        setBaselinePath(path);
}

void EvaluationDialog::chooseCorpus()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Corpus Folder"), corpusFolder());
    if (!folder.isEmpty())
        setCorpusFolder(folder);
}

void EvaluationDialog::rememberSettings()
{
    QSettings settings;
    settings.setValue(QLatin1String(kCorpusKey), corpusFolder());
    settings.setValue(QLatin1String(kSplitKey),
                      split() == EvaluationSplit::All ? QStringLiteral("all") : QStringLiteral("validation"));
}

void EvaluationDialog::evaluate()
{
    if (m_busy)
        return;
    if (!QFileInfo(modelPath()).isFile()) {
        showError(tr("Choose a model to evaluate."), modelPath().isEmpty()
                                                         ? tr("No model was given.")
                                                         : tr("No such file: %1").arg(modelPath()));
        return;
    }
    if (!baselinePath().isEmpty() && !QFileInfo(baselinePath()).isFile()) {
        showError(tr("The baseline %1 does not exist.").arg(baselinePath()),
                  tr("Choose another baseline, or clear the field to evaluate the model alone."));
        return;
    }
    if (!QFileInfo(corpusFolder()).isDir()) {
        showError(tr("Choose a folder of MIDI files to evaluate on."),
                  corpusFolder().isEmpty() ? tr("No folder was given.")
                                           : tr("Not a folder: %1").arg(corpusFolder()));
        return;
    }
    rememberSettings();
    CorpusEvaluationOptions options;
    options.model = toPath(modelPath());
    if (!baselinePath().isEmpty())
        options.baseline = toPath(baselinePath());
    options.corpus = toPath(corpusFolder());
    options.split = split();
    options.cacheDir = defaultTokenCacheDir();
    const QString modelName = QFileInfo(modelPath()).fileName();
    const QString baselineName = QFileInfo(baselinePath()).fileName();

    JobCallbacks<CorpusEvaluation> callbacks;
    callbacks.progress = [this](std::int64_t done, std::int64_t total, const std::string &stage) {
        m_progress->setRange(0, total > 0 ? int(std::min<std::int64_t>(total, INT_MAX)) : 0);
        m_progress->setValue(int(std::min<std::int64_t>(done, INT_MAX)));
        m_stage->setText(QString::fromStdString(stage));
    };
    callbacks.finished = [this, modelName, baselineName](CorpusEvaluation result) {
        setBusy(false);
        showResult(result, modelName, baselineName);
        setStatus(tr("Evaluated %1 on %2 file(s).").arg(modelName).arg(result.model.files));
        Q_EMIT evaluationFinished();
    };
    callbacks.cancelled = [this] {
        setBusy(false);
        setStatus(tr("Evaluation cancelled."));
        Q_EMIT evaluationCancelled();
    };
    callbacks.failed = [this](const JobFailure &failure) {
        setBusy(false);
        setStatus(tr("The evaluation failed."));
        showError(QString::fromStdString(failure.message), QString::fromStdString(failure.detail));
    };
    setBusy(true);
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_summary->clear();
    setStatus(tr("Evaluating %1…").arg(modelName));
    m_runner.start<CorpusEvaluation>(
        [options](JobContext &context) { return evaluateOnCorpus(options, context); }, std::move(callbacks));
}

void EvaluationDialog::cancel()
{
    m_runner.cancel();
    if (m_busy)
        setStatus(tr("Cancelling…"));
}

void EvaluationDialog::showResult(const CorpusEvaluation &e, const QString &modelName,
                                  const QString &baselineName)
{
    const std::vector<Column> columns = columnsOf(e, modelName, baselineName);
    QStringList rows { tr("Loss (nats per note)"), tr("Loss (nats per step)"), tr("Perplexity") };
    for (const std::string &head : e.headNames) {
        rows << tr("%1: top-1 accuracy").arg(QString::fromStdString(head));
        rows << tr("%1: top-5 accuracy").arg(QString::fromStdString(head));
    }
    m_table->setRowCount(int(rows.size()));
    m_table->setColumnCount(int(columns.size()));
    m_table->setVerticalHeaderLabels(rows);
    for (int c = 0; c < int(columns.size()); ++c) {
        auto *header = new QTableWidgetItem(columns[c].title);
        header->setToolTip(columns[c].tip);
        m_table->setHorizontalHeaderItem(c, header);
        const EpochMetrics &m = *columns[c].metrics;
        QStringList values { QLocale().toString(columns[c].natsPerNote, 'f', 3),
                             QLocale().toString(m.validLoss, 'f', 3),
                             QLocale().toString(m.perplexity, 'f', 2) };
        for (const HeadAccuracy &head : m.heads)
            values << percent(head.top1) << percent(head.top5);
        for (int r = 0; r < values.size(); ++r) {
            auto *item = new QTableWidgetItem(values[r]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            item->setToolTip(columns[c].tip);
            m_table->setItem(r, c, item);
        }
    }
    const EpochMetrics &model = e.model.network;
    const QString head = QString::fromStdString(e.headNames.front());
    QString text =
        tr("On %1 file(s), %2 steps, each read from its start: %3 predicts the next %4 right %5 of the "
           "time (top-1).")
            .arg(e.model.files)
            .arg(QLocale().toString(qulonglong(e.model.steps)))
            .arg(modelName, head, percent(model.heads.front().top1));
    if (e.baseline) {
        const EpochMetrics &base = e.baseline->network;
        const double points = 100.0 * (model.heads.front().top1 - base.heads.front().top1);
        const double nats = base.validLoss - model.validLoss;
        text += QLatin1Char(' ')
              + tr("The baseline gets %1: the model is %2 points %3 and %4 nats per step %5.")
                    .arg(percent(base.heads.front().top1))
                    .arg(QLocale().toString(std::abs(points), 'f', 1))
                    .arg(points >= 0 ? tr("better") : tr("worse"))
                    .arg(QLocale().toString(std::abs(nats), 'f', 3))
                    .arg(nats >= 0 ? tr("better") : tr("worse"));
    }
    if (e.model.withMemory)
        text += QLatin1Char(' ')
              + tr("\u201c+ memory\u201d columns add the piece memory at full trust: what recalling "
                   "earlier parts of the same piece adds. Generation mixes it in at the strength of "
                   "\u201cStay close to the seed\u201d (half by default).");
    m_summary->setText(text);
}

void EvaluationDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_form->setEnabled(!busy);
    m_evaluateButton->setEnabled(!busy);
    m_cancelButton->setEnabled(busy);
    m_progress->setTextVisible(busy);
    if (busy) {
        m_progress->setRange(0, 0);
    } else {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_stage->clear();
    }
}

void EvaluationDialog::setStatus(const QString &text) { m_status->setText(text); }

void EvaluationDialog::showError(const QString &message, const QString &details)
{
    Q_EMIT errorOccurred(message, details);
    showErrorBox(this, message, details);
}

} // namespace continuo::ui
