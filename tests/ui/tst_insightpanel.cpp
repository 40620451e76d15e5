// SPDX-License-Identifier: GPL-3.0-or-later
// The insight panel: memorization report, highlight signals, threshold warning, distances, key.
#include "analysis/memorization.h"
#include "score/smfconvert.h"
#include "ui/insight/histogramplot.h"
#include "ui/insight/insightpanel.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <cmath>
#include <filesystem>
#include <memory>

using namespace continuo;
using continuo::ui::InsightPanel;

namespace {

constexpr int kTicksPerQuarter = 480;
constexpr std::int64_t kBarTicks = 4 * kTicksPerQuarter;

Note makeNote(int pitch, std::int64_t startTick, std::int64_t durationTicks, int part = 0)
{
    Note note;
    note.pitch = pitch;
    note.startTick = startTick;
    note.endTick = startTick + durationTicks;
    note.part = part;
    return note;
}

Score emptyScore()
{
    Score score;
    score.division.ticksPerQuarter = kTicksPerQuarter;
    score.timeSignatures.push_back({ 0, 4, 4 });
    score.parts.push_back({});
    return score;
}

void finish(Score &score)
{
    for (const Note &note : score.notes)
        score.endTick = std::max(score.endTick, note.endTick);
    score.sortEvents();
    score.updateSeconds();
}

/// `bars` bars of eighth notes: a random walk with varied steps (so runs of it are distinctive).
Score randomMelody(unsigned seed, int bars)
{
    Score score = emptyScore();
    unsigned state = seed * 2654435761u + 12345u;
    int pitch = 66;
    for (int i = 0; i < bars * 8; ++i) {
        state = state * 1103515245u + 12345u;
        const int step = int((state >> 16) % 11) - 5;
        pitch = std::clamp(pitch + step, 52, 80);
        score.notes.push_back(makeNote(pitch, i * kTicksPerQuarter / 2, kTicksPerQuarter / 2));
    }
    finish(score);
    return score;
}

/// A generation: `seed`'s notes as part 0 ("Seed"), `continuation`'s moved by `shiftTicks` and
/// `semitones` as part 1 ("Continuation").
Score generationOf(const Score &seed, const Score &continuation, std::int64_t shiftTicks, int semitones = 0)
{
    Score score = emptyScore();
    score.division = seed.division;
    score.timeSignatures = seed.timeSignatures;
    score.parts = { Part { "Seed", {}, -1, false }, Part { "Continuation", {}, -1, false } };
    for (Note note : seed.notes) {
        note.part = 0;
        score.notes.push_back(note);
    }
    for (Note note : continuation.notes) {
        note.startTick += shiftTicks;
        note.endTick += shiftTicks;
        note.pitch += semitones;
        note.part = 1;
        score.notes.push_back(note);
    }
    finish(score);
    return score;
}

/// Notes of `score` starting in [fromTick, toTick), moved back to start at 0.
Score cut(const Score &score, std::int64_t fromTick, std::int64_t toTick)
{
    Score result = score;
    result.notes.clear();
    result.endTick = 0;
    for (Note note : score.notes)
        if (!note.isDrum() && note.startTick >= fromTick && note.startTick < toTick) {
            note.startTick -= fromTick;
            note.endTick -= fromTick;
            note.part = 0;
            result.notes.push_back(note);
        }
    result.parts = { Part {} };
    result.pedals.clear();
    finish(result);
    return result;
}

bool waitForAnalysis(InsightPanel &panel)
{
    QSignalSpy finished(&panel, &InsightPanel::analysisFinished);
    return finished.wait(20000);
}

} // namespace

class TestInsightPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ContinuoTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_insightpanel"));
        QSettings().remove(InsightPanel::kThresholdSettingsKey);
    }

    void reportsMemorizedPassage()
    {
        auto index = std::make_shared<MemorizationIndex>();
        const Score training = randomMelody(1, 8);
        index->addFile("train/one.mid", training);
        index->addFile("train/two.mid", randomMelody(2, 8));
        index->addFile("train/three.mid", randomMelody(3, 8));

        // Seed: two bars of another melody; continuation: bars 3..5 of "one", a tone up.
        const Score seed = cut(randomMelody(4, 2), 0, 2 * kBarTicks);
        const Score copied = cut(training, 2 * kBarTicks, 5 * kBarTicks);
        const Score generation = generationOf(seed, copied, 2 * kBarTicks, 2);

        InsightPanel panel;
        QCOMPARE(panel.thresholdNotes(), InsightPanel::kDefaultThresholdNotes);
        panel.setModelIndex(index);
        QSignalSpy range(&panel, &InsightPanel::memorizedRangeChanged);
        QSignalSpy notes(&panel, &InsightPanel::memorizedNotesChanged);
        QSignalSpy warning(&panel, &InsightPanel::memorizationWarningChanged);
        panel.setGeneration(generation);
        QVERIFY(panel.isAnalyzing());
        QVERIFY(waitForAnalysis(panel));
        QVERIFY(!panel.isAnalyzing());

        const GenerationInsight *insight = panel.insight();
        QVERIFY(insight);
        QVERIFY(insight->hasCorpus && insight->hasSeed);
        QCOMPARE(insight->match.file, std::string("train/one.mid"));
        QCOMPARE(insight->match.bar, 3);
        QCOMPARE(insight->match.transposition, 2);
        QCOMPARE(insight->match.notes, std::size_t(24));
        QVERIFY(panel.memorizationText().contains(QStringLiteral("train/one.mid")));
        QVERIFY(panel.memorizationText().contains(QStringLiteral("bar 3")));

        // Cleared when the generation was set, then the run: [onset of its first, end of its last).
        QCOMPARE(range.count(), 2);
        QCOMPARE(range.at(0).at(0).value<std::int64_t>(), std::int64_t(0));
        QCOMPARE(range.at(0).at(1).value<std::int64_t>(), std::int64_t(0));
        QCOMPARE(range.at(1).at(0).value<std::int64_t>(), 2 * kBarTicks);
        QCOMPARE(range.at(1).at(1).value<std::int64_t>(), 5 * kBarTicks);
        const QList<int> run = notes.last().at(0).value<QList<int>>();
        QCOMPARE(run.size(), 24);
        for (const int note : run)
            QCOMPARE(generation.notes[std::size_t(note)].part, 1);

        // 24 distinct notes or so: above the default threshold of 16, not above 40.
        QVERIFY(insight->match.distinctNotes > 16 && insight->match.distinctNotes < 40);
        QVERIFY(panel.isWarningShown());
        QVERIFY(panel.warningText().contains(QStringLiteral("train/one.mid")));
        QCOMPARE(warning.count(), 1);
        panel.setThresholdNotes(40);
        QVERIFY(!panel.isWarningShown());
        QCOMPARE(warning.count(), 2);
        QCOMPARE(QSettings().value(InsightPanel::kThresholdSettingsKey).toInt(), 40);
        InsightPanel second;
        QCOMPARE(second.thresholdNotes(), 40); // persisted
        panel.setThresholdNotes(InsightPanel::kDefaultThresholdNotes);
        QVERIFY(panel.isWarningShown());
    }

    void distancesAreZeroForTheCorpusItself()
    {
        const Score training = randomMelody(5, 8);
        auto index = std::make_shared<MemorizationIndex>();
        index->addFile("only.mid", training);
        // The seed and the continuation are both the training file (moved by whole bars).
        const Score generation = generationOf(training, training, 8 * kBarTicks);
        InsightPanel panel;
        panel.setModelIndex(index);
        panel.setGeneration(generation);
        QVERIFY(waitForAnalysis(panel));
        for (std::size_t f = 0; f < kFeatureCount; ++f) {
            QCOMPARE(panel.insight()->continuationDistances[f], 0.0);
            QCOMPARE(panel.insight()->seedDistances[f], 0.0);
        }
        QCOMPARE(panel.plot(Feature::Interval)->distanceText(),
                 QStringLiteral("W\u2081 gen 0.00 \u00b7 seed 0.00"));
    }

    void withoutIndexShowsOwnHistogramsOnly()
    {
        InsightPanel panel;
        panel.setGeneration(randomMelody(6, 4)); // no parts named: all of it is the continuation
        QVERIFY(waitForAnalysis(panel));
        QVERIFY(!panel.insight()->hasCorpus);
        QVERIFY(!panel.insight()->hasSeed);
        QVERIFY(std::isnan(panel.insight()->continuationDistances[0]));
        QVERIFY(panel.plot(Feature::PitchClass)->distanceText().isEmpty());
        QVERIFY(!panel.isWarningShown());
    }

    void notesOutsideTheSeedsKey()
    {
        // Seed: a C major scale over a C major triad; continuation: C D Eb E F# G, of which Eb and F# are
        // out.
        Score seed = emptyScore();
        const int scale[] = { 60, 62, 64, 65, 67, 69, 71, 72 };
        for (int i = 0; i < 8; ++i)
            seed.notes.push_back(makeNote(scale[i], i * kTicksPerQuarter, kTicksPerQuarter));
        for (const int pitch : { 48, 52, 55 })
            seed.notes.push_back(makeNote(pitch, 0, 8 * kTicksPerQuarter));
        finish(seed);
        Score continuation = emptyScore();
        const int melody[] = { 60, 62, 63, 64, 66, 67 };
        for (int i = 0; i < 6; ++i)
            continuation.notes.push_back(makeNote(melody[i], i * kTicksPerQuarter, kTicksPerQuarter));
        finish(continuation);
        const Score generation = generationOf(seed, continuation, 2 * kBarTicks);

        InsightPanel panel;
        QSignalSpy outside(&panel, &InsightPanel::outOfKeyNotesChanged);
        QSignalSpy chords(&panel, &InsightPanel::chordLabelsChanged);
        panel.setGeneration(generation);
        QVERIFY(waitForAnalysis(panel));
        QCOMPARE(QString::fromStdString(panel.insight()->key.name()), QStringLiteral("C major"));
        const QList<int> indices = outside.last().at(0).value<QList<int>>();
        QCOMPARE(indices.size(), 2);
        QCOMPARE(generation.notes[std::size_t(indices[0])].pitch, 63);
        QCOMPARE(generation.notes[std::size_t(indices[1])].pitch, 66);
        QVERIFY(panel.theoryText().contains(QStringLiteral("C major")));
        const auto labels = chords.last().at(0).value<QList<continuo::ui::ChordMark>>();
        QVERIFY(!labels.isEmpty());
        QCOMPARE(labels.first().name, QStringLiteral("C"));
    }

    void replacesStaleRun()
    {
        InsightPanel panel;
        QSignalSpy finished(&panel, &InsightPanel::analysisFinished);
        panel.setGeneration(randomMelody(7, 64));
        panel.setGeneration(randomMelody(8, 2));
        QVERIFY(finished.wait(20000));
        QTest::qWait(200);
        QCOMPARE(finished.count(), 1); // the first run's result was dropped
        QCOMPARE(panel.insight()->continuation.noteCount, std::size_t(16));
    }

    void corpusScreenshot()
    {
        const std::filesystem::path root =
            std::filesystem::path(CONTINUO_SHARED_DIR) / "corpus/piano-classical";
        const char *const files[] = { "Bach/bach_846.mid", "Bach/bach_847.mid", "Mozart/mz_311_1.mid" };
        for (const char *file : files)
            if (!std::filesystem::exists(root / file))
                QSKIP("The shared piano-classical corpus is not here.");
        auto index = std::make_shared<MemorizationIndex>();
        std::vector<Score> scores;
        for (const char *file : files) {
            scores.push_back(readScoreFile(root / file));
            index->addFile(file, scores.back());
        }
        // Seed: the first two bars of the Mozart; continuation: bars 10..13 of BWV 847, a minor third up.
        const Score &bach = scores[1];
        const TimeSignature meter = bach.timeSignatureAt(0);
        const std::int64_t bar =
            std::int64_t(bach.ticksPerQuarter()) * 4 * meter.numerator / meter.denominator;
        const Score seed = cut(scores[2], 0, 2 * bar);
        const Score continuation = cut(bach, 9 * bar, 13 * bar);
        const Score generation = generationOf(seed, continuation, 2 * bar, 3);

        InsightPanel panel;
        panel.resize(360, 1200);
        panel.setModelIndex(index);
        QSignalSpy range(&panel, &InsightPanel::memorizedRangeChanged);
        panel.setGeneration(generation);
        QVERIFY(waitForAnalysis(panel));
        const MemorizationMatch &match = panel.insight()->match;
        QCOMPARE(match.file, std::string("Bach/bach_847.mid"));
        QCOMPARE(match.bar, 10);
        QCOMPARE(match.transposition, 3);
        QVERIFY(panel.isWarningShown());
        QCOMPARE(range.last().at(0).value<std::int64_t>(), match.generatedStartTick);
        QVERIFY(range.last().at(1).value<std::int64_t>() > match.generatedEndTick);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.grab().save(QStringLiteral("/tmp/continuo-insight.png")));
    }
};

QTEST_MAIN(TestInsightPanel)
#include "tst_insightpanel.moc"
