// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the performance representation: vocabulary, golden tokens, round trips on real files.
#include "midi/midifiles.h"
#include "repr/performance.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QtTest>

#include <cmath>

using namespace continuo;
using namespace continuo::performance;

namespace {
Note note(int pitch, double startSec, double endSec, int velocity = 80)
{
    Note n;
    n.pitch = pitch;
    n.velocity = velocity;
    n.startTick = std::llround(startSec * 1000); // 500 ticks per quarter at 120 bpm: 1 ms ticks
    n.endTick = std::llround(endSec * 1000);
    return n;
}

Score scoreOf(std::vector<Note> notes)
{
    Score score;
    score.division.ticksPerQuarter = 500;
    score.tempoMap = TempoMap(500, {});
    score.parts.push_back(Part {});
    score.notes = std::move(notes);
    for (const Note &n : score.notes)
        score.endTick = std::max(score.endTick, n.endTick);
    score.sortEvents();
    score.updateSeconds();
    return score;
}

struct RoundTripError
{
    double maxTimeErrorSec = 0;
    int maxBinError = 0;
    std::size_t notes = 0;
    QString mismatch;
};

/// Encodes and decodes `score`; compares every non-drum note (sustain applied) with its decoded twin.
RoundTripError measureRoundTrip(const Score &score)
{
    std::vector<Note> originals = performanceNotes(score);
    const Score decoded = decodePerformance(encodePerformance(score));
    RoundTripError error;
    error.notes = originals.size();
    if (decoded.notes.size() != originals.size()) {
        error.mismatch = QString("%1 notes, %2 decoded").arg(originals.size()).arg(decoded.notes.size());
        return error;
    }
    const auto key = [](const Note &n, double start, double end) {
        return std::make_tuple(std::llround(start * 100), n.pitch, std::llround(end * 100));
    };
    std::sort(originals.begin(), originals.end(), [&](const Note &a, const Note &b) {
        return key(a, a.startSec, a.endSec) < key(b, b.startSec, b.endSec);
    });
    std::vector<Note> back = decoded.notes;
    std::sort(back.begin(), back.end(), [&](const Note &a, const Note &b) {
        return key(a, a.startSec, a.endSec) < key(b, b.startSec, b.endSec);
    });
    for (std::size_t i = 0; i < back.size(); ++i) {
        const Note &o = originals[i], &d = back[i];
        const double lengthened = std::llround(o.endSec * 100) <= std::llround(o.startSec * 100) ? 0.01 : 0.0;
        const double endError = std::abs(d.endSec - o.endSec) - lengthened;
        error.maxTimeErrorSec =
            std::max({ error.maxTimeErrorSec, std::abs(d.startSec - o.startSec), endError });
        error.maxBinError =
            std::max(error.maxBinError, std::abs(velocityToBin(d.velocity) - velocityToBin(o.velocity)));
        if (d.pitch != o.pitch && error.mismatch.isEmpty())
            error.mismatch = QString("pitch %1 decoded as %2").arg(o.pitch).arg(d.pitch);
    }
    return error;
}
} // namespace

