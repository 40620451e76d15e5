// SPDX-License-Identifier: GPL-3.0-or-later
// Recording a seed from a MIDI keyboard in the main window, through a real JACK server (dummy
// backend) and RtMidi: the window's virtual input port receives what a "keyboard" client sends.
#include "../engine/jacktestutil.h"

#include "midiio/midiports.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QMenu>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <RtMidi.h>

#include <chrono>
#include <thread>

using namespace continuo;
using namespace std::chrono_literals;

class TestRecordSeed : public test::JackDeviceTest
{
    Q_OBJECT
    QTemporaryDir m_settings;

private Q_SLOTS:
    void initTestCase()
    {
        QApplication::setOrganizationName(QStringLiteral("ContinuoRecordTest"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
        if (!startJack(64))
            QSKIP(qPrintable(QString::fromStdString(deviceMissing())));
    }

    void aRecordingBecomesTheSeedFile()
    {
        ui::MainWindow window;
        window.setErrorDialogsEnabled(false);
        QVERIFY(window.startRecording({ "jack", "" })); // the virtual port "Continuo in"
        QVERIFY(window.isRecording());
        QVERIFY(!window.startRecording({ "jack", "" })); // one recording at a time

        test::SettlingClient<RtMidiOut> keyboard(RtMidi::UNIX_JACK, "tst-keyboard");
        // A controller the score ignores probes the connection.
        QVERIFY(test::connectAndProbe(keyboard, "Continuo in", { 0xB0, 1, 0 },
                                      [&] { return window.recordedMessageCount() > 0; }));
        const std::size_t before = window.recordedMessageCount();
        for (int pitch : { 60, 62, 64, 65, 67 }) {
            std::vector<unsigned char> on = { 0x90, static_cast<unsigned char>(pitch), 90 };
            std::vector<unsigned char> off = { 0x80, static_cast<unsigned char>(pitch), 0 };
            keyboard.sendMessage(&on);
            std::this_thread::sleep_for(60ms);
            keyboard.sendMessage(&off);
            std::this_thread::sleep_for(20ms);
        }
        QTRY_VERIFY_WITH_TIMEOUT(window.recordedMessageCount() >= before + 10, 2000);
        QVERIFY(window.stopRecording());
        QVERIFY(!window.isRecording());

        const Score &seed = window.displayedScore();
        QCOMPARE(window.currentVariation(), -1); // the seed file is shown
        QCOMPARE(seed.notes.size(), std::size_t(5));
        for (std::size_t i = 0; i < seed.notes.size(); ++i) {
            QCOMPARE(seed.notes[i].pitch, std::vector<int>({ 60, 62, 64, 65, 67 })[i]);
            QCOMPARE(seed.notes[i].velocity, 90);
        }
        // About 80 ms from onset to onset (960 ticks a second); a loaded machine may stretch it.
        const double gap = double(seed.notes[4].startTick - seed.notes[0].startTick) / 4 / 960;
        QVERIFY2(gap > 0.05 && gap < 0.3, qPrintable(QString::number(gap)));
        QVERIFY(!window.pianoRoll()->selection().isEmpty()); // the default seed range is selected
    }

    void nothingPlayedLeavesTheSeedAlone()
    {
        ui::MainWindow window;
        window.setErrorDialogsEnabled(false);
        QVERIFY(window.startRecording({ "jack", "" }));
        QVERIFY(!window.stopRecording());
        QVERIFY(window.displayedScore().notes.empty());
    }

    void aMissingPortIsAnError()
    {
        ui::MainWindow window;
        window.setErrorDialogsEnabled(false);
        QSignalSpy errors(&window, &ui::MainWindow::errorShown);
        QVERIFY(!window.startRecording({ "jack", "no such keyboard" }));
        QCOMPARE(errors.count(), 1);
        QVERIFY(!window.isRecording());
    }
};

// CONTINUO_DEVICE_TEST_MAIN with the QApplication a window needs.
int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    TestRecordSeed test;
    const int status = QTest::qExec(&test, argc, argv);
    return status == 0 && !test.deviceMissing().empty() ? continuo::test::kSkipExitCode : status;
}
#include "tst_recordseed.moc"
