// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for building scores from SMF events: pairing, programs, meter, key, drums, format 2, sustain.
#include "midi/smfreader.h"
#include "score/smfconvert.h"
#include "score/summary.h"
#include "score/sustain.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace continuo;
using test::Ev;

namespace {
std::vector<std::pair<std::int64_t, std::int64_t>> spans(const Score &score)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const Note &n : score.notes)
        out.emplace_back(n.startTick, n.endTick);
    return out;
}
using Spans = std::vector<std::pair<std::int64_t, std::int64_t>>;
} // namespace

class TestScore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void overlappingSamePitchPairsFirstInFirstOut()
    {
        const Score score = scoreFromSmf(test::makeFile({ test::makeTrack(
            { { 0, 0x90, 60, 100 }, { 10, 0x90, 60, 90 }, { 20, 0x80, 60, 0 }, { 30, 0x90, 60, 0 } }) }));
        QCOMPARE(spans(score), (Spans { { 0, 20 }, { 10, 30 } }));
        QCOMPARE(score.notes[0].velocity, 100);
        QCOMPARE(score.notes[1].velocity, 90);
    }

    void channelsPairSeparately()
    {
        const Score score = scoreFromSmf(test::makeFile({ test::makeTrack(
            { { 0, 0x90, 60, 100 }, { 5, 0x91, 60, 100 }, { 10, 0x81, 60, 0 }, { 20, 0x80, 60, 0 } }) }));
        QCOMPARE(score.notes[0].channel, 0);
        QCOMPARE(score.notes[0].endTick, std::int64_t(20));
        QCOMPARE(score.notes[1].channel, 1);
        QCOMPARE(score.notes[1].endTick, std::int64_t(10));
    }

    void unmatchedNoteOffIsIgnoredAndHangingNoteIsClosed()
    {
        const Score score = scoreFromSmf(test::makeFile(
            { test::makeTrack({ { 0, 0x80, 50, 0 }, { 0, 0x90, 60, 100 }, { 40, 0xB0, 7, 100 } }, 96) }));
        QCOMPARE(spans(score), (Spans { { 0, 96 } }));
        QVERIFY(!score.warnings.empty());
        QVERIFY(score.warnings.back().find("still sounding") != std::string::npos);
    }

    void programsFollowTheChannelAcrossTracks()
    {
        const Score score = scoreFromSmf(test::makeFile(
            { test::makeTrack({ { 0, 0xC0, 40, 0 },
                                { 0, 0x90, 60, 100 },
                                { 10, 0x80, 60, 0 },
                                { 20, 0x90, 62, 100 },
                                { 30, 0x80, 62, 0 } }),
              test::makeTrack({ { 15, 0xC1, 41, 0 }, { 16, 0x91, 70, 100 }, { 17, 0x81, 70, 0 } }) }));
        QCOMPARE(int(score.notes.size()), 3);
        QCOMPARE(score.notes[0].program, 40);
        QCOMPARE(score.notes[1].program, 41); // set on channel 1 by the other track
        QCOMPARE(score.notes[2].program, 40); // channel 0 unchanged by channel 1's program
        QCOMPARE(int(score.parts.size()), 2);
        QCOMPARE(score.notes[1].part, 1);
        const Score later = scoreFromSmf(test::makeFile({ test::makeTrack({ { 0, 0xC0, 40, 0 },
                                                                            { 0, 0x90, 60, 100 },
                                                                            { 10, 0x80, 60, 0 },
                                                                            { 20, 0x90, 62, 100 },
                                                                            { 30, 0x80, 62, 0 } }),
                                                          test::makeTrack({ { 15, 0xC0, 41, 0 } }) }));
        QCOMPARE(later.notes[1].program, 41); // a program change in any track applies to the channel
    }

    void fixtureHasMeterKeyTempoDrums()
    {
        const Score score = readScoreFile(test::dataPath("valid/two-tracks-format1.mid"));
        QCOMPARE(int(score.timeSignatures.size()), 1);
        QCOMPARE(score.timeSignatures[0].numerator, 3);
        QCOMPARE(score.timeSignatures[0].denominator, 4);
        QCOMPARE(score.keySignatures[0].name(), std::string("D minor"));
        QCOMPARE(int(score.parts.size()), 2); // the conductor has no notes
        QCOMPARE(score.parts[0].name, std::string("Piano"));
        QVERIFY(!score.parts[0].isDrum);
        QVERIFY(score.parts[1].isDrum);
        QVERIFY(score.notes.back().isDrum() || score.notes.front().isDrum());
        // A (69) from tick 480 to 1440: 0.5 s to 1.5 s; the tempo halves at 1440.
        const Note &a = *std::find_if(score.notes.begin(), score.notes.end(),
                                      [](const Note &n) { return n.pitch == 69; });
        QCOMPARE(a.startSec, 0.5);
        QCOMPARE(a.endSec, 1.5);
        QCOMPARE(int(score.pedals.size()), 2);
        QCOMPARE(score.texts.size(), std::size_t(1));
        QCOMPARE(score.texts[0].text, std::string("slower"));
        QCOMPARE(score.texts[0].part, -1);
    }

    void format2SequencesPlayInTurn()
    {
        const Score score = readScoreFile(test::dataPath("valid/format2-two-sequences.mid"));
        QCOMPARE(spans(score), (Spans { { 0, 96 }, { 96, 192 } }));
        QCOMPARE(score.endTick, std::int64_t(192));
    }

    void smpteNotesInSeconds()
    {
        const Score score = readScoreFile(test::dataPath("valid/smpte-25fps.mid"));
        QCOMPARE(score.notes[0].endSec, 1.0);
        QCOMPARE(score.ticksPerQuarter(), 500);
    }

    void malformedMetasAreSkippedWithWarning()
    {
        const Score score = readScoreFile(test::dataPath("lenient/short-time-signature.mid"));
        QVERIFY(score.timeSignatures.empty());
        QCOMPARE(int(score.notes.size()), 1);
        QVERIFY(!score.warnings.empty());
    }

    void sustainExtendsToPedalRelease()
    {
        Score score = readScoreFile(test::dataPath("valid/two-tracks-format1.mid"));
        applySustainPedal(score);
        // Pedal down 0..480: D (released at 240) sounds to 480; F released at 480 exactly is not held.
        const auto endOf = [&](int pitch) {
            return std::find_if(score.notes.begin(), score.notes.end(),
                                [&](const Note &n) { return n.pitch == pitch; })
                ->endTick;
        };
        QCOMPARE(endOf(62), std::int64_t(480));
        QCOMPARE(endOf(65), std::int64_t(480));
        QCOMPARE(endOf(69), std::int64_t(1440));
        QCOMPARE(endOf(36), std::int64_t(240)); // other part, no pedal
    }

    void sustainStopsAtReStrike()
    {
        Score score = scoreFromSmf(test::makeFile({ test::makeTrack({ { 0, 0xB0, 64, 127 },
                                                                      { 0, 0x90, 60, 100 },
                                                                      { 10, 0x80, 60, 0 },
                                                                      { 50, 0x90, 60, 100 },
                                                                      { 60, 0x80, 60, 0 },
                                                                      { 100, 0xB0, 64, 0 } }) }));
        applySustainPedal(score);
        QCOMPARE(spans(score), (Spans { { 0, 50 }, { 50, 100 } }));
        QCOMPARE(score.notes[1].endSec, score.tempoMap.tickToSeconds(100));
    }

    void sustainHeldToTheEnd()
    {
        Score score = scoreFromSmf(test::makeFile(
            { test::makeTrack({ { 0, 0xB0, 64, 100 }, { 0, 0x90, 60, 100 }, { 10, 0x80, 60, 0 } }, 200) }));
        applySustainPedal(score);
        QCOMPARE(spans(score), (Spans { { 0, 200 } }));
    }

    void hostileNotePatternsStayFast()
    {
        // A million stacked note-ons of one key, then as many note-offs; and a million-note chord.
        // Quadratic pairing or sorting would take hours here; the ctest timeout (120 s) catches it.
        constexpr int kCount = 1000000;
        SmfTrack stacked, chord;
        for (int i = 0; i < kCount; ++i)
            stacked.events.push_back(test::makeTrack({ { i, 0x90, 60, 100 } }).events[0]);
        for (int i = 0; i < kCount; ++i)
            stacked.events.push_back(test::makeTrack({ { kCount + i, 0x80, 60, 0 } }).events[0]);
        for (int i = 0; i < kCount; ++i)
            chord.events.push_back(
                test::makeTrack({ { 0, std::uint8_t(0x90 | (i % 16)), std::uint8_t(127 - i % 128), 100 } })
                    .events[0]);
        stacked.endTick = 2 * kCount;
        chord.endTick = 10;
        QElapsedTimer timer;
        timer.start();
        const Score a = scoreFromSmf(test::makeFile({ stacked }));
        const Score b = scoreFromSmf(test::makeFile({ chord }));
        QCOMPARE(int(a.notes.size()), kCount);
        QCOMPARE(a.notes.back().endTick, std::int64_t(2 * kCount - 1)); // FIFO: last on, last off
        QCOMPARE(int(b.notes.size()), kCount);
        QVERIFY(std::is_sorted(b.notes.begin(), b.notes.end(), noteOrder));
        qInfo("scored 2 000 000 hostile notes in %lld ms", timer.elapsed());

        // 4095 tracks (an odd number of runs to merge), each with notes in reverse order of the others.
        SmfFile many;
        many.division.ticksPerQuarter = 96;
        for (int t = 0; t < 4095; ++t) {
            SmfTrack track;
            for (int k = 0; k < 3; ++k)
                track.events.push_back(
                    test::makeTrack({ { 4095 - t + k * 5000, 0x90, std::uint8_t(t % 128), 90 } }).events[0]);
            track.endTick = 20000;
            many.tracks.push_back(track);
        }
        const Score c = scoreFromSmf(many);
        QCOMPARE(int(c.notes.size()), 3 * 4095);
        QCOMPARE(int(c.parts.size()), 4095);
        QVERIFY(std::is_sorted(c.notes.begin(), c.notes.end(), noteOrder));
    }

    void pitchNames()
    {
        QCOMPARE(pitchName(60), std::string("C4"));
        QCOMPARE(pitchName(21), std::string("A0"));
        QCOMPARE(pitchName(61), std::string("C#4"));
        QCOMPARE(pitchName(0), std::string("C-1"));
        QCOMPARE(parsePitchName("C4").value(), 60);
        QCOMPARE(parsePitchName("c#3").value(), 49);
        QCOMPARE(parsePitchName("Bb2").value(), 46);
        QCOMPARE(parsePitchName("G9").value(), 127);
        QCOMPARE(parsePitchName("C-1").value(), 0);
        QVERIFY(!parsePitchName("H2"));
        QVERIFY(!parsePitchName("G#9"));
        QVERIFY(!parsePitchName("C"));
        QVERIFY(!parsePitchName("C4x"));
        QVERIFY(!parsePitchName(""));
        for (int p = 0; p < 128; ++p)
            QCOMPARE(parsePitchName(pitchName(p)).value(), p);
    }
};

QTEST_APPLESS_MAIN(TestScore)
#include "tst_score.moc"