class TestPerformance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void vocabulary()
    {
        QCOMPARE(kVocabularySize, 388);
        QCOMPARE(tokenName(60), std::string("NOTE_ON(60)"));
        QCOMPARE(tokenName(128 + 60), std::string("NOTE_OFF(60)"));
        QCOMPARE(tokenName(256), std::string("TIME_SHIFT(1)"));
        QCOMPARE(tokenName(355), std::string("TIME_SHIFT(100)"));
        QCOMPARE(tokenName(387), std::string("VELOCITY(32)"));
        QCOMPARE(velocityToBin(1), 1);
        QCOMPARE(velocityToBin(127), 32);
        for (int v = 1; v <= 127; ++v)
            QVERIFY(std::abs(velocityToBin(binToVelocity(velocityToBin(v))) - velocityToBin(v)) <= 1);
    }

    void goldenTokens()
    {
        // C4 at 0-0.5 s (velocity 80), E4 at 0.25-2.0 s (velocity 100).
        const auto tokens = encodePerformance(scoreOf({ note(60, 0, 0.5), note(64, 0.25, 2.0, 100) }));
        const std::vector<int> expected = { kVelocityBase + velocityToBin(80) - 1,
                                            60, // velocity, NOTE_ON(60)
                                            kTimeShiftBase + 25 - 1, // 250 ms
                                            kVelocityBase + velocityToBin(100) - 1,
                                            64, // velocity, NOTE_ON(64)
                                            kTimeShiftBase + 25 - 1,
                                            kNoteOffBase + 60, // 250 ms, NOTE_OFF(60)
                                            kTimeShiftBase + 100 - 1,
                                            kTimeShiftBase + 50 - 1,
                                            kNoteOffBase + 64 }; // 1.5 s, NOTE_OFF(64)
        QCOMPARE(tokens, expected);
    }

    void offsBeforeOnsAndShortNotes()
    {
        PerformanceEncodingStats stats;
        // A repeated key at 0.5 s, a 2 ms note, a drum note that is left out.
        Note drum = note(36, 0, 0.1);
        drum.channel = kDrumChannel;
        const auto tokens = encodePerformance(
            scoreOf({ note(60, 0, 0.5), note(60, 0.5, 1.0), note(72, 1.0, 1.002), drum }), &stats);
        QCOMPARE(stats.notes, std::size_t(3));
        QCOMPARE(stats.drumNotes, std::size_t(1));
        QCOMPARE(stats.lengthenedNotes, std::size_t(1));
        const auto off = std::find(tokens.begin(), tokens.end(), kNoteOffBase + 60);
        QVERIFY(off != tokens.end() && *(off + 1) == 60); // NOTE_OFF(60) then NOTE_ON(60) at 0.5 s
        const Score back = decodePerformance(tokens);
        QCOMPARE(int(back.notes.size()), 3);
        QCOMPARE(back.notes[2].endSec - back.notes[2].startSec, 0.01);
    }

    void oneNotePerKey()
    {
        // Two hands on one key: the held note ends when the key is struck again; a duplicate onset
        // keeps the longer note.
        PerformanceEncodingStats stats;
        Note other = note(60, 0.2, 0.3);
        other.part = 1;
        const auto notes = performanceNotes(
            scoreOf({ note(60, 0, 1.0), other, note(62, 0, 0.4), note(62, 0, 0.8) }), &stats);
        QCOMPARE(int(notes.size()), 3);
        QCOMPARE(stats.cutNotes, std::size_t(1));
        QCOMPARE(stats.duplicateNotes, std::size_t(1));
        QCOMPARE(notes[0].pitch, 60);
        QCOMPARE(notes[0].endSec, 0.2);
        QCOMPARE(notes[1].endSec, 0.8); // the longer D
    }

    void decodingIsTolerant()
    {
        // Out-of-range tokens ignored, an unmatched NOTE_OFF ignored, a hanging note closed.
        const Score score = decodePerformance({ -5, 999, kNoteOffBase + 40, 62, kTimeShiftBase + 9 });
        QCOMPARE(int(score.notes.size()), 1);
        QCOMPARE(score.notes[0].endSec, 0.1);
    }

    void fixtureRoundTrip()
    {
        const Score score = readScoreFile(test::dataPath("valid/two-tracks-format1.mid"));
        const RoundTripError error = measureRoundTrip(score);
        QVERIFY2(error.mismatch.isEmpty(), qPrintable(error.mismatch));
        QCOMPARE(error.notes, std::size_t(3)); // the drum notes are left out
        QVERIFY(error.maxTimeErrorSec <= 0.005 + 1e-9);
    }

    void corpusRoundTrip()
    {
        const auto root = test::sharedCorpus("piano-classical");
        if (root.empty())
            QSKIP("the shared piano corpus is absent");
        double worstTime = 0;
        int worstBin = 0;
        std::size_t notes = 0, tokens = 0;
        for (const auto &path : findMidiFiles(root)) {
            const Score score = readScoreFile(path);
            const RoundTripError error = measureRoundTrip(score);
            QVERIFY2(error.mismatch.isEmpty(),
                     qPrintable(QString::fromStdString(path.string()) + ": " + error.mismatch));
            worstTime = std::max(worstTime, error.maxTimeErrorSec);
            worstBin = std::max(worstBin, error.maxBinError);
            notes += error.notes;
            tokens += encodePerformance(score).size();
        }
        qInfo("performance round trip: %zu notes, %zu tokens, worst time error %.2f ms, worst velocity error "
              "%d bin(s)",
              notes, tokens, worstTime * 1000, worstBin);
        QVERIFY(worstTime <= 0.010);
        QVERIFY(worstBin <= 1);
    }
};

QTEST_APPLESS_MAIN(TestPerformance)
#include "tst_performance.moc"
