// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end tests of the main window: seed, generate (streamed, stopped), variations with undo,
// export MIDI and WAV checked by independent readers, errors, settings, event-loop latency.
#include "score/playback.h"
#include "ui/generatepanel.h"
#include "ui/insight/evaluationdialog.h"
#include "ui/insight/insightpanel.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include "audio/soundfontlocator.h"
#include "core/resources.h"
#include "nn/model.h"
#include "repr/compound.h"
#include "repr/notes.h"
#include "score/smfconvert.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

#include <algorithm>
#include <functional>

using namespace continuo;
using namespace continuo::ui;

namespace {

constexpr int kTpq = 480;
constexpr std::int64_t kBar = 4 * kTpq;

/// Eight bars of 4/4 at 120 bpm: a C major scale up and down, one quarter note a beat.
Score scaleScore()
{
    Score score;
    score.division.ticksPerQuarter = kTpq;
    score.parts.resize(1);
    score.parts[0].name = "Piano";
    const int scale[] = { 60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62 };
    for (int beat = 0; beat < 32; ++beat) {
        Note note;
        note.pitch = scale[beat % 14];
        note.velocity = 90;
        note.startTick = beat * kTpq;
        note.endTick = beat * kTpq + kTpq - 40;
        score.notes.push_back(note);
    }
    score.endTick = 8 * kBar;
    score.sortEvents();
    score.updateSeconds();
    return score;
}

int notesOfPart(const Score &score, int part)
{
    return int(std::count_if(score.notes.begin(), score.notes.end(),
                             [part](const Note &n) { return n.part == part; }));
}

/// Measures the longest gap between the ticks of a 1 ms timer on the GUI thread.
class LatencyProbe
{
public:
    LatencyProbe()
    {
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_worstNs = std::max(m_worstNs, now - m_last);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    double worstMs() const { return double(m_worstNs) / 1e6; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    qint64 m_worstNs = 0;
};

/// A python with mido, or empty.
QString pythonWithMido()
{
    for (const QString &python : { QStringLiteral("python3"), QStringLiteral("/usr/bin/python3") }) {
        QProcess p;
        p.start(python, { QStringLiteral("-c"), QStringLiteral("import mido") });
        if (p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return python;
    }
    return {};
}

QString runPython(const QString &python, const QString &script, const QString &argument)
{
    QProcess p;
    p.start(python, { QStringLiteral("-c"), script, argument });
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return QStringLiteral("error: ") + QString::fromUtf8(p.readAllStandardError());
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_seedPath;
    QString m_slowModelPath;
    QString m_modelPath;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QString writeFile(const QString &name, const QByteArray &bytes) const
    {
        QFile file(path(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(file.fileName()));
        return file.fileName();
    }

    std::unique_ptr<MainWindow> makeWindow()
    {
        auto window = std::make_unique<MainWindow>();
        window->setErrorDialogsEnabled(false);
        window->resize(1600, 1000);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            qFatal("the window was not shown");
        return window;
    }

    /// Loads the tiny model and sets the controls.
    void prepare(MainWindow &window, double length, int variations, const QString &model = {})
    {
        window.addModel(model.isEmpty() ? m_modelPath : model);
        QTRY_VERIFY_WITH_TIMEOUT(window.isModelLoaded(), 20000);
        GenerationSettings settings;
        settings.length = length;
        settings.unit = LengthUnit::Notes;
        settings.variations = variations;
        settings.rngSeed = 7;
        window.generatePanel()->applySettings(settings);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("ContinuoTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("settings")));
        applyDarkTheme();

        m_seedPath = path(QStringLiteral("scale.mid"));
        saveScoreFile(scaleScore(), m_seedPath.toStdString());

        std::vector<std::string> vocabulary;
        for (int pitch = 48; pitch <= 84; ++pitch)
            vocabulary.push_back(std::to_string(pitch));
        ModelSpec spec = ModelSpec::preset(
            "tiny", Representation::Notes,
            { int(vocabulary.size()) + 1, notesrepr::kOffsetClasses, notesrepr::kDurationClasses });
        spec.vocabulary = vocabulary;
        m_modelPath = path(QStringLiteral("tiny.ckpt"));
        Model(spec, 3).save(m_modelPath.toStdString());
        // A Small model takes long enough per step that a long generation is still running when
        // the test stops it (a Tiny one can finish 10 000 notes in a few hundred milliseconds).
        ModelSpec small = ModelSpec::preset("small", Representation::Notes, spec.headSizes);
        small.vocabulary = vocabulary;
        m_slowModelPath = path(QStringLiteral("small.ckpt"));
        Model(small, 3).save(m_slowModelPath.toStdString());
    }

    void withoutModelGenerateIsDisabledAndSaysWhy()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        QPushButton *generate = window->generatePanel()->generateButton();
        QVERIFY(!generate->isEnabled());
        QVERIFY2(generate->toolTip().contains(QStringLiteral("train"), Qt::CaseInsensitive),
                 qPrintable(generate->toolTip()));
        window->generate(); // harmless
        QVERIFY(!window->isGenerating());
    }

    void openSelectGenerateSwitchUndoExport()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        PianoRollView *roll = window->pianoRoll();
        QCOMPARE(window->displayedScore().notes.size(), std::size_t(32));
        QCOMPARE(roll->selection(), (TickRange { 0, 4 * kBar })); // default: the first four bars
        QVERIFY(QSettings().value(QStringLiteral("recentFiles")).toStringList().contains(m_seedPath));

        // Select bars 2 and 3 with the mouse; undo and redo the edit.
        const PianoRollGeometry &g = roll->rollGeometry();
        const int y = g.rulerHeight() + 40;
        const QPoint from(int(std::lround(g.tickToX(kBar))) + 1, y);
        const QPoint to(int(std::lround(g.tickToX(3 * kBar))) + 1, y);
        QTest::mousePress(roll->viewport(), Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, to, roll->viewport()->mapToGlobal(to), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(roll->viewport(), &move);
        QTest::mouseRelease(roll->viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(roll->selection(), (TickRange { kBar, 3 * kBar }));
        QCOMPARE(window->undoStack()->count(), 1);
        window->undoStack()->undo();
        QCOMPARE(roll->selection(), (TickRange { 0, 4 * kBar }));
        window->undoStack()->redo();
        QCOMPARE(roll->selection(), (TickRange { kBar, 3 * kBar }));

        QApplication::processEvents();
        QVERIFY(window->grab().save(QStringLiteral("/tmp/continuo-main-seed.png")));

        prepare(*window, 24, 3);
        QSignalSpy finished(window.get(), &MainWindow::generationFinished);
        QSignalSpy errors(window.get(), &MainWindow::errorShown);
        window->generate();
        QVERIFY(window->isGenerating());
        QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 60000);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(window->variationCount(), 3);
        QCOMPARE(window->currentVariation(), 0);
        const Score first = window->displayedScore();
        QCOMPARE(notesOfPart(first, kSeedPart), 8); // two bars of the scale
        QVERIFY(notesOfPart(first, kContinuationPart) >= 24);
        QCOMPARE(window->generatePanel()->variationList()->count(), 4); // seed file + 3
        QCOMPARE(window->generatePanel()->variationList()->currentRow(), 1);
        roll->grab();
        QCOMPARE(roll->paintedNoteCount(), int(first.notes.size()));

        for (const auto &[width, height] : { std::pair { 1600, 1000 }, std::pair { 1280, 800 } }) {
            window->resize(width, height);
            QApplication::processEvents();
            roll->fitToWindow();
            const QString shot = QStringLiteral("/tmp/continuo-main-%1.png").arg(width);
            QVERIFY(window->grab().save(shot));
            // The Generate panel fits without scrolling at both sizes.
            QVERIFY(window->generatePanel()->height() <= window->generatePanel()->parentWidget()->height());
        }

        // Switch variation by clicking the list; undo and redo the choice.
        QListWidget *list = window->generatePanel()->variationList();
        QListWidgetItem *second = list->item(2);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(second).center());
        QCOMPARE(window->currentVariation(), 1);
        QVERIFY(window->displayedScore().notes != first.notes);
        window->undoStack()->undo();
        QCOMPARE(window->currentVariation(), 0);
        QCOMPARE(window->displayedScore().notes, first.notes);
        QCOMPARE(list->currentRow(), 1);
        window->undoStack()->redo();
        QCOMPARE(window->currentVariation(), 1);
        const Score chosen = window->displayedScore();

        // MIDI, read back by our reader and by mido.
        const QString midi = path(QStringLiteral("out.mid"));
        QVERIFY(window->exportMidi(midi));
        const Score back = readScoreFile(midi.toStdString());
        QCOMPARE(back.notes.size(), chosen.notes.size());
        QCOMPARE(notesOfPart(back, kContinuationPart), notesOfPart(chosen, kContinuationPart));
        const QString python = pythonWithMido();
        if (python.isEmpty()) {
            qWarning("no python with mido: skipping the independent MIDI check");
        } else {
            const QString count = runPython(
                python,
                QStringLiteral(
                    "import mido,sys\nm=mido.MidiFile(sys.argv[1])\n"
                    "print(sum(1 for t in m.tracks for e in t if e.type=='note_on' and e.velocity>0))"),
                midi);
            QCOMPARE(count, QString::number(chosen.notes.size()));
        }
        const QString dragged = window->writeDragFile();
        QVERIFY(QFile::exists(dragged));
        QCOMPARE(readScoreFile(dragged.toStdString()).notes.size(), chosen.notes.size());

        // WAV, rendered on a job while the event loop keeps ticking.
        try {
            findSoundFont(std::string());
        } catch (const std::exception &e) {
            QSKIP(e.what());
        }
        const QString wav = path(QStringLiteral("out.wav"));
        QSignalSpy rendered(window.get(), &MainWindow::renderFinished);
        LatencyProbe probe;
        QVERIFY(window->exportWav(wav));
        QVERIFY(window->isRendering());
        QTRY_VERIFY_WITH_TIMEOUT(rendered.count() == 1, 60000);
        std::printf("worst GUI event-loop gap while rendering a WAV: %.1f ms\n", probe.worstMs());
        QVERIFY2(probe.worstMs() < 250, qPrintable(QString::number(probe.worstMs())));
        QCOMPARE(errors.count(), 0);
        const QString stats =
            runPython(QStringLiteral("python3"),
                      QStringLiteral("import wave,sys,array\nw=wave.open(sys.argv[1])\n"
                                     "a=array.array('h',w.readframes(w.getnframes()))\n"
                                     "print(w.getnframes()/w.getframerate(), max(abs(x) for x in a))"),
                      wav);
        const QStringList parts = stats.split(QLatin1Char(' '));
        QCOMPARE(parts.size(), 2);
        QVERIFY2(std::abs(parts[0].toDouble() - (chosen.durationSec() + 2.0)) < 0.1, qPrintable(stats));
        QVERIFY2(parts[1].toInt() > 300, qPrintable(stats)); // not silent

        // Cancel: the render stops and leaves no file (unless it had already finished).
        const QString cancelled = path(QStringLiteral("cancelled.wav"));
        QVERIFY(window->exportWav(cancelled));
        window->cancelRender();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isRendering(), 20000);
        QCOMPARE(QFile::exists(cancelled), rendered.count() == 2);
        QVERIFY(!QFile::exists(cancelled + QStringLiteral(".tmp")));
    }

    void streamsNotesAndStops()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        prepare(*window, 10000, 8, m_slowModelPath);
        LatencyProbe probe;
        window->generate();
        QVERIFY(window->isGenerating());
        // Notes show up on the roll while the job runs.
        QTRY_VERIFY_WITH_TIMEOUT(
            notesOfPart(window->displayedScore(), kContinuationPart) >= 20 || !window->isGenerating(), 30000);
        QVERIFY2(window->isGenerating(), "the generation ended before any streamed note was seen");
        const int seen = notesOfPart(window->displayedScore(), kContinuationPart);
        QVERIFY(seen >= 20 && seen < 10000);
        QTest::qWait(300);
        window->stopGeneration();
        QElapsedTimer stopping;
        stopping.start();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 5000);
        std::printf("worst GUI event-loop gap while generating: %.1f ms; stop took %lld ms\n",
                    probe.worstMs(), stopping.elapsed());
        QVERIFY2(probe.worstMs() < 250, qPrintable(QString::number(probe.worstMs())));
        const int kept = notesOfPart(window->displayedScore(), kContinuationPart);
        QVERIFY(kept >= seen && kept < 10000);
        QCOMPARE(window->variationCount(), 8);
    }

