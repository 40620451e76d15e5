// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for datasets: split by file, windows, transposition, corpus encoding.
#include "core/error.h"
#include "data/dataset.h"
#include "repr/beatphase.h"
#include "repr/performance.h"
#include "testutil.h"

#include <QtTest>

#include <set>

using namespace continuo;

namespace {
/// Three files of 1 head: 0..9, 100..149, 200..202 (too short for a window of 4).
TokenCorpus smallCorpus()
{
    TokenCorpus corpus;
    for (const auto &[first, count] :
         std::vector<std::pair<int, int>> { { 0, 10 }, { 100, 50 }, { 200, 3 } }) {
        std::vector<std::int32_t> tokens;
        for (int i = 0; i < count; ++i)
            tokens.push_back(first + i);
        corpus.sequences.push_back(tokens);
        corpus.files.emplace_back("f" + std::to_string(first));
    }
    return corpus;
}
} // namespace

class TestDataset : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitIsDeterministicDisjointAndComplete()
    {
        const FileSplit a = splitByFile(296, 0.1, 42), b = splitByFile(296, 0.1, 42),
                        c = splitByFile(296, 0.1, 43);
        QCOMPARE(a.validation, b.validation);
        QVERIFY(a.validation != c.validation);
        QCOMPARE(a.validation.size(), std::size_t(30));
        QCOMPARE(a.train.size(), std::size_t(266));
        std::set<std::size_t> all(a.train.begin(), a.train.end());
        all.insert(a.validation.begin(), a.validation.end());
        QCOMPARE(all.size(), std::size_t(296));
        QCOMPARE(splitByFile(2, 0.1, 1).validation.size(), std::size_t(1));
        QCOMPARE(splitByFile(1, 0.1, 1).validation.size(), std::size_t(0));
        // Pinned: mt19937_64 and our shuffle are fully specified, so these are the same everywhere.
        QCOMPARE(splitByFile(10, 0.3, 7).validation, (std::vector<std::size_t> { 0, 4, 7 }));
    }

    void uniformIndexCoversItsRange()
    {
        std::mt19937_64 rng(1);
        std::vector<int> counts(7, 0);
        for (int i = 0; i < 70000; ++i)
            ++counts[std::size_t(uniformIndex(rng, 7))];
        for (const int count : counts)
            QVERIFY(count > 9000 && count < 11000);
    }

    void windowsAreSlicesOfLongEnoughFiles()
    {
        const TokenCorpus corpus = smallCorpus();
        WindowSampler sampler(corpus, { 0, 1, 2 }, 4, 5);
        QVERIFY(!sampler.isEmpty());
        const auto batch = sampler.sample(400);
        QCOMPARE(batch.size(), std::size_t(400 * 5));
        int fromShort = 0, fromLong = 0;
        for (std::size_t w = 0; w < 400; ++w) {
            const std::int32_t *window = batch.data() + w * 5;
            for (int i = 1; i < 5; ++i)
                QCOMPARE(window[i], window[0] + i); // consecutive tokens of one file
            QVERIFY(window[0] < 200); // never the 3-step file
            (window[0] < 100 ? fromShort : fromLong) += 1;
        }
        // Weighted by windows per file: 6 starts against 46.
        QVERIFY(fromLong > 5 * fromShort);
        WindowSampler again(corpus, { 0, 1, 2 }, 4, 5);
        QCOMPARE(again.sample(400), batch);
        QVERIFY(WindowSampler(corpus, { 2 }, 4, 5).isEmpty());
    }

    void sequentialWindowsTileTheFiles()
    {
        const TokenCorpus corpus = smallCorpus();
        const auto windows = sequentialWindows(corpus, { 0, 2 }, 4);
        // File 0 (10 steps): windows start at 0 and 4 (4 + 5 <= 10); the 3-step file gives none.
        QCOMPARE(windows, (std::vector<std::int32_t> { 0, 1, 2, 3, 4, 4, 5, 6, 7, 8 }));
    }

    void beatPhaseWindowsStartFromTheBeat()
    {
        // One compound file (time, pitch, duration, velocity) whose onsets are 0, 5, 5, 17, 20, 32.
        TokenCorpus corpus;
        corpus.heads = 4;
        corpus.sequences.emplace_back();
        for (const int time : { 0, 5, 0, 12, 3, 12 })
            corpus.sequences[0].insert(corpus.sequences[0].end(), { time, 60, 6, 20 });
        corpus.files.emplace_back("f");
        QCOMPARE(beatphase::onsetOfStep(corpus.sequences[0].data(), 4), std::int64_t(20));
        const auto windows = sequentialWindows(corpus, { 0 }, 2, true);
        // Windows at steps 0 and 2: their first times become 0 and 5 (onsets 0 and 5), the rest stay.
        QCOMPARE(windows.size(), std::size_t(2 * 3 * 4));
        QCOMPARE(windows[0], 0);
        QCOMPARE(windows[12], 5);
        QCOMPARE(windows[16], 12);
        QCOMPARE(windows[20], 3);
        WindowSampler sampler(corpus, { 0 }, 2, 1);
        sampler.setStartsOnBeat(true);
        std::set<int> seconds;
        for (int i = 0; i < 40; ++i) {
            const auto window = sampler.sample(1);
            // Starts 0..3, onsets 0, 5, 5 and 17 (5 in the beat); the second step's time tells which.
            seconds.insert(window[4]);
            QCOMPARE(window[0], window[4] == 5 ? 0 : 5);
        }
        QCOMPARE(seconds.size(), std::size_t(4));
    }

    void performanceTransposition()
    {
        using namespace performance;
        std::vector<std::int32_t> tokens = { 60, kNoteOffBase + 60, kTimeShiftBase + 3, kVelocityBase + 5 };
        QVERIFY(transposePerformance(tokens.data(), tokens.size(), 2));
        QCOMPARE(tokens, (std::vector<std::int32_t> { 62, kNoteOffBase + 62, kTimeShiftBase + 3,
                                                      kVelocityBase + 5 }));
        std::vector<std::int32_t> high = { 126, 10 };
        QVERIFY(!transposePerformance(high.data(), high.size(), 3));
        QCOMPARE(high, (std::vector<std::int32_t> { 126, 10 })); // unchanged
    }

    void notesTranspositionThroughTheVocabulary()
    {
        const NotesVocabulary vocabulary =
            NotesVocabulary::fromPitchSetsText({ "60", "62", "60.64", "62.66" });
        const NotesTransposer transposer(vocabulary, 3);
        std::vector<std::int32_t> steps = { vocabulary.tokenOf({ 60 }),     0,  12,
                                            vocabulary.tokenOf({ 60, 64 }), 12, 6 };
        QVERIFY(transposer(steps.data(), 2, 2));
        QCOMPARE(steps[0], vocabulary.tokenOf({ 62 }));
        QCOMPARE(steps[3], vocabulary.tokenOf({ 62, 66 }));
        QCOMPARE(steps[1], 0); // offsets and durations untouched
        QVERIFY(!transposer(steps.data(), 2, 1)); // 63 is not in the vocabulary
        QCOMPARE(steps[0], vocabulary.tokenOf({ 62 }));
        const TokenCorpus corpus { 3, { steps }, { "x" } };
        WindowSampler sampler(corpus, { 0 }, 1, 9, 3, transposer);
        QCOMPARE(sampler.sample(10).size(), std::size_t(10 * 2 * 3));
    }

    void encodesTheSharedCorpus()
    {
        const auto root = test::sharedCorpus("piano-classical");
        if (root.empty())
            QSKIP("the shared piano corpus is absent");
        PlainJobContext context;
        const ScanEncoding performanceEncoding = performanceScanEncoding(),
                           notesEncoding = notesScanEncoding();
        const TokenCorpus performance =
            encodePerformanceCorpus(scanCorpus(root, context, 0, &performanceEncoding));
        QCOMPARE(performance.sequences.size(), std::size_t(296));
        const CorpusScan scan = scanCorpus(root, context, 0, &notesEncoding);
        QVERIFY_THROWS_EXCEPTION(ModelError, encodePerformanceCorpus(scanCorpus(root, context)));
        const auto steps = chordStepsOfCorpus(scan);
        const FileSplit split = splitByFile(steps.size(), 0.1, 0);
        std::vector<std::vector<ChordStep>> trainSteps;
        for (const std::size_t f : split.train)
            trainSteps.push_back(steps[f]);
        const NotesVocabulary vocabulary = NotesVocabulary::build(trainSteps, 2);
        NotesEncodingStats stats;
        const TokenCorpus notes = encodeNotesCorpus(scan, steps, vocabulary, &stats);
        QCOMPARE(notes.heads, 3);
        qInfo("performance: %zu tokens; notes: %zu steps, vocabulary %d, %zu notes unknown",
              performance.totalSteps(), notes.totalSteps(), vocabulary.size(), stats.unknownNotes);
        WindowSampler sampler(performance, split.train, 128, 0, 5, transposePerformance);
        QCOMPARE(sampler.sample(32).size(), std::size_t(32 * 129));
    }
};

QTEST_APPLESS_MAIN(TestDataset)
#include "tst_dataset.moc"
