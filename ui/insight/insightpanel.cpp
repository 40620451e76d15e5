// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/insight/insightpanel.h"

#include "analysis/memorization.h"
#include "ui/insight/histogramplot.h"
#include "ui/jobs/queuedjobrunner.h"

#include <QApplication>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace continuo::ui {

const char *const InsightPanel::kThresholdSettingsKey = "insight/memorizationThresholdNotes";

namespace {

// The piano roll's dark theme (see pianorollview.cpp).
const QColor kPanelBackground(0x17, 0x18, 0x1b);
const QColor kSectionBackground(0x1f, 0x21, 0x25);
const QColor kText(0xdd, 0xe0, 0xe6);
const QColor kDimText(0xa9, 0xae, 0xb8);
const QColor kWarningBackground(0x4a, 0x32, 0x12);
constexpr int kChordsListed = 16; ///< chord names spelled out in the panel; the roll shows all

QPalette darkPalette(const QPalette &base)
{
    QPalette palette = base;
    for (const auto group : { QPalette::Active, QPalette::Inactive }) {
        palette.setColor(group, QPalette::Window, kPanelBackground);
        palette.setColor(group, QPalette::WindowText, kText);
        palette.setColor(group, QPalette::Base, kSectionBackground);
        palette.setColor(group, QPalette::AlternateBase, kPanelBackground);
        palette.setColor(group, QPalette::Text, kText);
        palette.setColor(group, QPalette::Button, QColor(0x2c, 0x2e, 0x34));
        palette.setColor(group, QPalette::ButtonText, kText);
        palette.setColor(group, QPalette::Highlight, HistogramPlot::kSeedColour);
        palette.setColor(group, QPalette::HighlightedText, Qt::white);
        palette.setColor(group, QPalette::PlaceholderText, kDimText);
    }
    palette.setColor(QPalette::Disabled, QPalette::WindowText, kDimText);
    palette.setColor(QPalette::Disabled, QPalette::Text, kDimText);
    return palette;
}

QLabel *wrappingLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

/// A small coloured square and a word, for the plots' legend.
QLabel *legendEntry(const QColor &colour, const QString &text, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setText(QStringLiteral("<span style=\"color:%1\">\u25a0</span> %2").arg(colour.name(), text));
    return label;
}

QList<int> toList(const std::vector<std::size_t> &indices)
{
    QList<int> list;
    list.reserve(int(indices.size()));
    for (const std::size_t index : indices)
        list.append(int(index));
    return list;
}

QString fileOf(const MemorizationMatch &match) { return QString::fromStdString(match.file).toHtmlEscaped(); }

} // namespace

InsightPanel::InsightPanel(QWidget *parent) : QWidget(parent), m_runner(std::make_unique<QueuedJobRunner>())
{
    setPalette(darkPalette(palette()));
    setAutoFillBackground(true);

    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(8, 8, 8, 8);
    column->setSpacing(6);

    m_summary = wrappingLabel(content);
    m_summary->setText(tr("Generate a continuation to see how it compares with the corpus."));
    column->addWidget(m_summary);

    column->addWidget(heading(tr("Memorization"), content));
    m_memorization = wrappingLabel(content);
    column->addWidget(m_memorization);
    auto *thresholdRow = new QHBoxLayout;
    auto *thresholdLabel = new QLabel(tr("Warn above"), content);
    m_threshold = new QSpinBox(content);
    m_threshold->setRange(MemorizationIndex::kMinimumNotes, 10000);
    m_threshold->setSuffix(tr(" distinct notes"));
    m_threshold->setToolTip(
        tr("Warn when the continuation shares a run with more distinct notes than this "
           "with a training file. Figures that only repeat (trills, scales) count little."));
    thresholdLabel->setBuddy(m_threshold);
    thresholdRow->addWidget(thresholdLabel);
    thresholdRow->addWidget(m_threshold);
    thresholdRow->addStretch();
    column->addLayout(thresholdRow);

    m_warning = new QFrame(content);
    m_warning->setAutoFillBackground(true);
    QPalette warningPalette = m_warning->palette();
    warningPalette.setColor(QPalette::Window, kWarningBackground);
    m_warning->setPalette(warningPalette);
    auto *warningRow = new QHBoxLayout(m_warning);
    warningRow->setContentsMargins(6, 6, 6, 6);
    auto *icon = new QLabel(m_warning);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    icon->setPixmap(
        style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);
    m_warningText = wrappingLabel(m_warning);
    warningRow->addWidget(icon, 0, Qt::AlignTop);
    warningRow->addWidget(m_warningText, 1);
    m_warning->hide();
    column->addWidget(m_warning);

    column->addWidget(heading(tr("Key and chords"), content));
    m_theory = wrappingLabel(content);
    column->addWidget(m_theory);

    column->addWidget(heading(tr("Statistics"), content));
    m_statisticsNote = wrappingLabel(content);
    column->addWidget(m_statisticsNote);
    auto *legend = new QHBoxLayout;
    legend->addWidget(legendEntry(HistogramPlot::kGenerationColour, tr("generation"), content));
    legend->addWidget(legendEntry(HistogramPlot::kSeedColour, tr("seed"), content));
    legend->addWidget(legendEntry(HistogramPlot::kCorpusColour, tr("corpus"), content));
    legend->addStretch();
    column->addLayout(legend);
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
        m_plots[f] = new HistogramPlot(Feature(f), content);
        column->addWidget(m_plots[f]);
    }
    column->addStretch();

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    m_threshold->setValue(QSettings().value(kThresholdSettingsKey, kDefaultThresholdNotes).toInt());
    connect(m_threshold, qOverload<int>(&QSpinBox::valueChanged), this, [this](int notes) {
        QSettings().setValue(kThresholdSettingsKey, notes);
        updateMemorization();
    });
    updateMemorization();
}

