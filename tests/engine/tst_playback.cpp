// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the playback event list and cursor: order within an instant, programs, pedal, loop, end.
#include "score/playback.h"
#include "score/smfconvert.h"

#include "testutil.h"

#include <QtTest>

using namespace continuo;
using continuo::test::makeFile;
using continuo::test::makeTrack;

namespace {
/// 480 ticks per quarter at 120 bpm: 960 ticks a second.
Score scoreOf(std::initializer_list<test::Ev> events, std::int64_t endTick = -1)
{
    return scoreFromSmf(makeFile({ makeTrack(events, endTick) }, 480, 0));
}

/// Records what a player would send, with the cursor's elapsed time at each message.
class RecordingSink : public PlaybackSink
{
public:
    void send(const PlaybackEvent &event) override { sent.push_back(event); }
    void releaseAll() override { sent.push_back({ -1.0, 0xFF, 0, 0 }); } // a marker
    std::vector<PlaybackEvent> sent;
    int releases() const
    {
        return int(
            std::count_if(sent.begin(), sent.end(), [](const PlaybackEvent &e) { return e.status == 0xFF; }));
    }
    std::vector<int> noteOnKeys() const
    {
        std::vector<int> keys;
        for (const PlaybackEvent &e : sent)
            if (e.type() == 0x90)
                keys.push_back(e.data1);
        return keys;
    }
};
} // namespace

