// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the continuation figures: hand-built note lists with known pitch, key, density,
// register, rhythm and loop values, the summary's NaN handling, and cutting a score by seconds.
#include "analysis/continuationmetrics.h"
#include "analysistestutil.h"

#include <QtTest>
#include <cmath>

using namespace continuo;

namespace {

Note noteAt(int pitch, double startSec, double lengthSec = 0.25)
{
    Note note;
    note.pitch = pitch;
    note.startSec = startSec;
    note.endSec = startSec + lengthSec;
    return note;
}

/// One note every `stepSec` seconds from 0.
std::vector<Note> line(const std::vector<int> &pitches, double stepSec = 0.5)
{
    std::vector<Note> notes;
    for (std::size_t i = 0; i < pitches.size(); ++i)
        notes.push_back(noteAt(pitches[i], double(i) * stepSec));
    return notes;
}

/// Notes at the given onsets, all of one pitch.
std::vector<Note> onsetsAt(const std::vector<double> &startsSec, int pitch = 60)
{
    std::vector<Note> notes;
    for (const double at : startsSec)
        notes.push_back(noteAt(pitch, at));
    return notes;
}

std::vector<Note> transposed(std::vector<Note> notes, int semitones)
{
    for (Note &note : notes)
        note.pitch += semitones;
    return notes;
}

const std::vector<int> kCMajor = { 60, 62, 64, 65, 67, 69, 71 };

} // namespace

class TestContinuationMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void identicalContinuation()
    {
        // A melody with a chord and uneven rhythm, compared with itself.
        std::vector<Note> truth = line({ 60, 62, 64, 65, 67 }, 0.5);
        truth.push_back(noteAt(48, 0.0, 1.0));
        truth.push_back(noteAt(55, 0.005, 1.0)); // rolled chord: one onset with the 60
        truth.push_back(noteAt(72, 2.75));
        const std::vector<Note> seed = line(kCMajor);
        const ContinuationFigures f = compareContinuation(seed, truth, truth);
        QCOMPARE(f.pitchContent, 1.0);
        QCOMPARE(f.key, 0.0);
        QCOMPARE(f.density, 0.0);
        QCOMPARE(f.registerMean, 0.0);
        QCOMPARE(f.registerSpan, 0.0);
        QCOMPARE(f.rhythm, 1.0);
    }

    void tritoneLowersPitchContent()
    {
        const std::vector<Note> truth = line(kCMajor);
        const ContinuationFigures same = compareContinuation({}, truth, truth);
        // C major up a tritone is F# major: it shares only F and B with C major.
        const ContinuationFigures tritone = compareContinuation({}, transposed(truth, 6), truth);
        QCOMPARE(same.pitchContent, 1.0);
        QVERIFY(tritone.pitchContent < same.pitchContent);
        QCOMPARE(tritone.pitchContent, 2.0 / 7.0);
        // Disjoint pitch classes overlap not at all.
        QCOMPARE(compareContinuation({}, line({ 61, 63 }), line({ 60, 62 })).pitchContent, 0.0);
        // Octaves do not matter.
        QCOMPARE(compareContinuation({}, transposed(truth, -24), truth).pitchContent, 1.0);
    }

    void keyAgainstTheSeed()
    {
        const std::vector<Note> seed = line(kCMajor);
        const std::vector<Note> truth = line({ 60, 64, 67, 72 }); // all in C major
        // Half the continuation's notes are outside C major: 0.5 - 1.
        QCOMPARE(compareContinuation(seed, line({ 60, 61, 62, 63 }), truth).key, -0.5);
        // The other way round: the truth leaves the seed's scale more than the continuation.
        QCOMPARE(compareContinuation(seed, truth, line({ 60, 61, 62, 63 })).key, 0.5);
        // Without a seed, or without notes on either side, there is no key figure.
        QVERIFY(std::isnan(compareContinuation({}, truth, truth).key));
        QVERIFY(std::isnan(compareContinuation(seed, {}, truth).key));
        QVERIFY(std::isnan(compareContinuation(seed, truth, {}).key));
    }

    void keyTiesGoToTheLowerClass()
    {
        // Eight classes once each: the top seven are C..F#, G (7) is left out.
        const std::vector<Note> seed = line({ 60, 61, 62, 63, 64, 65, 66, 67 });
        QCOMPARE(compareContinuation(seed, line({ 67, 79 }), line({ 60, 72 })).key, -1.0);
        // Counts come first: with a second G the top seven are G (2 notes), then C, C#, D, D#, E
        // and F by the lower class, so F# (6) is out.
        std::vector<Note> seedWithG = seed;
        seedWithG.push_back(noteAt(55, 5.0));
        QCOMPARE(compareContinuation(seedWithG, line({ 67 }), line({ 60 })).key, 0.0);
        QCOMPARE(compareContinuation(seedWithG, line({ 66 }), line({ 60 })).key, -1.0);
        // A seed of fewer than seven classes counts only the classes it has.
        QCOMPARE(compareContinuation(line({ 60, 64, 67 }), line({ 61 }), line({ 60 })).key, -1.0);
    }

    void density()
    {
        const std::vector<Note> truth = line({ 60, 62, 64, 65 });
        QCOMPARE(compareContinuation({}, line({ 60, 62, 64, 65, 67, 69, 71, 72 }), truth).density, 1.0);
        QCOMPARE(compareContinuation({}, line({ 60, 62 }), truth).density, 1.0);
        QCOMPARE(compareContinuation({}, truth, truth).density, 0.0);
        QVERIFY(std::isnan(compareContinuation({}, {}, truth).density));
        QVERIFY(std::isnan(compareContinuation({}, truth, {}).density));
    }

    void registerFigures()
    {
        const std::vector<Note> truth = line({ 60, 64, 67 }); // span 7
        const ContinuationFigures up = compareContinuation({}, transposed(truth, 12), truth);
        QCOMPARE(up.registerMean, 12.0);
        QCOMPARE(up.registerSpan, 0.0);
        const ContinuationFigures wide = compareContinuation({}, line({ 60, 72 }), truth); // span 12
        QCOMPARE(wide.registerSpan, 5.0);
        QCOMPARE(wide.registerMean, std::abs(66.0 - (60.0 + 64.0 + 67.0) / 3.0));
        QVERIFY(std::isnan(compareContinuation({}, {}, truth).registerMean));
        QVERIFY(std::isnan(compareContinuation({}, {}, truth).registerSpan));
    }

    void rhythm()
    {
        const std::vector<Note> truth = onsetsAt({ 0.0, 0.5, 1.0, 1.5, 2.0 }); // four IOIs of 0.5 s
        // Twice as slow: every interval in another bin.
        QCOMPARE(compareContinuation({}, onsetsAt({ 0.0, 1.0, 2.0 }), truth).rhythm, 0.0);
        // 0.55 s is nearer to 0.5 s than to 0.5 * sqrt 2 s on a log scale: the same bin.
        QCOMPARE(compareContinuation({}, onsetsAt({ 0.0, 0.55, 1.1 }), truth).rhythm, 1.0);
        // Half at 0.5 s, half at 1 s.
        QCOMPARE(compareContinuation({}, onsetsAt({ 0.0, 0.5, 1.5 }), truth).rhythm, 0.5);
        // Notes less than 20 ms apart are one onset, so rolled chords do not add tiny intervals.
        std::vector<Note> rolled = truth;
        for (const Note &note : truth)
            rolled.push_back(noteAt(67, note.startSec + 0.012));
        QCOMPARE(compareContinuation({}, rolled, truth).rhythm, 1.0);
        // Drum notes are left out.
        std::vector<Note> withDrums = truth;
        Note drum = noteAt(36, 0.25);
        drum.channel = kDrumChannel;
        withDrums.push_back(drum);
        QCOMPARE(compareContinuation({}, withDrums, truth).rhythm, 1.0);
        QCOMPARE(compareContinuation({}, withDrums, truth).density, 0.0);
        // Clamped at both ends: 8 s and 20 s share the top bin, 25 ms and 30 ms the bottom one.
        QCOMPARE(compareContinuation({}, onsetsAt({ 0.0, 8.0 }), onsetsAt({ 0.0, 20.0 })).rhythm, 1.0);
        QCOMPARE(compareContinuation({}, onsetsAt({ 0.0, 0.025 }), onsetsAt({ 0.0, 0.030 })).rhythm, 1.0);
        // Order of the input does not matter.
        const std::vector<Note> backwards(truth.rbegin(), truth.rend());
        QCOMPARE(compareContinuation({}, backwards, truth).rhythm, 1.0);
        // One onset has no interval.
        QVERIFY(std::isnan(compareContinuation({}, onsetsAt({ 0.0, 0.01 }), truth).rhythm));
        QVERIFY(std::isnan(compareContinuation({}, truth, {}).rhythm));
    }

    void loopShareByHand()
    {
        const std::vector<Note> seed = line({ 60, 62, 64, 65, 67, 69 });
        QCOMPARE(loopShare(seed, seed), 1.0);
        // The seed replayed later, at another speed: only the pitch order counts.
        QCOMPARE(loopShare(seed, line({ 60, 62, 64, 65, 67, 69 }, 0.3)), 1.0);
        QCOMPARE(loopShare(seed, line({ 61, 63, 66, 68, 70 })), 0.0);
        // A run of three (60 62 64) out of six notes.
        QCOMPARE(loopShare(seed, line({ 60, 62, 64, 72, 74, 76 })), 0.5);
        // The longest run counts, not the sum of runs: 64 65 67 (3) beats 60 62 (2).
        QCOMPARE(loopShare(seed, line({ 60, 62, 71, 64, 65, 67 })), 0.5);
        // Not transposition-invariant.
        QCOMPARE(loopShare(seed, transposed(seed, 12)), 0.0);
        // A stretch of the seed, played once.
        QCOMPARE(loopShare(seed, line({ 64, 65, 67 })), 1.0);
        QCOMPARE(loopShare(seed, {}), 0.0);
        QCOMPARE(loopShare({}, seed), 0.0);
        QCOMPARE(compareContinuation(seed, line({ 60, 62, 64, 72, 74, 76 }), seed).loop, 0.5);
    }

    void loopShareOrdersChordsByPitch()
    {
        // The seed's chord is listed top down, the continuation's bottom up and rolled by 8 ms.
        const std::vector<Note> seed = { noteAt(67, 0.0), noteAt(64, 0.0), noteAt(60, 0.0), noteAt(72, 0.5) };
        const std::vector<Note> continuation = { noteAt(67, 0.0), noteAt(60, 0.008), noteAt(64, 0.004),
                                                 noteAt(72, 0.4) };
        QCOMPARE(loopShare(seed, continuation), 1.0);
        // Drum notes are not part of the run or the count.
        std::vector<Note> withDrum = continuation;
        Note drum = noteAt(36, 0.2);
        drum.channel = kDrumChannel;
        withDrum.push_back(drum);
        QCOMPARE(loopShare(seed, withDrum), 1.0);
    }

    void loopShareOfLongLists()
    {
        // A few hundred notes on each side: the quadratic table stays fast.
        std::vector<int> pitches;
        for (int i = 0; i < 400; ++i)
            pitches.push_back(40 + (i * 7 + i / 13) % 48);
        const std::vector<Note> seed = line(pitches, 0.1);
        QCOMPARE(loopShare(seed, seed), 1.0);
        std::vector<int> half(pitches.begin() + 100, pitches.begin() + 300);
        half.resize(400, 20); // 200 of the seed, then 200 notes the seed never plays
        QCOMPARE(loopShare(seed, line(half, 0.1)), 0.5);
    }

    void summaryIgnoresNaN()
    {
        ContinuationSummary summary;
        QCOMPARE(summary.count(), std::size_t(0));
        QVERIFY(std::isnan(summary.average().pitchContent));
        QVERIFY(std::isnan(summary.average().loop));

        ContinuationFigures a;
        a.pitchContent = 0.5;
        a.key = -0.25;
        a.density = 1.0;
        a.registerMean = 2.0;
        a.registerSpan = 4.0;
        a.rhythm = 0.25;
        a.loop = 0.0;
        ContinuationFigures b = a;
        b.pitchContent = 1.0;
        b.key = 0.25;
        b.density = ContinuationFigures::kUndefined;
        b.rhythm = ContinuationFigures::kUndefined;
        b.loop = 1.0;
        ContinuationFigures c; // all NaN: only counted
        summary.add(a);
        summary.add(b);
        summary.add(c);

        QCOMPARE(summary.count(), std::size_t(3));
        QCOMPARE(summary.definedCount(&ContinuationFigures::pitchContent), std::size_t(2));
        QCOMPARE(summary.definedCount(&ContinuationFigures::density), std::size_t(1));
        const ContinuationFigures mean = summary.average();
        QCOMPARE(mean.pitchContent, 0.75);
        QCOMPARE(mean.key, 0.0);
        QCOMPARE(mean.density, 1.0);
        QCOMPARE(mean.registerMean, 2.0);
        QCOMPARE(mean.registerSpan, 4.0);
        QCOMPARE(mean.rhythm, 0.25);
        QCOMPARE(mean.loop, 0.5);

        ContinuationSummary undefinedOnly;
        undefinedOnly.add(c);
        QCOMPARE(undefinedOnly.count(), std::size_t(1));
        QCOMPARE(undefinedOnly.definedCount(&ContinuationFigures::rhythm), std::size_t(0));
        QVERIFY(std::isnan(undefinedOnly.average().rhythm));
    }

    void notesInSecondsCutsByOnset()
    {
        // 120 bpm: a quarter is 0.5 s. Quarters at 0..5, the one at 3 held for four quarters.
        Score score = test::makeScore(
            { { 60, 0, 1 }, { 62, 1, 1 }, { 64, 2, 1 }, { 65, 3, 4 }, { 67, 4, 1 }, { 69, 5, 1 } });
        Note drum;
        drum.pitch = 36;
        drum.channel = kDrumChannel;
        drum.startTick = 960;
        drum.endTick = 1000;
        score.notes.push_back(drum);
        score.sortEvents();
        score.updateSeconds();

        // [1 s, 2 s): the onsets at 1.0 and 1.5 s; the drum at 1.0 s is left out.
        const std::vector<Note> cut = notesInSeconds(score, 1.0, 2.0);
        QCOMPARE(cut.size(), std::size_t(2));
        QCOMPARE(cut[0].pitch, 64);
        QCOMPARE(cut[0].startSec, 0.0);
        QCOMPARE(cut[0].endSec, 0.5);
        QCOMPARE(cut[1].pitch, 65);
        QCOMPARE(cut[1].startSec, 0.5);
        QCOMPARE(cut[1].endSec, 2.5); // rings past the end of the window: not cut
        QCOMPARE(cut[1].startTick, std::int64_t(3 * 480)); // ticks as in the score

        QCOMPARE(notesInSeconds(score, 0.0, 100.0).size(), std::size_t(6));
        QVERIFY(notesInSeconds(score, 2.0, 2.0).empty());
        QVERIFY(notesInSeconds(score, 10.0, 20.0).empty());
    }
};

QTEST_APPLESS_MAIN(TestContinuationMetrics)
#include "tst_continuationmetrics.moc"