InsightPanel::~InsightPanel() = default; // the runner cancels and waits for its (short) job

QSize InsightPanel::sizeHint() const { return { 360, 640 }; }

void InsightPanel::setModelIndex(std::shared_ptr<const MemorizationIndex> index)
{
    m_index = std::move(index);
    if (m_generation)
        startAnalysis();
}

void InsightPanel::setGeneration(const Score &generation)
{
    m_generation = generation;
    startAnalysis();
}

void InsightPanel::clear()
{
    ++m_run;
    m_generation.reset();
    m_insight.reset();
    m_analyzing = false;
    m_summary->setText(tr("Generate a continuation to see how it compares with the corpus."));
    m_theory->clear();
    m_statisticsNote->clear();
    for (HistogramPlot *plot : m_plots) {
        plot->setSeries({}, {}, {});
        plot->setDistances(std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::quiet_NaN());
    }
    updateMemorization();
    emitHighlights();
}

int InsightPanel::thresholdNotes() const { return m_threshold->value(); }

void InsightPanel::setThresholdNotes(int notes) { m_threshold->setValue(notes); }

bool InsightPanel::isWarningShown() const { return m_warningShown; }

QString InsightPanel::summaryText() const { return m_summary->text(); }

QString InsightPanel::memorizationText() const { return m_memorization->text(); }

QString InsightPanel::warningText() const { return m_warningText->text(); }

QString InsightPanel::theoryText() const { return m_theory->text(); }

void InsightPanel::startAnalysis()
{
    const std::uint64_t run = ++m_run;
    m_runner->cancel(); // a stale run ends at its next check; its result is dropped
    m_analyzing = true;
    m_insight.reset();
    m_summary->setText(tr("Analysing the generation\u2026"));
    updateMemorization();
    emitHighlights(); // the old indices would point at the wrong notes

    JobCallbacks<GenerationInsight> callbacks;
    callbacks.finished = [this, run](GenerationInsight insight) {
        if (run == m_run)
            showInsight(std::move(insight));
    };
    callbacks.failed = [this, run](const JobFailure &failure) {
        if (run == m_run)
            showFailure(failure);
    };
    m_runner->start<GenerationInsight>(
        [generation = *m_generation, index = m_index](JobContext &context) {
            return analyzeGeneration(generation, index.get(), &context);
        },
        std::move(callbacks));
}

void InsightPanel::showFailure(const JobFailure &failure)
{
    m_analyzing = false;
    const QString message = QString::fromStdString(failure.message);
    m_summary->setText(tr("The analysis failed: %1").arg(message.toHtmlEscaped()));
    Q_EMIT analysisFailed(message);
}