class TestPlayback : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eventsFollowTheTempoMapInOrder()
    {
        // Program 5 on channel 1; C4 0..0.5 s, E4 0.5..1 s; pedal down at 0.25 s, up at 1 s.
        const Score score = scoreOf({ { 0, 0xC1, 5, 0 },
                                      { 0, 0x91, 60, 90 },
                                      { 240, 0xB1, 64, 127 },
                                      { 480, 0x81, 60, 0 },
                                      { 480, 0x91, 64, 80 },
                                      { 960, 0x81, 64, 0 },
                                      { 960, 0xB1, 64, 0 } });
        const auto events = playbackEvents(score);
        QCOMPARE(events.size(), std::size_t(7));
        const std::vector<PlaybackEvent> expected = {
            { 0.0, 0xC1, 5, 0 },   { 0.0, 0x91, 60, 90 }, { 0.25, 0xB1, 64, 127 }, { 0.5, 0x81, 60, 0 },
            { 0.5, 0x91, 64, 80 }, { 1.0, 0xB1, 64, 0 },  { 1.0, 0x81, 64, 0 },
        };
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(events[i].status, expected[i].status);
            QCOMPARE(events[i].data1, expected[i].data1);
            QCOMPARE(events[i].data2, expected[i].data2);
            QVERIFY2(std::abs(events[i].timeSec - expected[i].timeSec) < 1e-9,
                     qPrintable(QString::number(i)));
        }
    }

    void repeatedKeyIsReleasedBeforeItIsStruckAgain()
    {
        const Score score =
            scoreOf({ { 0, 0x90, 60, 90 }, { 96, 0x80, 60, 0 }, { 96, 0x90, 60, 90 }, { 192, 0x80, 60, 0 } });
        const auto events = playbackEvents(score);
        QCOMPARE(events.size(), std::size_t(5)); // program, on, off, on, off
        QCOMPARE(int(events[2].type()), 0x80);
        QCOMPARE(int(events[3].type()), 0x90);
        QCOMPARE(events[2].timeSec, events[3].timeSec);
    }

    void zeroLengthNoteIsStruckThenReleased()
    {
        const Score score = scoreOf({ { 10, 0x90, 60, 90 }, { 10, 0x80, 60, 0 } }, 20);
        const auto events = playbackEvents(score);
        QCOMPARE(events.size(), std::size_t(3));
        QCOMPARE(int(events[1].type()), 0x90);
        QCOMPARE(int(events[2].type()), 0x80);
    }

    void partProgramReplacesTheScoresButNotDrums()
    {
        const Score score = scoreOf({ { 0, 0xC0, 0, 0 },
                                      { 0, 0x90, 60, 90 },
                                      { 0, 0x99, 36, 90 },
                                      { 96, 0x80, 60, 0 },
                                      { 96, 0x89, 36, 0 } });
        PlaybackOptions options;
        options.partPrograms = { 40 }; // violin for part 0
        const auto events = playbackEvents(score, options);
        int programs = 0;
        for (const PlaybackEvent &e : events)
            if (e.type() == 0xC0) {
                ++programs;
                QCOMPARE(e.timeSec, 0.0);
                QCOMPARE(int(e.data1), e.channel() == 9 ? 0 : 40);
            }
        QCOMPARE(programs, 2);
    }

    void stateAtAPointHasTheLastProgramAndPedal()
    {
        const Score score = scoreOf({ { 0, 0xC0, 3, 0 },
                                      { 0, 0x90, 60, 90 },
                                      { 100, 0xB0, 64, 127 },
                                      { 480, 0x80, 60, 0 },
                                      { 500, 0xC0, 7, 0 },
                                      { 500, 0x90, 62, 90 },
                                      { 900, 0x80, 62, 0 } });
        const auto events = playbackEvents(score);
        const auto state = channelStateAt(events, 0.6);
        QCOMPARE(state.size(), std::size_t(2));
        QCOMPARE(int(state[0].status), 0xC0);
        QCOMPARE(int(state[0].data1), 7);
        QCOMPARE(int(state[1].status), 0xB0);
        QCOMPARE(int(state[1].data2), 127);
        QVERIFY(channelStateAt(events, 0.0).empty());
    }

    void cursorPlaysToTheEndAndStops()
    {
        const Score score = scoreOf(
            { { 0, 0x90, 60, 90 }, { 480, 0x80, 60, 0 }, { 480, 0x90, 62, 90 }, { 960, 0x80, 62, 0 } });
        PlaybackCursor cursor(playbackEvents(score), score.durationSec());
        RecordingSink sink;
        cursor.seek(0.0, sink);
        QCOMPARE(sink.releases(), 1);
        QCOMPARE(cursor.nextDueElapsedSec(), 0.0);
        QVERIFY(cursor.advanceTo(0.3, sink));
        QCOMPARE(sink.noteOnKeys(), std::vector<int>({ 60 }));
        QCOMPARE(cursor.nextDueElapsedSec(), 0.5);
        QVERIFY(cursor.advanceTo(0.6, sink));
        QCOMPARE(sink.noteOnKeys(), std::vector<int>({ 60, 62 }));
        QVERIFY(!cursor.advanceTo(2.0, sink)); // the end: the last note off is sent first
        QCOMPARE(int(sink.sent.back().type()), 0x80);
        QCOMPARE(cursor.positionSec(), 1.0);
    }

    void cursorLoopsWithReleaseAndState()
    {
        const Score score = scoreOf({ { 0, 0xC0, 9, 0 },
                                      { 0, 0x90, 60, 90 },
                                      { 480, 0x80, 60, 0 },
                                      { 480, 0x90, 62, 90 },
                                      { 960, 0x80, 62, 0 },
                                      { 960, 0x90, 64, 90 },
                                      { 1440, 0x80, 64, 0 } });
        PlaybackCursor cursor(playbackEvents(score), score.durationSec());
        cursor.setLoop(true, 0.5, 1.0);
        RecordingSink sink;
        cursor.seek(0.0, sink);
        // 0 .. 0.5 plays C4, 0.5 .. 1.0 plays D4, then D4 again twice: 2.0 s of elapsed time.
        QVERIFY(cursor.advanceTo(2.0 - 1e-6, sink));
        QCOMPARE(sink.noteOnKeys(), std::vector<int>({ 60, 62, 62, 62 }));
        QCOMPARE(sink.releases(), 1 + 2);
        QVERIFY(cursor.positionSec() >= 0.5 && cursor.positionSec() < 1.0);
        QVERIFY(std::abs(cursor.elapsedSec() - 2.0) < 1e-5);
        // The program in effect at the loop start is sent after every wrap.
        int programs = 0;
        for (const PlaybackEvent &e : sink.sent)
            programs += e.type() == 0xC0 ? 1 : 0;
        QCOMPARE(programs, 1 + 2);
        cursor.setLoop(false);
        QVERIFY(!cursor.advanceTo(10.0, sink));
        QCOMPARE(sink.noteOnKeys().back(), 64);
    }

    void seekSkipsEarlierNotesAndRestoresState()
    {
        const Score score = scoreOf({ { 0, 0xC0, 9, 0 },
                                      { 0, 0x90, 60, 90 },
                                      { 480, 0x80, 60, 0 },
                                      { 480, 0x90, 62, 90 },
                                      { 960, 0x80, 62, 0 } });
        PlaybackCursor cursor(playbackEvents(score), score.durationSec());
        RecordingSink sink;
        cursor.seek(0.25, sink);
        QCOMPARE(sink.sent.size(), std::size_t(2)); // release, program 9
        QCOMPARE(int(sink.sent[1].data1), 9);
        QCOMPARE(cursor.nextDueElapsedSec(), 0.25);
        QVERIFY(!cursor.advanceTo(5.0, sink));
        QCOMPARE(sink.noteOnKeys(), std::vector<int>({ 62 }));
    }
};

QTEST_APPLESS_MAIN(TestPlayback)
#include "tst_playback.moc"