    void atStartupTheDefaultModelAndSeedOpen()
    {
        QSettings().remove(QStringLiteral("generate")); // no model chosen before
        QSettings().remove(QStringLiteral("recentFiles")); // a first run
        {
            auto window = makeWindow();
            window->openAtStartup({});
            QTRY_VERIFY_WITH_TIMEOUT(window->isModelLoaded(), 20000);
            QCOMPARE(QFileInfo(window->generatePanel()->currentModel()).fileName(),
                     QString::fromStdString(defaultModelPath().filename().string()));
            QVERIFY(!window->displayedScore().notes.empty()); // the first bundled seed
        }
        {
            auto window = makeWindow();
            window->openAtStartup(m_seedPath); // a file given on the command line
            QCOMPARE(window->displayedScore().notes.size(), scaleScore().notes.size());
        }
        {
            auto window = makeWindow();
            window->openAtStartup({}); // the next run: the file opened last
            QCOMPARE(window->displayedScore().notes.size(), scaleScore().notes.size());
        }
        // When the file opened last is gone, the first bundled seed.
        QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
        recent.prepend(path(QStringLiteral("gone.mid")));
        QSettings().setValue(QStringLiteral("recentFiles"), recent);
        auto window = makeWindow();
        window->openAtStartup({});
        QVERIFY(!window->displayedScore().notes.empty());
        QVERIFY(window->displayedScore().notes.size() != scaleScore().notes.size());
    }

