// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the Train dialog: scan report, training with live curves, cancel and resume, errors,
// reopening curves, and the GUI thread's responsiveness while a model trains.
#include "ui/train/traindialog.h"

#include "jobs/jobrunner.h"
#include "nn/model.h"
#include "train/metricsjson.h"

#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include <memory>

using namespace continuo;
using namespace continuo::ui;

namespace {

/// Records errors and answers questions instead of showing message boxes.
class TestDialog : public TrainDialog
{
public:
    QStringList errors;
    QStringList overwriteQuestions;
    bool allowOverwrite = true;

protected:
    bool confirmOverwrite(const QString &checkpointPath) override
    {
        overwriteQuestions << checkpointPath;
        return allowOverwrite;
    }
    void showError(const QString &message, const QString &details) override
    {
        errors << message + QLatin1String(" | ") + details;
        Q_EMIT errorOccurred(message, details);
    }
};

const QString kValid = QStringLiteral(CONTINUO_TEST_DATA_DIR "/valid");

/// Settings that train in a moment on the small fixtures (as tests/cli/test_train.sh).
TrainingRunOptions tinyRun(const QString &out, int epochs, int stepsPerEpoch)
{
    TrainingRunOptions o;
    o.corpus = kValid.toStdString();
    o.out = out.toStdString();
    o.preset = "tiny";
    o.data.validationFraction = 0.3;
    o.train.epochs = epochs;
    o.train.sequenceLength = 4;
    o.train.batchSize = 2;
    o.train.stepsPerEpoch = stepsPerEpoch;
    o.train.patience = 0;
    o.train.device = "cpu";
    return o;
}

QList<QLineSeries *> lineSeries(QChart *chart)
{
    QList<QLineSeries *> result;
    for (QAbstractSeries *series : chart->series())
        if (auto *line = qobject_cast<QLineSeries *>(series))
            result << line;
    return result;
}

std::vector<EpochMetrics> recordedHistory(const QString &checkpoint)
{
    ModelMetadata metadata;
    Model::load(checkpoint.toStdString(), &metadata);
    return parseMetricsHistory(metadata.metricsJson);
}

} // namespace

