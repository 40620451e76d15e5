// SPDX-License-Identifier: GPL-3.0-or-later
// The insight panel: a generation against the corpus (statistics), the memorization check, the key
// and the chords, analysed off the GUI thread; a standalone widget for a dock.
#pragma once

#include "analysis/generationinsight.h"
#include "score/score.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QWidget>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QLabel;
class QSpinBox;

namespace continuo {
class MemorizationIndex;
struct JobFailure;
} // namespace continuo

namespace continuo::ui {

class QueuedJobRunner;

class HistogramPlot;

/// A chord label for the piano roll: the name to show over the beat [startTick, endTick) in the
/// generation's ticks ("C", "Am", "G7", "Bm7b5", see continuo::chordName).
struct ChordMark
{
    std::int64_t startTick = 0;
    std::int64_t endTick = 0;
    QString name;
    bool operator==(const ChordMark &o) const
    {
        return startTick == o.startTick && endTick == o.endTick && name == o.name;
    }
};

/// Shows what Continuo can say about a generation (a Score with a "Seed" and a "Continuation" part,
/// or any score, then taken whole as the continuation):
///
/// - the seed's and the continuation's histograms of every Feature against the corpus's, with the
///   Wasserstein-1 distance of each to the corpus (needs a model index; without one the panel says
///   so and shows only the generation's own histograms);
/// - the memorization check: the most distinctive run the continuation shares with a training file,
///   its file and bar, and a warning (icon and sentence) when it has more distinct notes than a
///   threshold the user sets (persisted in QSettings under kThresholdSettingsKey, default 16);
/// - the key of the seed and the continuation's notes outside it, and chord labels per beat.
///
/// The analysis runs on a QueuedJobRunner (analyzeGeneration); a new generation or index replaces a
/// stale run, whose result is dropped. The highlight signals are emitted with empty values as soon
/// as the generation changes (old indices would point at the wrong notes), then again with the
/// results. GUI thread only.
class InsightPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kDefaultThresholdNotes = 16;
    static const char *const kThresholdSettingsKey; ///< "insight/memorizationThresholdNotes"

    explicit InsightPanel(QWidget *parent = nullptr);
    ~InsightPanel() override;

    /// The index beside the model (its corpus statistics and melodies); null for none. Re-analyses
    /// the current generation. The index is shared with the worker, which only reads it.
    void setModelIndex(std::shared_ptr<const MemorizationIndex> index);
    /// Analyses `generation` (copied) on the worker thread; see the class notes.
    void setGeneration(const Score &generation);
    /// Forgets the generation and clears the panel and the highlights.
    void clear();

    /// Warn when a shared run has more distinct notes than this (MemorizationMatch::distinctNotes).
    int thresholdNotes() const;
    void setThresholdNotes(int notes);

    /// True from setGeneration() until its analysis has been shown (or failed).
    bool isAnalyzing() const { return m_analyzing; }
    /// The last analysis shown; null before the first or after clear().
    const GenerationInsight *insight() const { return m_insight ? &*m_insight : nullptr; }
    /// Whether the memorization warning is shown (regardless of the panel's own visibility).
    bool isWarningShown() const;
    /// The texts shown, for tests and for the status bar.
    QString summaryText() const;
    QString memorizationText() const;
    QString warningText() const;
    QString theoryText() const;
    /// The plot of `feature`.
    HistogramPlot *plot(Feature feature) const { return m_plots[std::size_t(feature)]; }

    QSize sizeHint() const override;

Q_SIGNALS:
    /// An analysis was shown (after the signals below).
    void analysisFinished();
    /// An analysis failed; `message` is one sentence (also shown in the panel).
    void analysisFailed(const QString &message);
    /// The memorized run to highlight on the roll: [startTick, endTick) in the generation's ticks,
    /// from the onset of its first note to the end of its last; (0, 0) when there is none.
    void memorizedRangeChanged(std::int64_t startTick, std::int64_t endTick);
    /// The same run as indices into the generation's Score::notes (one note per onset); empty for none.
    void memorizedNotesChanged(const QList<int> &noteIndices);
    /// Continuation notes outside the seed's key, as indices into the generation's Score::notes.
    void outOfKeyNotesChanged(const QList<int> &noteIndices);
    /// Chord labels for the beats where a chord is clear, in time order.
    void chordLabelsChanged(const QList<continuo::ui::ChordMark> &chords);
    /// The memorization warning appeared (true) or went away (false).
    void memorizationWarningChanged(bool shown);

private:
    void startAnalysis();
    void showInsight(GenerationInsight insight);
    void showFailure(const JobFailure &failure);
    void updateMemorization();
    void updateWarning();
    void emitHighlights();

    std::shared_ptr<const MemorizationIndex> m_index;
    std::optional<Score> m_generation;
    std::optional<GenerationInsight> m_insight;
    std::unique_ptr<QueuedJobRunner> m_runner; ///< a new analysis queues behind a stale one, cancelled
    std::uint64_t m_run = 0; ///< the latest run; results of older ones are dropped
    bool m_analyzing = false;
    bool m_warningShown = false;

    QLabel *m_summary = nullptr;
    QLabel *m_memorization = nullptr;
    QSpinBox *m_threshold = nullptr;
    QWidget *m_warning = nullptr;
    QLabel *m_warningText = nullptr;
    QLabel *m_theory = nullptr;
    QLabel *m_statisticsNote = nullptr;
    std::array<HistogramPlot *, kFeatureCount> m_plots {};
};

} // namespace continuo::ui

Q_DECLARE_METATYPE(continuo::ui::ChordMark)
