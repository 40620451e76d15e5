// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for real-time playback on FluidSynth through its jack driver, on a private JACK server with
// the dummy backend: it plays (and makes sound), reports its playhead, loops, ends and stops cleanly.
#include "audio/synthplayer.h"
#include "core/error.h"
#include "score/smfconvert.h"

#include "jacktestutil.h"

#include <QtTest>

using namespace continuo;
using namespace std::chrono_literals;

class TestSynthPlayer : public test::JackDeviceTest
{
    Q_OBJECT
    std::unique_ptr<SynthPlayer> m_player;
    Score m_score; // 8 notes, 4 s

private Q_SLOTS:
    void initTestCase()
    {
        const auto soundFont = test::testSoundFont();
        if (soundFont.empty())
            QSKIP("No General MIDI SoundFont installed (Debian: fluid-soundfont-gm)");
        if (!startJack(256))
            QSKIP(qPrintable(QString::fromStdString(deviceMissing())));
        SynthPlayerOptions options;
        options.soundFont = soundFont;
        options.drivers = { "jack" };
        options.jackServer = jack().name();
        m_player = std::make_unique<SynthPlayer>(options);
        QCOMPARE(m_player->driverName(), std::string("jack"));
        QCOMPARE(m_player->sampleRateHz(), 48000.0);
        m_score = readScoreFile(test::dataPath("valid/c-major-format0.mid"));
        m_player->setScore(m_score);
        QCOMPARE(m_player->durationSec(), 4.0);
    }

    void playsAndReportsItsPlayhead()
    {
        m_player->takePeakLevel();
        m_player->play(0.0);
        QVERIFY(m_player->isPlaying());
        std::this_thread::sleep_for(600ms);
        const double position = m_player->positionSec();
        QVERIFY2(position > 0.1 && position < 2.0, qPrintable(QString::number(position)));
        QTRY_VERIFY_WITH_TIMEOUT(m_player->positionSec() > position, 1000); // it moves
        QVERIFY2(m_player->takePeakLevel() > 1e-3, "no sound came out of the synth");
    }

    void stopsCleanly()
    {
        m_player->stop();
        QVERIFY(!m_player->isPlaying());
        const double stoppedAt = m_player->positionSec();
        QVERIFY(stoppedAt > 0.0);
        std::this_thread::sleep_for(300ms);
        QCOMPARE(m_player->positionSec(), stoppedAt);
        // All notes off: the piano's release and the reverb fade to silence.
        std::this_thread::sleep_for(1500ms);
        m_player->takePeakLevel();
        std::this_thread::sleep_for(200ms);
        QVERIFY2(m_player->takePeakLevel() < 1e-3, "still sounding after stop");
    }

    void startsAtAPosition()
    {
        m_player->play(2.5);
        QTRY_VERIFY_WITH_TIMEOUT(m_player->positionSec() > 2.6, 1000);
        QVERIFY(m_player->positionSec() < 3.5);
        m_player->stop();
    }

    void loops()
    {
        m_player->setLoop(true, 1.0, 1.5);
        m_player->play(1.0);
        std::this_thread::sleep_for(1200ms); // more than two turns
        QVERIFY(m_player->isPlaying());
        const double position = m_player->positionSec();
        QVERIFY2(position >= 1.0 && position < 1.5, qPrintable(QString::number(position)));
        m_player->setLoop(false);
        m_player->stop();
    }

    void endsByItselfAtTheEnd()
    {
        m_player->play(3.6);
        QTRY_VERIFY_WITH_TIMEOUT(!m_player->isPlaying(), 3000);
        QCOMPARE(m_player->positionSec(), 4.0);
    }

    void noAudioDeviceIsAClearError()
    {
        SynthPlayerOptions options;
        options.soundFont = test::testSoundFont();
        options.drivers = { "jack" };
        options.jackServer = "continuo-no-such-server";
        try {
            SynthPlayer player(options);
            QFAIL("no error");
        } catch (const AudioError &error) {
            QVERIFY2(QString(error.what()).startsWith("No audio output could be opened (tried jack)"),
                     error.what());
        }
    }

    void cleanupTestCase()
    {
        m_player.reset(); // the driver goes before the server
        jack().stop();
    }
};

CONTINUO_DEVICE_TEST_MAIN(TestSynthPlayer)
#include "tst_synthplayer.moc"
