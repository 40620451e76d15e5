// SPDX-License-Identifier: GPL-3.0-or-later
// Seeds: bar and beat positions, a range of a score, and random windows from a corpus.
#include "testutil.h"

#include "core/error.h"
#include "generate/seed.h"
#include "generate/seedgrid.h"
#include "jobs/jobcontext.h"
#include "repr/grid.h"
#include "score/smfconvert.h"

#include <QTemporaryDir>
#include <QtTest>

#include <random>
#include <set>

using namespace continuo;

namespace {

/// A score at 480 ticks per quarter: 3/4 for two bars, then 4/4; 100 bpm, then 50 bpm from tick 2880.
Score meterChangeScore()
{
    Score score;
    score.division.ticksPerQuarter = 480;
    score.tempoMap = TempoMap(480, { { 0, 600000 }, { 2880, 1200000 } });
    score.timeSignatures = { { 0, 3, 4 }, { 2880, 4, 4 } };
    score.keySignatures = { { 0, -1, true } }; // D minor
    score.parts = { Part { "Piano", {}, 0, false } };
    return score;
}

void addNote(Score &score, int pitch, std::int64_t start, std::int64_t end, int channel = 0)
{
    Note note;
    note.pitch = pitch;
    note.startTick = start;
    note.endTick = end;
    note.channel = channel;
    score.notes.push_back(note);
    score.endTick = std::max(score.endTick, end);
}

/// A scale run of `notes` eighth notes on distinct pitches from C4, in 4/4 at 480 ticks per quarter.
Score scaleRun(int notes)
{
    Score score;
    score.parts = { Part {} };
    static const int steps[] = { 0, 2, 4, 5, 7, 9, 11 };
    for (int i = 0; i < notes; ++i)
        addNote(score, 60 + 12 * (i / 7 % 2) + steps[i % 7], i * 240, i * 240 + 240);
    score.updateSeconds();
    return score;
}

/// `notes` notes `step` ticks apart, at 480 ticks per quarter and 120 bpm, each onset moved by
/// jitter(i) ticks.
template <typename Jitter> Score evenRun(int notes, std::int64_t step, Jitter jitter)
{
    Score score;
    score.parts = { Part {} };
    for (int i = 0; i < notes; ++i) {
        const std::int64_t at = std::max<std::int64_t>(0, i * step + jitter(i));
        addNote(score, 60 + i % 8, at, at + step);
    }
    score.updateSeconds();
    score.sortEvents();
    return score;
}

Score evenRun(int notes, std::int64_t step)
{
    return evenRun(notes, step, [](int) { return std::int64_t(0); });
}

} // namespace

class TestSeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void barLinesFollowTheMeter()
    {
        const Score score = meterChangeScore();
        const std::vector<std::int64_t> bars = barStartTicks(score, 6000);
        QCOMPARE(bars, (std::vector<std::int64_t> { 0, 1440, 2880, 4800, 6720 }));
        // A change in the middle of a bar starts a new bar there.
        Score odd = meterChangeScore();
        odd.timeSignatures = { { 0, 4, 4 }, { 2400, 3, 4 } };
        QCOMPARE(barStartTicks(odd, 3000), (std::vector<std::int64_t> { 0, 1920, 2400, 3840 }));
    }

    void positionsInBarsBeatsAndSeconds()
    {
        const Score score = meterChangeScore();
        QCOMPARE(tickAt(score, 1, TimeUnit::Bars), std::int64_t(0));
        QCOMPARE(tickAt(score, 2, TimeUnit::Bars), std::int64_t(1440));
        QCOMPARE(tickAt(score, 3, TimeUnit::Bars), std::int64_t(2880));
        QCOMPARE(tickAt(score, 3.5, TimeUnit::Bars), std::int64_t(3840));
        QCOMPARE(tickAt(score, 10, TimeUnit::Bars), std::int64_t(2880 + 7 * 1920)); // past the end
        QCOMPARE(tickAt(score, 4, TimeUnit::Beats), std::int64_t(1440)); // 3 beats a bar at first
        QCOMPARE(tickAt(score, 7, TimeUnit::Beats), std::int64_t(2880));
        QCOMPARE(tickAt(score, 8.5, TimeUnit::Beats), std::int64_t(3600));
        QCOMPARE(tickAt(score, 0.6, TimeUnit::Seconds), std::int64_t(480)); // 100 bpm
        QCOMPARE(tickAt(score, 3.6 + 1.2, TimeUnit::Seconds), std::int64_t(2880 + 480)); // then 50 bpm
        QVERIFY_THROWS_EXCEPTION(GenerationError, tickAt(score, 0, TimeUnit::Bars));
        QVERIFY_THROWS_EXCEPTION(GenerationError, tickAt(score, -1, TimeUnit::Seconds));
    }

    void aRangeKeepsItsNotesTempoMeterKeyAndPedal()
    {
        Score score = meterChangeScore();
        addNote(score, 60, 0, 480);
        addNote(score, 62, 1400, 1500); // starts before the range: left out
        addNote(score, 64, 1440, 1920);
        addNote(score, 65, 2800, 3400); // cut at the range's end
        addNote(score, 67, 2880, 3000); // starts at the end: left out
        score.pedals = { { 1000, 0, 0, true }, { 2000, 0, 0, false } };
        score.updateSeconds();
        const Score seed = seedFromRange(score, 1440, 2880);
        QCOMPARE(seed.notes.size(), std::size_t(2));
        QCOMPARE(seed.notes[0].pitch, 64);
        QCOMPARE(seed.notes[0].startTick, std::int64_t(0));
        QCOMPARE(seed.notes[1].pitch, 65);
        QCOMPARE(seed.notes[1].endTick, std::int64_t(1440));
        QCOMPARE(seed.endTick, std::int64_t(1440));
        QCOMPARE(seed.timeSignatureAt(0).numerator, 3);
        QCOMPARE(seed.keySignatures.size(), std::size_t(1));
        QCOMPARE(seed.keySignatures[0].name(), std::string("D minor"));
        QCOMPARE(seed.tempoMap.usPerQuarterAt(0), 600000u);
        QCOMPARE(seed.pedals.size(), std::size_t(2)); // down at the start (held), up at 560
        QVERIFY(seed.pedals[0].isDown && seed.pedals[0].tick == 0);
        QCOMPARE(seed.pedals[1].tick, std::int64_t(560));
        // From the tempo change on, the seed's own tempo map starts at 50 bpm.
        const Score later = seedFromRange(score, 2800, 4000);
        QCOMPARE(later.tempoMap.usPerQuarterAt(0), 600000u);
        QCOMPARE(later.tempoMap.usPerQuarterAt(80), 1200000u);
        QCOMPARE(later.timeSignatureAt(100).numerator, 4);
        QVERIFY_THROWS_EXCEPTION(GenerationError, seedFromRange(score, 4000, 5000)); // no notes
        QVERIFY_THROWS_EXCEPTION(GenerationError, seedFromRange(score, 500, 500));
    }

    void aSeedLastsAtMostAnHour()
    {
        Score seed = scaleRun(8); // 120 bpm (the default tempo): a quarter is half a second
        requireSeedDuration(seed); // two seconds
        seed.endTick = 2 * 3600 * 480 - 480; // a quarter under an hour
        requireSeedDuration(seed);
        seed.endTick = 2LL * 24 * 3600 * 2 * 480; // two days: a damaged file's clock
        try {
            requireSeedDuration(seed, "The seed from broken.mid");
            QFAIL("a seed of two days passed");
        } catch (const GenerationError &error) {
            QCOMPARE(QString(error.what()),
                     QString("The seed from broken.mid lasts 48.0 hours; a seed may last at most an hour: "
                             "choose a range of it."));
        }
    }

    void windowScoresRejectWhatMakesABadSeed()
    {
        const Score run = scaleRun(16);
        QVERIFY(seedWindowScore(run, 0, 1920) > 0.5);
        QCOMPARE(seedWindowScore(run, 4000, 6000), 0.0); // silence after the end
        Score repeated;
        for (int i = 0; i < 8; ++i)
            addNote(repeated, 60, i * 240, i * 240 + 240);
        QCOMPARE(seedWindowScore(repeated, 0, 1920), 0.0); // one repeated note
        Score chord;
        for (int i = 0; i < 4; ++i)
            for (int pitch : { 60, 64, 67, 72 })
                addNote(chord, pitch, i * 480, i * 480 + 480);
        QCOMPARE(seedWindowScore(chord, 0, 1920), 0.0); // one repeated chord
        Score sparse = scaleRun(16);
        sparse.notes.resize(3);
        QCOMPARE(seedWindowScore(sparse, 0, 1920), 0.0); // too few notes
        Score drums = scaleRun(16);
        for (Note &note : drums.notes)
            note.channel = kDrumChannel;
        QCOMPARE(seedWindowScore(drums, 0, 1920), 0.0);
    }

    void aContinuationGoesOnAtTheSeedsSteadyPace()
    {
        // 16 quarters at 0.5 s, then a ritardando: 2 quarters at 1 s. The last 8 s hold 14 quarters.
        Score seed = evenRun(36, 240);
        seed.tempoMap = TempoMap(480, { { 0, 500000 }, { 7680, 1000000 } });
        seed.updateSeconds();
        QCOMPARE(seed.endTick, std::int64_t(8640));
        const Score paced = seedWithSteadyPace(seed);
        QCOMPARE(paced.tempoMap.usPerQuarterAt(8639), 1000000u);
        QCOMPARE(paced.tempoMap.usPerQuarterAt(8640), 571429u); // 8 s over 14 quarters
        QCOMPARE(paced.durationSec(), seed.durationSec());
        QCOMPARE(paced.notes, seed.notes);
        // A steady seed, and one whose last tempo is within 1% of its mean, are left as they are.
        const Score steady = evenRun(36, 240);
        QCOMPARE(seedWithSteadyPace(steady).tempoMap.changes(), steady.tempoMap.changes());
        seed.tempoMap = TempoMap(480, { { 0, 500000 }, { 7680, 504000 } });
        QCOMPARE(seedWithSteadyPace(seed).tempoMap.changes(), seed.tempoMap.changes());
    }

    void aSeedInThirtySecondsIsReadOnAFinerGrid()
    {
        // Thirty-second notes (60 ticks, 1.5 grid units) are read twice as finely, as 3 units.
        const Score thirtySeconds = evenRun(32, 60);
        QCOMPARE(seedGridFactor(thirtySeconds), 2);
        const Score read = readFiner(thirtySeconds, 2);
        QCOMPARE(read.ticksPerQuarter(), 240);
        QCOMPARE(read.notes, thirtySeconds.notes);
        QCOMPARE(read.durationSec(), thirtySeconds.durationSec());
        grid::GridCounts counts;
        const std::vector<grid::GridNote> notes = grid::gridNotes(read, counts);
        for (std::size_t i = 1; i < notes.size(); ++i)
            QCOMPARE(notes[i].onset - notes[i - 1].onset, std::int64_t(3));
        // A sixteenth and two thirty-seconds by turns, 240 ticks a turn; a chord's notes a few
        // ticks apart are not steps.
        Score mixed = evenRun(36, 80, [](int i) {
            const std::int64_t shift[] = { 0, 40, 20 }; // onsets 0, 120, 180 of each 240
            return shift[i % 3];
        });
        addNote(mixed, 48, 3, 200);
        mixed.sortEvents();
        QCOMPARE(seedGridFactor(mixed), 2);
        // Sixteenths, triplets and longer notes are on the grid.
        QCOMPARE(seedGridFactor(evenRun(32, 120)), 1);
        QCOMPARE(seedGridFactor(evenRun(32, 160)), 1);
        QCOMPARE(seedGridFactor(evenRun(16, 480)), 1);
        // Sixteenths played by a person, each onset up to 25 ms (20 ticks) off, sit on no grid.
        std::mt19937 rng(5);
        std::uniform_int_distribution<int> offBy(-20, 20);
        QCOMPARE(seedGridFactor(evenRun(64, 120, [&](int) { return std::int64_t(offBy(rng)); })), 1);
        // An odd division cannot be halved.
        Score odd = thirtySeconds;
        odd.division.ticksPerQuarter = 481;
        QCOMPARE(seedGridFactor(odd), 1);
    }

    void aSeedPlayedByAPersonIsSnappedToItsSteps()
    {
        // Sixteenths (120 ticks) played a little early or late (up to 25 ms: 24 ticks at 120 bpm)
        // and slowing by 4%, a two-note chord on every beat struck a little apart.
        std::mt19937 rng(11);
        std::uniform_int_distribution<int> offBy(-24, 24);
        Score played;
        played.parts = { Part {} };
        for (int i = 0; i < 32; ++i) {
            const auto at = [&] {
                return std::int64_t(std::lround(i * 120 * (1 + 0.04 * i / 32))) + offBy(rng);
            };
            addNote(played, 72 + i % 5, std::max<std::int64_t>(0, at()), at() + 100);
            if (i % 4 == 0)
                addNote(played, 48, std::max<std::int64_t>(0, at()), at() + 400);
        }
        played.sortEvents();
        played.updateSeconds();
        const Score snapped = snappedToPlayedSteps(played);
        QCOMPARE(snapped.notes.size(), played.notes.size());
        std::set<std::int64_t> onsets;
        for (const Note &note : snapped.notes)
            onsets.insert(note.startTick);
        QCOMPARE(onsets.size(), std::size_t(32)); // each chord on one onset
        for (auto it = std::next(onsets.begin()); it != onsets.end(); ++it)
            QCOMPARE(*it - *std::prev(it), std::int64_t(120));
        // The last onset stays where it was played: the continuation goes on from there.
        std::int64_t lastPlayed = 0;
        for (const Note &note : played.notes)
            lastPlayed = std::max(lastPlayed, note.startTick);
        QCOMPARE(*onsets.rbegin(), lastPlayed);
        // Triplet eighths (160 ticks) played so are snapped to theirs.
        const Score triplets = evenRun(24, 160, [&](int) { return std::int64_t(offBy(rng)); });
        const Score tripletsSnapped = snappedToPlayedSteps(triplets);
        for (std::size_t i = 1; i < tripletsSnapped.notes.size(); ++i)
            QCOMPARE(tripletsSnapped.notes[i].startTick - tripletsSnapped.notes[i - 1].startTick,
                     std::int64_t(160));
        // A seed on the grid stays as it is, and so does one whose steps are on no grid.
        const Score exact = evenRun(32, 120);
        QCOMPARE(snappedToPlayedSteps(exact).notes, exact.notes);
        std::uniform_int_distribution<int> anyStep(30, 400);
        std::int64_t at = 0;
        const Score unmetered = evenRun(32, 0, [&](int) { return at += anyStep(rng); });
        QCOMPARE(snappedToPlayedSteps(unmetered).notes, unmetered.notes);
    }

    void randomSeedsAreUsefulAndReproducible()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path folder = dir.path().toStdString();
        Score silent;
        silent.endTick = 1920 * 10;
        saveScoreFile(silent, folder / "silent.mid");
        std::filesystem::create_directory(folder / "sub");
        saveScoreFile(scaleRun(64), folder / "sub" / "run.mid"); // 8 bars
        PlainJobContext context;
        const CorpusSeed a = randomSeedFromCorpus(folder, 2, 5, context);
        const CorpusSeed b = randomSeedFromCorpus(folder, 2, 5, context);
        QCOMPARE(a.file.filename().string(), std::string("run.mid"));
        QCOMPARE(a.firstBar, b.firstBar);
        QCOMPARE(a.seed.notes, b.seed.notes);
        QVERIFY(a.firstBar >= 1 && a.firstBar + 2 - 1 <= 8 - 2); // never the last two bars
        QCOMPARE(a.seed.endTick, std::int64_t(2 * 1920));
        std::set<int> firstBars;
        for (std::uint64_t rng = 0; rng < 40; ++rng)
            firstBars.insert(randomSeedFromCorpus(folder, 2, rng, context).firstBar);
        QVERIFY(firstBars.size() >= 3); // different seeds pick different windows
        QVERIFY_THROWS_EXCEPTION(GenerationError, randomSeedFromCorpus(folder, 8, 5, context));
    }

    void randomSeedsFromTheSharedCorpus()
    {
        const std::filesystem::path corpus = test::sharedCorpus("piano-classical");
        if (corpus.empty())
            QSKIP("../shared/corpus/piano-classical is absent");
        PlainJobContext context;
        for (std::uint64_t rng : { 1, 2, 3 }) {
            const CorpusSeed seed = randomSeedFromCorpus(corpus, 4, rng, context);
            QVERIFY(seedWindowScore(seed.seed, 0, seed.seed.endTick) > 0);
            const Score piece = readScoreFile(seed.file);
            const std::vector<std::int64_t> bars = barStartTicks(piece, piece.endTick);
            QVERIFY(seed.firstBar + 4 - 1 <= int(bars.size()) - 1 - 2);
            qInfo("rng %d: %s bars %d-%d, %zu notes", int(rng), seed.file.filename().c_str(), seed.firstBar,
                  seed.firstBar + 3, seed.seed.notes.size());
        }
    }
};

QTEST_APPLESS_MAIN(TestSeed)
#include "tst_seed.moc"