class TestTrainDialog : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Settings, models and the token cache stay inside the temporary folder.
        QCoreApplication::setOrganizationName(QStringLiteral("ContinuoTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_traindialog"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           m_dir.filePath(QStringLiteral("settings")));
        qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
    }

    void invalidFolderGivesAClearError()
    {
        TestDialog dialog;
        QSignalSpy errors(&dialog, &TrainDialog::errorOccurred);
        dialog.setCorpusFolder(m_dir.filePath(QStringLiteral("no-such-folder")));
        dialog.scan();
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("Choose a folder of MIDI files to train on."));
        dialog.train();
        QCOMPARE(errors.count(), 2);
        QVERIFY(!dialog.isTraining());
    }

    void emptyFolderGivesAClearError()
    {
        QTemporaryDir empty;
        TestDialog dialog;
        QSignalSpy errors(&dialog, &TrainDialog::errorOccurred);
        QSignalSpy scanned(&dialog, &TrainDialog::scanFinished);
        dialog.setCorpusFolder(empty.path());
        dialog.scan();
        QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 10000);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("The folder holds no MIDI files."));

        // Training on it fails in the job, with the engine's sentence.
        dialog.setRunOptions(tinyRun(m_dir.filePath(QStringLiteral("models/empty.ckpt")), 1, 1));
        dialog.setCorpusFolder(empty.path());
        dialog.train();
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 2, 20000);
        QVERIFY2(errors.at(1).at(0).toString().contains(QLatin1String("usable MIDI file")),
                 qPrintable(errors.at(1).at(0).toString()));
        QTRY_VERIFY(!dialog.isTraining());
        QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("models/empty.ckpt"))));
    }

    void scanListsKeptAndSkippedFiles()
    {
        TestDialog dialog;
        QSignalSpy scanned(&dialog, &TrainDialog::scanFinished);
        dialog.setCorpusFolder(kValid);
        dialog.scan();
        QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 20000);
        const int usable = scanned.at(0).at(0).toInt(), skipped = scanned.at(0).at(1).toInt();
        QVERIFY(usable >= 2);
        QVERIFY(skipped >= 1);
        QTableWidget *table = dialog.reportTable();
        QCOMPARE(table->rowCount(), usable + skipped);
        int usableRows = 0, skippedRows = 0;
        for (int row = 0; row < table->rowCount(); ++row) {
            const QString status = table->item(row, 1)->text();
            if (status == QLatin1String("usable"))
                ++usableRows;
            else if (status.startsWith(QLatin1String("skipped: ")) && status.size() > 9)
                ++skippedRows;
        }
        QCOMPARE(usableRows, usable);
        QCOMPARE(skippedRows, skipped);
        QVERIFY2(dialog.scanSummary().startsWith(QString::number(usable) + QLatin1String(" files usable")),
                 qPrintable(dialog.scanSummary()));
        qInfo("%s", qPrintable(dialog.scanSummary()));
        // The folder is remembered.
        QCOMPARE(QSettings().value(QStringLiteral("train/corpusFolder")).toString(), kValid);
        TestDialog second;
        QCOMPARE(second.corpusFolder(), kValid);
    }

    void trainsTwoEpochsWithLiveCurves()
    {
        TestDialog dialog;
        QSignalSpy trained(&dialog, &TrainDialog::modelTrained);
        QSignalSpy epochs(&dialog, &TrainDialog::epochFinished);
        const QString out = m_dir.filePath(QStringLiteral("models/two.ckpt"));
        dialog.setRunOptions(tinyRun(out, 2, 3));
        QCOMPARE(dialog.outputPath(), out);
        dialog.train();
        QVERIFY(dialog.isTraining());
        QTRY_COMPARE_WITH_TIMEOUT(trained.count(), 1, 60000);
        QCOMPARE(trained.at(0).at(0).toString(), out);
        QCOMPARE(epochs.count(), 2);
        QVERIFY(dialog.errors.isEmpty());
        QVERIFY(QFileInfo(out).size() > 0);
        QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("models/two.last.ckpt"))).size() > 0);
        const auto loss = lineSeries(dialog.lossChart());
        QCOMPARE(loss.size(), 2); // training and validation
        for (QLineSeries *series : loss)
            QCOMPARE(series->count(), 2);
        const auto accuracy = lineSeries(dialog.accuracyChart());
        QCOMPARE(accuracy.size(), 1); // one head for the performance representation
        QCOMPARE(accuracy.first()->count(), 2);
        QVERIFY(dialog.statusText().contains(QLatin1String("best epoch")));
        QTRY_VERIFY(!dialog.isTraining());

        // The curves come back from the checkpoint.
        TestDialog other;
        QSignalSpy opened(&other, &TrainDialog::curvesOpened);
        other.openCurves(out);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        for (QLineSeries *series : lineSeries(other.lossChart()))
            QCOMPARE(series->count(), 2);
        QCOMPARE(lineSeries(other.lossChart()).first()->at(1), loss.first()->at(1));

        // A file that is not a model gives an error, not curves.
        QSignalSpy errors(&other, &TrainDialog::errorOccurred);
        other.openCurves(kValid + QLatin1String("/c-major-format0.mid"));
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
    }

    void notesModelShowsAccuracyPerHeadAndAsksBeforeReplacing()
    {
        TestDialog dialog;
        QSignalSpy trained(&dialog, &TrainDialog::modelTrained);
        const QString out = m_dir.filePath(QStringLiteral("models/notes.ckpt"));
        TrainingRunOptions run = tinyRun(out, 2, 3);
        run.data.representation = Representation::Notes;
        dialog.setRunOptions(run);
        dialog.train();
        QTRY_COMPARE_WITH_TIMEOUT(trained.count(), 1, 60000);
        QVERIFY2(dialog.errors.isEmpty(), qPrintable(dialog.errors.join(QLatin1Char('\n'))));
        QVERIFY(dialog.overwriteQuestions.isEmpty());
        const auto accuracy = lineSeries(dialog.accuracyChart());
        QCOMPARE(accuracy.size(), 3); // chord, offset, duration
        QCOMPARE(accuracy.at(0)->name(), QStringLiteral("chord"));
        for (QLineSeries *series : accuracy)
            QCOMPARE(series->count(), 2);
        QTRY_VERIFY(!dialog.isTraining());

        // Training again under the same name asks first; "no" leaves everything as it was.
        const QDateTime written = QFileInfo(out).lastModified();
        dialog.allowOverwrite = false;
        dialog.train();
        QCOMPARE(dialog.overwriteQuestions, QStringList { out });
        QVERIFY(!dialog.isTraining());
        QCOMPARE(QFileInfo(out).lastModified(), written);
    }

    void aCompoundTransformerTrainsFromTheDialog()
    {
        TestDialog dialog;
        QSignalSpy trained(&dialog, &TrainDialog::modelTrained);
        const QString out = m_dir.filePath(QStringLiteral("models/compound.ckpt"));
        TrainingRunOptions run = tinyRun(out, 1, 2);
        run.data.representation = Representation::Compound;
        run.architecture = Architecture::Transformer;
        dialog.setRunOptions(run);
        QCOMPARE(dialog.runOptions().architecture, Architecture::Transformer);
        dialog.train();
        QTRY_COMPARE_WITH_TIMEOUT(trained.count(), 1, 60000);
        QVERIFY2(dialog.errors.isEmpty(), qPrintable(dialog.errors.join(QLatin1Char('\n'))));
        const auto accuracy = lineSeries(dialog.accuracyChart());
        QCOMPARE(accuracy.size(), 4); // time, pitch, duration, velocity
        QCOMPARE(accuracy.at(1)->name(), QStringLiteral("pitch"));
        const ModelSpec spec = Model::readSpec(out.toStdString());
        QCOMPARE(spec.architecture, Architecture::Transformer);
        QCOMPARE(spec.representation, Representation::Compound);
        QTRY_VERIFY(!dialog.isTraining());
    }

    void fineTuningStartsFromTheChosenModel()
    {
        PlainJobContext context;
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("models"))));
        TrainingRunOptions base = tinyRun(m_dir.filePath(QStringLiteral("models/start.ckpt")), 1, 2);
        base.data.representation = Representation::Compound;
        base.architecture = Architecture::Transformer;
        const TrainingRunResult started = runTraining(base, context);
        const QString start = QString::fromStdString(started.bestPath.string());

        TestDialog dialog;
        QSignalSpy trained(&dialog, &TrainDialog::modelTrained);
        auto *representation = dialog.findChild<QComboBox *>(QStringLiteral("representation"));
        auto *learningRate = dialog.findChild<QDoubleSpinBox *>(QStringLiteral("learningRate"));
        TrainingRunOptions tune = tinyRun(m_dir.filePath(QStringLiteral("models/tuned.ckpt")), 2, 2);
        tune.init = start.toStdString();
        tune.train.learningRate = 2e-4;
        dialog.setRunOptions(tune);
        // The model's own representation and network; the settings asked for.
        QVERIFY(!representation->isEnabled());
        QCOMPARE(dialog.runOptions().data.representation, Representation::Compound);
        QCOMPARE(dialog.runOptions().architecture, Architecture::Transformer);
        QCOMPARE(dialog.runOptions().init, start.toStdString());
        QCOMPARE(learningRate->value(), 2e-4);
        dialog.train();
        QTRY_COMPARE_WITH_TIMEOUT(trained.count(), 1, 60000);
        QVERIFY2(dialog.errors.isEmpty(), qPrintable(dialog.errors.join(QLatin1Char('\n'))));
        QCOMPARE(Model::load(dialog.outputPath().toStdString()).parameterCount(),
                 Model::load(started.bestPath).parameterCount());
        QTRY_VERIFY(!dialog.isTraining());

        // Back to a new model: the network is the student's to choose again, with training's settings.
        tune.init.clear();
        dialog.setRunOptions(tune);
        QVERIFY(representation->isEnabled());
        QCOMPARE(dialog.runOptions().init, std::string());
    }

    void cancelKeepsTheBestCheckpointAndResumeGoesOn()
    {
        TestDialog dialog;
        QSignalSpy epochs(&dialog, &TrainDialog::epochFinished);
        QSignalSpy cancelled(&dialog, &TrainDialog::trainingCancelled);
        QSignalSpy trained(&dialog, &TrainDialog::modelTrained);
        const QString out = m_dir.filePath(QStringLiteral("models/long.ckpt"));
        const QString last = m_dir.filePath(QStringLiteral("models/long.last.ckpt"));
        dialog.setRunOptions(tinyRun(out, 1000, 40));
        dialog.train();
        QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 1, 60000);
        dialog.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 10000);
        QCOMPARE(trained.count(), 0);
        QCOMPARE(cancelled.at(0).at(0).toString(), out);
        QVERIFY(QFileInfo(out).size() > 0);
        QVERIFY2(dialog.statusText().contains(QLatin1String("best checkpoint so far is kept")),
                 qPrintable(dialog.statusText()));
        QCOMPARE(dialog.resumableCheckpoint(), last);
        QTRY_VERIFY(!dialog.isTraining());
        const int done = int(recordedHistory(last).size());
        QVERIFY(done >= 1);

        // Resume the cancelled run up to two more epochs.
        dialog.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(done + 2);
        dialog.resumeCancelledRun();
        QTRY_COMPARE_WITH_TIMEOUT(trained.count(), 1, 60000);
        QCOMPARE(trained.at(0).at(0).toString(), out);
        QVERIFY(dialog.errors.isEmpty());
        const std::vector<EpochMetrics> history = recordedHistory(last);
        QCOMPARE(int(history.size()), done + 2);
        for (int i = 0; i < int(history.size()); ++i)
            QCOMPARE(history[std::size_t(i)].epoch, i + 1);
        for (QLineSeries *series : lineSeries(dialog.lossChart()))
            QCOMPARE(series->count(), done + 2);
        QTRY_VERIFY(!dialog.isTraining());

        // Resuming a run whose epochs are done says so.
        QSignalSpy errors(&dialog, &TrainDialog::errorOccurred);
        dialog.resumeFrom(last);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 20000);
        QVERIFY2(errors.at(0).at(0).toString().contains(QLatin1String("ask for more epochs")),
                 qPrintable(errors.at(0).at(0).toString()));
    }

    void closingTheDialogWhileTrainingStopsTheJob()
    {
        auto dialog = std::make_unique<TestDialog>();
        QSignalSpy epochs(dialog.get(), &TrainDialog::epochFinished);
        dialog->setRunOptions(tinyRun(m_dir.filePath(QStringLiteral("models/closed.ckpt")), 1000, 40));
        dialog->train();
        QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 1, 60000);
        QElapsedTimer clock;
        clock.start();
        dialog.reset(); // cancels and waits; queued outcomes for it are dropped
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        QTest::qWait(50);
    }

    void guiStaysResponsiveWhileTraining()
    {
        TestDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy trained(&dialog, &TrainDialog::modelTrained);
        const QString out = m_dir.filePath(QStringLiteral("models/latency.ckpt"));
        TrainingRunOptions run = tinyRun(out, 4, 80);
        run.preset = "small"; // a heavier load than the tiny model
        dialog.setRunOptions(run);

        QElapsedTimer clock;
        qint64 previous = 0, worst = 0;
        int ticks = 0;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(1);
        connect(&timer, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - previous);
            previous = now;
            ++ticks;
        });
        // A real event loop: QTest::qWait sleeps between its passes, which would hide or add gaps.
        QEventLoop loop;
        connect(&dialog, &TrainDialog::modelTrained, &loop, &QEventLoop::quit);
        connect(&dialog, &TrainDialog::errorOccurred, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        clock.start();
        timer.start();
        dialog.train();
        loop.exec();
        timer.stop();
        QCOMPARE(trained.count(), 1);
        const qint64 total = clock.elapsed();
        qInfo("event-loop latency while training: worst gap %lld ms over %lld ms (%d timer ticks)",
              static_cast<long long>(worst), static_cast<long long>(total), ticks);
        QVERIFY(total > 1000);
        QVERIFY2(worst < 250, qPrintable(QStringLiteral("worst gap %1 ms").arg(worst)));

        dialog.findChild<QToolButton *>(QStringLiteral("advancedToggle"))
            ->setChecked(true); // show the advanced settings too
        dialog.resize(1180, 760);
        QTest::qWait(50);
        const QImage image = dialog.grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.save(QStringLiteral("/tmp/continuo-train.png")));
    }

    /// A screenshot while a small model trains on the shared corpus (slow: only on request).
    void screenshotOfARealRun()
    {
        const QString corpus = QStringLiteral(CONTINUO_SHARED_DIR "/corpus/piano-classical");
        if (qEnvironmentVariableIsEmpty("CONTINUO_TRAIN_SCREENSHOT") || !QFileInfo(corpus).isDir())
            QSKIP("set CONTINUO_TRAIN_SCREENSHOT=1, with the shared corpus, for a screenshot of a real run");
        TestDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy epochs(&dialog, &TrainDialog::epochFinished);
        QSignalSpy cancelled(&dialog, &TrainDialog::trainingCancelled);
        TrainingRunOptions run = tinyRun(m_dir.filePath(QStringLiteral("models/real.ckpt")), 12, 40);
        run.corpus = corpus.toStdString();
        run.preset = "small";
        run.train.sequenceLength = 64;
        run.train.batchSize = 16;
        run.data.validationFraction = 0.05;
        dialog.setRunOptions(run);
        dialog.train();
        QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 6, 600000);
        QTest::qWait(1500); // into the next epoch: progress, ETA and tokens/s showing
        QVERIFY(dialog.grab().toImage().save(QStringLiteral("/tmp/continuo-train-real.png")));
        dialog.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 30000);
    }
};

QTEST_MAIN(TestTrainDialog)
#include "tst_traindialog.moc"