void InsightPanel::showInsight(GenerationInsight insight)
{
    m_analyzing = false;
    m_insight = std::move(insight);
    const GenerationInsight &in = *m_insight;
    const QLocale locale;

    QString summary =
        tr("Continuation: %1 notes").arg(locale.toString(qulonglong(in.continuation.noteCount)));
    if (in.hasSeed)
        summary += tr(" \u00b7 seed: %1 notes").arg(locale.toString(qulonglong(in.seed.noteCount)));
    if (in.hasCorpus)
        summary += tr(" \u00b7 corpus: %1 files, %2 notes")
                       .arg(locale.toString(qulonglong(in.corpus.scoreCount)),
                            locale.toString(qulonglong(in.corpus.noteCount)));
    m_summary->setText(summary);

    m_statisticsNote->setText(
        in.hasCorpus ? tr("Wasserstein-1 distance to the corpus in bins (semitones, half-octaves, ...): 0 "
                          "means the same distribution.")
                     : tr("No corpus statistics for this model: only the generation's own histograms are "
                          "shown."));
    m_statisticsNote->setForegroundRole(QPalette::PlaceholderText);
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
        const Feature feature = Feature(f);
        m_plots[f]->setSeries(in.continuation.histogram(feature).normalised(),
                              in.hasSeed ? in.seed.histogram(feature).normalised() : std::vector<double>(),
                              in.hasCorpus ? in.corpus.histogram(feature).normalised()
                                           : std::vector<double>());
        m_plots[f]->setDistances(in.continuationDistances[f], in.seedDistances[f]);
    }

    QString theory =
        tr("Key of the %1: <b>%2</b>; %n continuation note(s) outside it.", nullptr,
           int(in.notesOutsideKey.size()))
            .arg(in.isKeyFromSeed ? tr("seed") : tr("continuation"), QString::fromStdString(in.key.name()));
    if (in.chords.empty()) {
        theory += QLatin1Char(' ') + tr("No beat has a clear chord.");
    } else {
        QStringList names;
        for (std::size_t c = 0; c < in.chords.size() && c < std::size_t(kChordsListed); ++c)
            names << QString::fromStdString(in.chords[c].name);
        if (in.chords.size() > std::size_t(kChordsListed))
            names << QStringLiteral("\u2026");
        theory += QStringLiteral("<br>")
                + tr("Chords on %n beat(s): %1", nullptr, int(in.chords.size()))
                      .arg(names.join(QLatin1Char(' ')));
    }
    m_theory->setText(theory);

    updateMemorization();
    emitHighlights();
    Q_EMIT analysisFinished();
}

void InsightPanel::updateMemorization()
{
    if (!m_insight) {
        m_memorization->setText(m_generation ? QString() : tr("Nothing to check yet."));
    } else if (!m_insight->hasCorpus) {
        m_memorization->setText(tr("No memorization index for this model: nothing to check against."));
    } else if (!m_insight->match.isFound()) {
        m_memorization->setText(tr("The continuation shares no run of %1 notes or more with a training file.")
                                    .arg(MemorizationIndex::kMinimumNotes));
    } else {
        const MemorizationMatch &match = m_insight->match;
        QString text = tr("Longest shared run: <b>%1 notes</b> (%2 distinct) from <b>%3</b>, bar %4")
                           .arg(match.notes)
                           .arg(match.distinctNotes)
                           .arg(fileOf(match))
                           .arg(match.bar);
        if (match.transposition != 0)
            text += tr(", transposed %1 semitones")
                        .arg(QLocale()
                                 .toString(match.transposition)
                                 .prepend(match.transposition > 0 ? QStringLiteral("+") : QString()));
        m_memorization->setText(text + QLatin1Char('.'));
    }
    updateWarning();
}

void InsightPanel::updateWarning()
{
    const bool shown = m_insight && m_insight->match.isFound()
                    && m_insight->match.distinctNotes > std::size_t(m_threshold->value());
    if (shown) {
        const MemorizationMatch &match = m_insight->match;
        m_warningText->setText(tr("The continuation copies %1 distinct notes from %2 (bar %3), more than the "
                                  "threshold of %4.")
                                   .arg(match.distinctNotes)
                                   .arg(fileOf(match))
                                   .arg(match.bar)
                                   .arg(m_threshold->value()));
    }
    m_warning->setVisible(shown);
    if (shown != m_warningShown) {
        m_warningShown = shown;
        Q_EMIT memorizationWarningChanged(shown);
    }
}

void InsightPanel::emitHighlights()
{
    std::int64_t startTick = 0, endTick = 0;
    QList<int> memorized, outside;
    QList<ChordMark> chords;
    if (m_insight && m_generation) {
        const MemorizationMatch &match = m_insight->match;
        if (match.isFound()) {
            startTick = match.generatedStartTick;
            endTick = match.generatedEndTick;
            for (const std::size_t note : match.generatedNotes)
                endTick = std::max(endTick, m_generation->notes[note].endTick);
            memorized = toList(match.generatedNotes);
        }
        outside = toList(m_insight->notesOutsideKey);
        for (const ChordLabel &chord : m_insight->chords)
            chords.append({ chord.startTick, chord.endTick, QString::fromStdString(chord.name) });
    }
    Q_EMIT memorizedRangeChanged(startTick, endTick);
    Q_EMIT memorizedNotesChanged(memorized);
    Q_EMIT outOfKeyNotesChanged(outside);
    Q_EMIT chordLabelsChanged(chords);
}

} // namespace continuo::ui
