// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the compound representation: one step per note, waits, exact round trips on every corpus.
#include "core/error.h"
#include "midi/midifiles.h"
#include "repr/compound.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QtTest>

#include <tuple>

using namespace continuo;
using namespace continuo::compoundrepr;

namespace {
using test::quarterNote;
using test::scoreOfNotes;

/// (onset, pitch, duration, velocity bin) in grid units, sorted.
using GridNotes = std::vector<std::tuple<std::int64_t, int, std::int64_t, int>>;

/// Every non-drum note of the score on the grid, as the representation promises to keep it: one
/// per onset and pitch (the longest, then the loudest), durations of at least one unit.
GridNotes expectedGrid(const Score &score)
{
    const int tpq = score.ticksPerQuarter();
    GridNotes grid;
    std::int64_t first = INT64_MAX;
    for (const Note &n : score.notes) {
        if (n.isDrum())
            continue;
        const std::int64_t onset = std::llround(double(n.startTick) * kGridPerQuarter / tpq);
        const std::int64_t duration =
            std::max<std::int64_t>(1, std::llround(double(n.endTick) * kGridPerQuarter / tpq) - onset);
        grid.emplace_back(onset, n.pitch, -duration, -velocityBin(n.velocity));
        first = std::min(first, onset);
    }
    std::sort(grid.begin(), grid.end());
    GridNotes kept;
    for (const auto &[onset, pitch, negativeDuration, negativeVelocity] : grid)
        if (kept.empty() || std::get<0>(kept.back()) != onset - first || std::get<1>(kept.back()) != pitch)
            kept.emplace_back(onset - first, pitch, -negativeDuration, -negativeVelocity);
    return kept;
}

GridNotes decodedGrid(const Score &decoded)
{
    constexpr int ticksPerUnit = kDecodeTicksPerQuarter / kGridPerQuarter;
    GridNotes grid;
    for (const Note &n : decoded.notes)
        grid.emplace_back(n.startTick / ticksPerUnit, n.pitch, (n.endTick - n.startTick) / ticksPerUnit,
                          velocityBin(n.velocity));
    std::sort(grid.begin(), grid.end());
    return grid;
}
} // namespace

class TestCompoundRepr : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stepsOfASmallPiece()
    {
        // A C major chord given high to low, a melody note, a drum note, and a rest of 10 quarters.
        const Score score = scoreOfNotes({ quarterNote(67, 0, 1, 100), quarterNote(60, 0, 2, 64),
                                           quarterNote(64, 0, 1), quarterNote(72, 1.5, 1.75),
                                           quarterNote(36, 1, 2, 80, 9), quarterNote(74, 11.5, 12) });
        CompoundEncodingStats stats;
        const std::vector<CompoundStep> steps = compoundSteps(score, &stats);
        const std::vector<CompoundStep> expected {
            { 0, 60, 24, 16 }, { 0, 64, 12, 20 },   { 0, 67, 12, 25 },
            { 18, 72, 3, 20 }, { 96, kWait, 0, 0 }, { 24, 74, 6, 20 },
        };
        QCOMPARE(steps, expected);
        QCOMPARE(stats.notes, std::size_t(5));
        QCOMPARE(stats.drumNotes, std::size_t(1));
        QCOMPARE(decodedGrid(decodeCompound(steps)), expectedGrid(score));
    }

    void samePitchAndOnsetKeepsTheLongest()
    {
        CompoundEncodingStats stats;
        const auto steps =
            compoundSteps(scoreOfNotes({ quarterNote(60, 0, 1), quarterNote(60, 0, 3) }), &stats);
        QCOMPARE(steps.size(), std::size_t(1));
        QCOMPARE(steps[0].duration, 36);
        QCOMPARE(stats.mergedNotes, std::size_t(1));
    }

    void aVeryLongNoteHolds()
    {
        // 100 quarters = 1,200 units: 576 on the note's step, then holds of 576 and 48.
        CompoundEncodingStats stats;
        const Score score =
            scoreOfNotes({ quarterNote(48, 0, 100), quarterNote(60, 0, 1), quarterNote(62, 1, 2) });
        const auto steps = compoundSteps(score, &stats);
        const std::vector<CompoundStep> expected { { 0, 48, 576, 20 },
                                                   { 0, kHold, 576, 0 },
                                                   { 0, kHold, 48, 0 },
                                                   { 0, 60, 12, 20 },
                                                   { 12, 62, 12, 20 } };
        QCOMPARE(steps, expected);
        QCOMPARE(stats.holdSteps, std::size_t(2));
        QCOMPARE(decodedGrid(decodeCompound(steps)), expectedGrid(score));
    }

    void tokensFlattenAndTranspose()
    {
        const std::vector<CompoundStep> steps { { 0, 60, 12, 20 }, { 96, kWait, 0, 0 }, { 12, 64, 6, 10 } };
        std::vector<std::int32_t> tokens = flattenCompoundSteps(steps);
        QCOMPARE(tokens.size(), std::size_t(12));
        QCOMPARE(compoundStepsOf(tokens.data(), 3), steps);
        QVERIFY(transposeCompound(tokens.data(), 3, 5));
        QCOMPARE(tokens[1], 65);
        QCOMPARE(tokens[5], kWait); // a wait is no pitch
        QCOMPARE(tokens[9], 69);
        QVERIFY(!transposeCompound(tokens.data(), 3, 60)); // 129 is no pitch: nothing changes
        QCOMPARE(tokens[1], 65);
    }

    void everyCorpusRoundTripsExactly_data()
    {
        QTest::addColumn<QString>("folder");
        for (const char *folder :
             { "piano-classical", "mutopia-keyboard", "piano-classical-extra", "folk-melody-chords" })
            QTest::newRow(folder) << QString(folder);
    }

    void everyCorpusRoundTripsExactly()
    {
        // No unknown token and nothing clamped (long rests wait, long notes hold): every note of every
        // file comes back on the grid, with its pitch, duration and velocity bin.
        QFETCH(QString, folder);
        const auto root = test::sharedCorpus(folder.toStdString());
        if (root.empty())
            QSKIP("the shared corpus is absent");
        CompoundEncodingStats total;
        std::size_t files = 0, steps = 0;
        for (const auto &path : findMidiFiles(root)) {
            Score score;
            try {
                score = readScoreFile(path);
            } catch (const Error &) {
                continue; // the reader's tests cover files it refuses
            }
            CompoundEncodingStats stats;
            const std::vector<CompoundStep> encoded = compoundSteps(score, &stats);
            QVERIFY2(decodedGrid(decodeCompound(encoded)) == expectedGrid(score), path.string().c_str());
            total.notes += stats.notes;
            total.holdSteps += stats.holdSteps;
            total.mergedNotes += stats.mergedNotes;
            total.lengthenedNotes += stats.lengthenedNotes;
            steps += encoded.size();
            ++files;
        }
        qInfo("%s: %zu files, %zu notes in %zu steps (%zu holds); %zu merged (same onset and pitch), %zu "
              "lengthened to one unit",
              qPrintable(folder), files, total.notes, steps, total.holdSteps, total.mergedNotes,
              total.lengthenedNotes);
        QVERIFY(files > 0);
    }
};

QTEST_APPLESS_MAIN(TestCompoundRepr)
#include "tst_compoundrepr.moc"