    void jobsStartCancelAndRestartInQuickSuccession()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        prepare(*window, 60, 4);
        auto *insight = window->findChild<InsightPanel *>();
        QVERIFY(insight);
        LatencyProbe probe;
        // Model loads: a new choice while one loads cancels it; the last choice is the one loaded.
        for (int i = 0; i < 6; ++i) {
            window->addModel(i % 2 ? m_modelPath : m_slowModelPath);
            QTest::qWait(2);
        }
        QTRY_VERIFY_WITH_TIMEOUT(window->isModelLoaded(), 20000);
        QCOMPARE(window->generatePanel()->currentModel(), m_modelPath);
        // Generations stopped and started again at once, each restarting the insight analysis of
        // the one before: a new job queues behind one still ending, with no wait on this thread.
        for (int round = 0; round < 5; ++round) {
            window->generate();
            QVERIFY(window->isGenerating());
            QTest::qWait(round * 3);
            window->stopGeneration();
            QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 5000);
            window->generate(); // its worker may still be returning from the stopped job
            QVERIFY(window->isGenerating());
            QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 20000);
            QCOMPARE(window->variationCount(), 4);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!insight->isAnalyzing(), 20000);
        std::printf("worst GUI event-loop gap while jobs started, stopped and restarted: %.1f ms\n",
                    probe.worstMs());
        QVERIFY2(probe.worstMs() < 250, qPrintable(QString::number(probe.worstMs())));
    }

    void continueFromHereUsesTheResultUpToThePlayhead()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        prepare(*window, 16, 2);
        window->generate();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 60000);
        const Score result = window->displayedScore();
        const std::int64_t playhead = 4 * kBar + kTpq / 2; // half a beat into bar 5
        window->pianoRoll()->setPlayheadTick(playhead);
        const int before = int(std::count_if(result.notes.begin(), result.notes.end(),
                                             [&](const Note &n) { return n.startTick < playhead; }));
        window->continueFromHere();
        QVERIFY(window->isGenerating());
        QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 60000);
        QCOMPARE(window->variationCount(), 2);
        QCOMPARE(notesOfPart(window->displayedScore(), kSeedPart), before);
        QVERIFY(notesOfPart(window->displayedScore(), kContinuationPart) >= 16);
    }

    void randomSeedFromCorpus()
    {
        QTemporaryDir corpus;
        saveScoreFile(scaleScore(), (corpus.path() + QStringLiteral("/piece.mid")).toStdString());
        auto window = makeWindow();
        QSignalSpy errors(window.get(), &MainWindow::errorShown);
        window->randomSeedFromFolder(corpus.path());
        QTRY_VERIFY_WITH_TIMEOUT(!window->displayedScore().notes.empty(), 20000);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(window->currentVariation(), -1);
        QVERIFY(window->windowTitle().contains(QStringLiteral("piece.mid")));
        QCOMPARE(window->pianoRoll()->selection(), (TickRange { 0, window->displayedScore().endTick }));
    }

    void playbackPlaysOrSaysWhyNot()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        QAction *play = window->playAction();
        QVERIFY(play->isEnabled() || !window->statusBar()->currentMessage().isEmpty());
        if (!play->isEnabled())
            return;
        LatencyProbe probe;
        window->togglePlayback(); // the synth starts on a job: the GUI does not wait for it
        QVERIFY2(probe.worstMs() < 100, qPrintable(QString::number(probe.worstMs())));
        // Without an audio device (CI) Play turns off with a message; with one, it plays and the
        // playhead moves.
        QTRY_VERIFY_WITH_TIMEOUT(window->isPlaying() || !play->isEnabled(), 30000);
        if (window->isPlaying()) {
            QTRY_VERIFY_WITH_TIMEOUT(window->pianoRoll()->playheadTick() > 0, 5000);
            window->togglePlayback();
            QVERIFY(!window->isPlaying());
        } else {
            QVERIFY2(window->statusBar()->currentMessage().startsWith(QStringLiteral("Cannot play")),
                     qPrintable(window->statusBar()->currentMessage()));
            std::printf("no audio output here: %s\n", qPrintable(window->statusBar()->currentMessage()));
        }
    }

    void blendsWithASecondModelOrSaysWhyNot()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        prepare(*window, 16, 2);
        GeneratePanel *panel = window->generatePanel();
        panel->addModel(m_slowModelPath, false); // listed, not chosen
        panel->setBlendModel(m_slowModelPath);
        QCOMPARE(panel->blendModel(), m_slowModelPath);
        QCOMPARE(panel->settings().blendModelName, std::string("small.ckpt"));
        QSignalSpy errors(window.get(), &MainWindow::errorShown);
        window->generate();
        QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 60000);
        QCOMPARE(errors.count(), 0);
        QVERIFY(notesOfPart(window->displayedScore(), kContinuationPart) >= 16);

        // A model that reads music otherwise cannot be blended: one sentence says why.
        const QString compound = path(QStringLiteral("compound.ckpt"));
        Model(ModelSpec::preset("tiny", Representation::Compound,
                                { compoundrepr::kTimeClasses, compoundrepr::kPitchClasses,
                                  compoundrepr::kDurationClasses, compoundrepr::kVelocityClasses },
                                Architecture::Transformer))
            .save(compound.toStdString());
        panel->setBlendModel(compound);
        window->generate();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
        QVERIFY2(errors.at(0).at(0).toString().contains(QStringLiteral("read music differently")),
                 qPrintable(errors.at(0).at(0).toString()));
        panel->setBlendModel(QString());
        QCOMPARE(panel->settings().blendModelName, std::string());
    }

    void regenerateSelectionFillsTheSpanAndUndoBringsItBack()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        const QString compound = path(QStringLiteral("fill.ckpt"));
        Model(ModelSpec::preset("tiny", Representation::Compound,
                                { compoundrepr::kTimeClasses, compoundrepr::kPitchClasses,
                                  compoundrepr::kDurationClasses, compoundrepr::kVelocityClasses },
                                Architecture::Transformer),
              3)
            .save(compound.toStdString());
        prepare(*window, 16, 2, compound);
        GeneratePanel *panel = window->generatePanel();
        // Without a selection it cannot: the button says why.
        window->pianoRoll()->clearSelection();
        QVERIFY(!panel->regenerateButton()->isEnabled());
        QVERIFY(panel->regenerateButton()->toolTip().contains(QStringLiteral("Select")));

        // Bars 3 and 4 of the seed file, keeping the notes from G4 up.
        const Score before = window->displayedScore();
        const TickRange span { 2 * kBar, 4 * kBar };
        window->pianoRoll()->setSelection(span);
        QApplication::processEvents();
        QVERIFY(panel->regenerateButton()->isEnabled());
        panel->keepBox()->setCurrentIndex(1); // the melody
        panel->findChild<QLineEdit *>(QStringLiteral("split"))->setText(QStringLiteral("G4"));
        const int undoBefore = window->undoStack()->index();
        QSignalSpy errors(window.get(), &MainWindow::errorShown);
        QTest::mouseClick(panel->regenerateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 60000);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(window->variationCount(), 2);
        QCOMPARE(window->currentVariation(), 0);
        QCOMPARE(window->undoStack()->index(), undoBefore + 1);
        for (int v = 0; v < 2; ++v) {
            window->showVariation(v);
            const Score &shown = window->displayedScore();
            // Every note outside the span, and every kept one, is where it was; the new ones lie in it.
            std::vector<std::pair<std::int64_t, int>> stayed, expected;
            int added = 0;
            for (const Note &note : shown.notes) {
                if (note.part == kContinuationPart) {
                    QVERIFY(note.startTick >= span.startTick && note.endTick <= span.endTick);
                    ++added;
                } else {
                    stayed.emplace_back(note.startTick, note.pitch);
                }
            }
            for (const Note &note : before.notes)
                if (note.startTick < span.startTick || note.startTick >= span.endTick || note.pitch >= 67)
                    expected.emplace_back(note.startTick, note.pitch);
            std::sort(stayed.begin(), stayed.end());
            std::sort(expected.begin(), expected.end());
            QCOMPARE(stayed, expected);
            QVERIFY(added > 0);
        }
        // Undo brings back the seed file as it was, redo the fill.
        while (window->undoStack()->index() > undoBefore)
            window->undoStack()->undo();
        QCOMPARE(window->variationCount(), 0);
        QCOMPARE(window->displayedScore().notes, before.notes);
        window->undoStack()->redo();
        QCOMPARE(window->variationCount(), 2);
        // A notes model cannot fill: the button says so.
        window->addModel(m_modelPath);
        QTRY_VERIFY_WITH_TIMEOUT(window->isModelLoaded(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->regenerateButton()->toolTip().contains(QStringLiteral("compound")),
                                 5000);
        QVERIFY(!panel->regenerateButton()->isEnabled());
    }

    void theDefaultModelsFillsComeFromTheFillModel()
    {
        // The bundled default never learned to read what follows a gap: its companion fills.
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        prepare(*window, 16, 1, QString::fromStdString(defaultModelPath().string()));
        window->pianoRoll()->setSelection({ 2 * kBar, 4 * kBar });
        QApplication::processEvents();
        QSignalSpy errors(window.get(), &MainWindow::errorShown);
        QTest::mouseClick(window->generatePanel()->regenerateButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!window->isGenerating(), 60000);
        QCOMPARE(errors.count(), 0);
        QCOMPARE(window->variationCount(), 1);
        QVERIFY2(window->statusBar()->currentMessage().contains(QStringLiteral("Filled by fill-compound")),
                 qPrintable(window->statusBar()->currentMessage()));
    }

    void badModelGivesAnError()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        const QString bad = writeFile(QStringLiteral("bad.ckpt"), "this is not a model");
        QSignalSpy errors(window.get(), &MainWindow::errorShown);
        window->addModel(bad);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
        QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("bad.ckpt")));
        QVERIFY(!window->isModelLoaded());
        QVERIFY(!window->generatePanel()->generateButton()->isEnabled());
    }

    void badMidiFileGivesAnError()
    {
        auto window = makeWindow();
        const QString bad = writeFile(QStringLiteral("bad.mid"), "MThd garbage");
        QSignalSpy errors(window.get(), &MainWindow::errorShown);
        QVERIFY(!window->openMidiFile(bad));
        QCOMPARE(errors.count(), 1);
    }

    void settingsPersist()
    {
        {
            auto window = makeWindow();
            GenerationSettings settings;
            settings.length = 12;
            settings.unit = LengthUnit::Bars;
            settings.variations = 5;
            settings.rngSeed = 4242;
            settings.sampling.temperature = 0.8;
            settings.stayClose = 0.25;
            settings.followSeed = 1.5;
            settings.holdRegister = 1.25;
            settings.holdRhythm = 0.75;
            settings.holdKey = 2.5;
            settings.blendWeight = 0.3;
            settings.blendHeads = BlendHeads::Pitch;
            settings.constraints.setScale("D minor");
            settings.constraints.setRange("C3-C6");
            window->generatePanel()->applySettings(settings);
            window->addModel(m_modelPath);
            window->generatePanel()->setBlendModel(m_slowModelPath);
            window->setInstrument(40); // violin
            window->close();
        }
        auto window = makeWindow();
        QCOMPARE(window->playbackOptions().partPrograms, std::vector<int>({ 40 }));
        const GenerationSettings s = window->generatePanel()->settings();
        QCOMPARE(s.length, 12.0);
        QCOMPARE(s.unit, LengthUnit::Bars);
        QCOMPARE(s.variations, 5);
        QCOMPARE(s.rngSeed, std::uint64_t(4242));
        QCOMPARE(s.sampling.temperature, 0.8);
        QCOMPARE(s.stayClose, 0.25);
        QCOMPARE(s.followSeed, 1.5);
        QCOMPARE(s.holdRegister, 1.25);
        QCOMPARE(s.holdRhythm, 0.75);
        QCOMPARE(s.holdKey, 2.5);
        QCOMPARE(s.blendWeight, 0.3);
        QCOMPARE(s.blendHeads, BlendHeads::Pitch);
        QCOMPARE(window->generatePanel()->blendModel(), m_slowModelPath);
        QCOMPARE(s.constraints.scaleName, std::string("D minor"));
        QCOMPARE(s.constraints.lowest, 48);
        QCOMPARE(s.constraints.highest, 84);
        QCOMPARE(window->generatePanel()->currentModel(), QFileInfo(m_modelPath).absoluteFilePath());
    }

    void theInstrumentAppliesToEveryPart()
    {
        auto window = makeWindow();
        QVERIFY(window->openMidiFile(m_seedPath));
        window->setInstrument(-1);
        QVERIFY(window->playbackOptions().partPrograms.empty()); // the file's own programs
        window->setInstrument(73); // flute
        const PlaybackOptions options = window->playbackOptions();
        QCOMPARE(options.partPrograms.size(),
                 std::max<std::size_t>(1, window->displayedScore().parts.size()));
        for (int program : options.partPrograms)
            QCOMPARE(program, 73);
        // What playback sends: a program change to the flute before the first note.
        const std::vector<PlaybackEvent> events = playbackEvents(window->displayedScore(), options);
        const auto change = std::find_if(events.begin(), events.end(),
                                         [](const PlaybackEvent &e) { return (e.status & 0xF0) == 0xC0; });
        QVERIFY(change != events.end());
        QCOMPARE(int(change->data1), 73);
    }

    void trainActionEmitsSignal()
    {
        auto window = makeWindow();
        QSignalSpy train(window.get(), &MainWindow::trainRequested);
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keyClick(window.get(), Qt::Key_T, Qt::ControlModifier);
        QCOMPARE(train.count(), 1);
    }

    void evaluateActionOpensTheDialogOnTheCurrentModel()
    {
        auto window = makeWindow();
        window->addModel(m_modelPath);
        QTRY_VERIFY_WITH_TIMEOUT(window->isModelLoaded(), 20000);
        window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window.get()));
        QTest::keyClick(window.get(), Qt::Key_M, Qt::ControlModifier | Qt::ShiftModifier);
        EvaluationDialog *dialog = window->evaluationDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(QDir::fromNativeSeparators(dialog->modelPath()), QFileInfo(m_modelPath).absoluteFilePath());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
