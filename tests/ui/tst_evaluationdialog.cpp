// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the Evaluate Model dialog: a model and its baseline side by side on held-out files,
// suggestions read from the model, errors for a baseline or folder that do not fit, cancel, and
// settings that persist.
#include "ui/insight/evaluationdialog.h"

#include "core/resources.h"
#include "score/smfconvert.h"
#include "train/trainingrun.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace continuo;
using namespace continuo::ui;

namespace {

/// Records errors instead of showing message boxes.
class TestDialog : public EvaluationDialog
{
public:
    QStringList errors;

protected:
    void showError(const QString &message, const QString &details) override
    {
        errors << message + QLatin1String(" | ") + details;
        Q_EMIT errorOccurred(message, details);
    }
};

const QString kData = QStringLiteral(CONTINUO_TEST_DATA_DIR);

/// Writes `index`'s piece of a small corpus: 96 eighth notes of a seeded walk in C major, long
/// enough for training windows (the fixtures of tests/data are a few notes each).
void writePiece(const QString &path, unsigned index)
{
    static const int kScale[] = { 0, 2, 4, 5, 7, 9, 11 };
    Score score;
    score.division.ticksPerQuarter = 480;
    score.parts.push_back({});
    unsigned state = 12345u + 977u * index;
    int degree = 7;
    for (int i = 0; i < 96; ++i) {
        state = state * 1103515245u + 12345u;
        degree = std::clamp(degree + int((state >> 16) % 5) - 2, 0, 14);
        Note note;
        note.pitch = 60 + 12 * (degree / 7) + kScale[degree % 7];
        note.velocity = 50 + int((state >> 8) % 40);
        note.startTick = i * 240;
        note.endTick = note.startTick + 200;
        score.notes.push_back(note);
    }
    score.endTick = score.notes.back().endTick;
    score.sortEvents();
    score.updateSeconds();
    saveScoreFile(score, path.toStdString());
}

/// A small performance-model training run on `corpus` that takes a moment.
QString train(const QString &corpus, const QString &out, const std::string &preset)
{
    TrainingRunOptions o;
    o.corpus = corpus.toStdString();
    o.out = out.toStdString();
    o.preset = preset;
    o.data.representation = Representation::Performance;
    o.data.validationFraction = 0.34;
    o.train.epochs = 1;
    o.train.sequenceLength = 4;
    o.train.batchSize = 2;
    o.train.stepsPerEpoch = 3;
    o.train.patience = 0;
    o.train.device = "cpu";
    PlainJobContext context;
    runTraining(o, context);
    return out;
}

/// The number a cell shows ("1.234" or "56.7 %").
double cellValue(const QTableWidget *table, int row, int column)
{
    QString text = table->item(row, column)->text();
    text.remove(QLatin1String(" %"));
    bool ok = false;
    const double value = QLocale().toDouble(text, &ok);
    return ok ? value : std::nan("");
}

int columnTitled(const QTableWidget *table, const QString &title)
{
    for (int c = 0; c < table->columnCount(); ++c)
        if (table->horizontalHeaderItem(c)->text() == title)
            return c;
    return -1;
}

} // namespace

class TestEvaluationDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_corpus; ///< six pieces of writePiece
    QString m_model; ///< tiny performance LSTM trained on m_corpus
    QString m_baseline; ///< performance baseline trained on m_corpus
    QString m_notesModel; ///< the bundled notes model: it reads music differently

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// Fills `dialog` to evaluate the model and its baseline on m_corpus.
    void fillForm(EvaluationDialog &dialog, EvaluationSplit split)
    {
        dialog.setModelPath(m_model);
        dialog.setBaselinePath(m_baseline);
        dialog.setCorpusFolder(m_corpus);
        dialog.setSplit(split);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("ContinuoTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_evaluationdialog"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, path(QStringLiteral("settings")));
        qputenv("XDG_CACHE_HOME", path(QStringLiteral("cache")).toUtf8());

        m_corpus = path(QStringLiteral("corpus"));
        QVERIFY(QDir().mkpath(m_corpus));
        for (unsigned i = 0; i < 6; ++i)
            writePiece(m_corpus + QStringLiteral("/piece-%1.mid").arg(i), i);
        m_model = train(m_corpus, path(QStringLiteral("model.ckpt")), "tiny");
        m_baseline = train(m_corpus, path(QStringLiteral("base.ckpt")), "baseline");
        for (const std::filesystem::path &bundled : bundledModels())
            if (bundled.filename() == "default-notes.ckpt")
                m_notesModel = QString::fromStdString(bundled.string());
        QVERIFY2(!m_notesModel.isEmpty(), "resources/models/default-notes.ckpt is not found");
    }

    void showsModelAndBaselineSideBySide()
    {
        TestDialog dialog;
        fillForm(dialog, EvaluationSplit::Validation);
        QSignalSpy finished(&dialog, &EvaluationDialog::evaluationFinished);
        dialog.evaluate();
        QVERIFY(dialog.isBusy());
        QVERIFY2(finished.wait(60000), qPrintable(dialog.errors.join(QLatin1Char('\n'))));
        QVERIFY(!dialog.isBusy());

        // The same evaluation, straight from the engine.
        CorpusEvaluationOptions options;
        options.model = m_model.toStdString();
        options.baseline = m_baseline.toStdString();
        options.corpus = m_corpus.toStdString();
        options.split = EvaluationSplit::Validation;
        PlainJobContext context;
        const CorpusEvaluation expected = evaluateOnCorpus(options, context);
        QVERIFY(expected.baseline.has_value());
        QVERIFY(expected.model.withMemory.has_value());

        const QTableWidget *table = dialog.resultTable();
        QCOMPARE(table->rowCount(), 3 + 2); // nats per note and per step, perplexity, top-1 and top-5
        const int model = columnTitled(table, QStringLiteral("Model"));
        const int modelMemory = columnTitled(table, QStringLiteral("Model + memory"));
        const int baseline = columnTitled(table, QStringLiteral("Baseline"));
        QVERIFY(model >= 0 && modelMemory >= 0 && baseline >= 0);
        QCOMPARE(table->verticalHeaderItem(3)->text(), QStringLiteral("event: top-1 accuracy"));
        const auto rounded = [](double value) { return std::round(value * 1000) / 1000; };
        QCOMPARE(cellValue(table, 0, model), rounded(expected.model.natsPerNote(expected.model.network)));
        QVERIFY(expected.model.notes > 0 && expected.model.notes < expected.model.steps);
        QCOMPARE(cellValue(table, 1, model), rounded(expected.model.network.validLoss));
        QCOMPARE(cellValue(table, 1, modelMemory), rounded(expected.model.withMemory->validLoss));
        QCOMPARE(cellValue(table, 1, baseline), rounded(expected.baseline->network.validLoss));
        QCOMPARE(cellValue(table, 3, baseline),
                 std::round(expected.baseline->network.heads[0].top1 * 1000) / 10);
        QVERIFY(dialog.summaryText().contains(QStringLiteral("The baseline gets")));
        QVERIFY(dialog.summaryText().contains(QStringLiteral("%1 file(s)").arg(expected.model.files)));
    }

    void aNotesModelCountsTheNotesItsVocabularyCannotName()
    {
        CorpusEvaluationOptions options;
        options.model = m_notesModel.toStdString();
        options.corpus = m_corpus.toStdString();
        options.split = EvaluationSplit::All;
        PlainJobContext context;
        const CorpusEvaluation notes = evaluateOnCorpus(options, context);
        qInfo("%zu of %zu notes unknown", notes.notesStats.unknownNotes, notes.notesStats.notes);
        QVERIFY(notes.notesStats.notes > 0);
        QVERIFY(notes.notesStats.unknownNotes <= notes.notesStats.notes);
        options.model = m_model.toStdString();
        QCOMPARE(evaluateOnCorpus(options, context).notesStats.notes, std::size_t(0)); // performance: none
    }

    void everyFileScoresMoreStepsThanTheHeldOutOnes()
    {
        TestDialog dialog;
        fillForm(dialog, EvaluationSplit::All);
        dialog.setBaselinePath(QString());
        QSignalSpy finished(&dialog, &EvaluationDialog::evaluationFinished);
        dialog.evaluate();
        QVERIFY2(finished.wait(60000), qPrintable(dialog.errors.join(QLatin1Char('\n'))));
        QCOMPARE(columnTitled(dialog.resultTable(), QStringLiteral("Baseline")), -1);
        QVERIFY(dialog.statusText().contains(QStringLiteral("on 6 file(s)")));
    }

    void suggestsTheTrainingCorpus()
    {
        // The last folder used is the default, until a model's own corpus replaces it.
        QSettings().remove(QStringLiteral("evaluate"));
        QSettings().setValue(QStringLiteral("train/corpusFolder"), kData);
        TestDialog dialog;
        QCOMPARE(dialog.corpusFolder(), QDir::toNativeSeparators(kData));
        QSignalSpy ready(&dialog, &EvaluationDialog::suggestionsReady);
        dialog.setModelPath(m_model);
        QVERIFY(ready.wait(10000));
        QCOMPARE(QDir::cleanPath(dialog.corpusFolder()), QDir::cleanPath(m_corpus));
        // The bundled performance baseline reads music as any performance model does.
        QCOMPARE(QFileInfo(dialog.baselinePath()).fileName(), QStringLiteral("baseline-performance.ckpt"));

        // A folder the user chose stays when another model is chosen.
        dialog.setCorpusFolder(kData);
        dialog.setModelPath(m_baseline);
        QVERIFY(ready.wait(10000));
        QCOMPARE(dialog.corpusFolder(), QDir::toNativeSeparators(kData));
    }

    void findsTheBaselineThatReadsMusicAlike()
    {
        const ModelSpec spec = Model::load(m_model.toStdString()).spec();
        const std::vector<std::filesystem::path> candidates { m_model.toStdString(),
                                                              m_notesModel.toStdString(),
                                                              m_baseline.toStdString() };
        QCOMPARE(QString::fromStdString(matchingBaseline(spec, candidates).string()), m_baseline);
        // An LSTM is no baseline, and a baseline of performances does not read notes.
        QVERIFY(matchingBaseline(spec, { m_model.toStdString(), m_notesModel.toStdString() }).empty());
        const ModelSpec notes = Model::load(m_notesModel.toStdString()).spec();
        QVERIFY(matchingBaseline(notes, { m_baseline.toStdString() }).empty());
    }

    void refusesABaselineThatReadsMusicDifferently()
    {
        TestDialog dialog;
        fillForm(dialog, EvaluationSplit::Validation);
        dialog.setBaselinePath(m_notesModel);
        QSignalSpy failed(&dialog, &EvaluationDialog::errorOccurred);
        dialog.evaluate();
        QVERIFY(failed.wait(30000));
        QVERIFY2(dialog.errors.first().contains(QStringLiteral("reads music differently")),
                 qPrintable(dialog.errors.first()));
        QVERIFY(dialog.errors.first().contains(QStringLiteral("default-notes.ckpt")));
        QVERIFY(!dialog.isBusy());
        QCOMPARE(dialog.resultTable()->rowCount(), 0);
    }

    void heldOutFilesNeedTheModelsCorpus()
    {
        TestDialog dialog;
        fillForm(dialog, EvaluationSplit::Validation);
        dialog.setCorpusFolder(kData + QLatin1String("/lenient"));
        QSignalSpy failed(&dialog, &EvaluationDialog::errorOccurred);
        dialog.evaluate();
        QVERIFY(failed.wait(30000));
        QVERIFY2(dialog.errors.first().contains(QStringLiteral("validation files are unknown")),
                 qPrintable(dialog.errors.first()));
    }

    void missingInputsAreNamed()
    {
        TestDialog dialog;
        fillForm(dialog, EvaluationSplit::Validation);
        dialog.setCorpusFolder(path(QStringLiteral("no-such-folder")));
        dialog.evaluate();
        QCOMPARE(dialog.errors.size(), 1);
        QVERIFY(dialog.errors.first().contains(QStringLiteral("no-such-folder")));
        dialog.setCorpusFolder(m_corpus);
        dialog.setBaselinePath(path(QStringLiteral("gone.ckpt")));
        dialog.evaluate();
        QCOMPARE(dialog.errors.size(), 2);
        QVERIFY(dialog.errors.last().contains(QStringLiteral("gone.ckpt")));
        QVERIFY(!dialog.isBusy());
    }

    void cancelStopsALongEvaluation()
    {
        // The fuzz fixtures' long silences make millions of time shifts: half a minute to read whole.
        TestDialog dialog;
        dialog.setModelPath(m_model);
        dialog.setBaselinePath(QString());
        dialog.setCorpusFolder(kData + QLatin1String("/valid"));
        dialog.setSplit(EvaluationSplit::All);
        QSignalSpy cancelled(&dialog, &EvaluationDialog::evaluationCancelled);
        QSignalSpy finished(&dialog, &EvaluationDialog::evaluationFinished);
        dialog.evaluate();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.stageText().startsWith(QStringLiteral("Evaluating")), 30000);
        QElapsedTimer clock;
        clock.start();
        dialog.cancel();
        QVERIFY(cancelled.wait(5000));
        qInfo("cancelled after %lld ms", static_cast<long long>(clock.elapsed()));
        QVERIFY(clock.elapsed() < 2000);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(dialog.statusText(), QStringLiteral("Evaluation cancelled."));
        QVERIFY(!dialog.isBusy());
    }

    void settingsPersist()
    {
        {
            TestDialog dialog;
            fillForm(dialog, EvaluationSplit::All);
            dialog.setBaselinePath(QString());
            QSignalSpy finished(&dialog, &EvaluationDialog::evaluationFinished);
            dialog.evaluate();
            QVERIFY(finished.wait(60000));
        }
        TestDialog reopened;
        QCOMPARE(reopened.corpusFolder(), QDir::toNativeSeparators(m_corpus));
        QCOMPARE(reopened.split(), EvaluationSplit::All);
    }
};

QTEST_MAIN(TestEvaluationDialog)
#include "tst_evaluationdialog.moc"
