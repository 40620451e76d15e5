// SPDX-License-Identifier: GPL-3.0-or-later
// A training run cancelled at the end of an epoch, before or during its validation, records no epoch
// and leaves both checkpoints as they were; resuming afterwards goes on correctly. Fine-tuning starts
// from a model and keeps only what beats it.
#include "analysis/memorization.h"
#include "core/error.h"
#include "core/fileio.h"
#include "jobs/jobrunner.h"
#include "nn/internal/modelimpl.h"
#include "nn/internal/transformernet.h"
#include "repr/compound.h"
#include "score/smfconvert.h"
#include "train/trainingrun.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <random>

using namespace continuo;
using namespace std::chrono_literals;

namespace {

/// Settings that train in a moment on the small fixtures (as tests/cli/test_train.sh); a batch of
/// one makes validation take several batches.
TrainingRunOptions tinyRun(const std::string &out, int epochs)
{
    TrainingRunOptions o;
    o.corpus = CONTINUO_TEST_DATA_DIR "/valid";
    o.out = out;
    o.preset = "tiny";
    o.data.validationFraction = 0.3;
    o.train.epochs = epochs;
    o.train.sequenceLength = 4;
    o.train.batchSize = 1;
    o.train.stepsPerEpoch = 3;
    o.train.patience = 0;
    o.train.device = "cpu";
    return o;
}

/// The runner's context, cancelled at a chosen point: once the run's last training batch has
/// reported its progress, after `validationBatches` more checks (each validation batch checks once).
class CancelAfterLastBatch : public JobContext
{
public:
    CancelAfterLastBatch(JobContext &inner, int validationBatches)
        : m_inner(inner), m_allowed(validationBatches)
    { }
    void reportProgress(std::int64_t done, std::int64_t total, const std::string &stage) override
    {
        m_inner.reportProgress(done, total, stage);
        if (stage.rfind("Epoch", 0) == 0 && done == total)
            m_lastBatchDone = true;
    }
    bool isCancelled() const override
    {
        if (m_inner.isCancelled())
            return true;
        return m_lastBatchDone && m_checks++ >= m_allowed;
    }
    bool cancelledHere() const { return m_lastBatchDone && m_checks > m_allowed; }

private:
    JobContext &m_inner;
    int m_allowed;
    std::atomic<bool> m_lastBatchDone { false };
    mutable std::atomic<int> m_checks { 0 };
};

std::vector<std::uint8_t> bytesOf(const std::filesystem::path &path)
{
    return readFileBytes(path, std::size_t(1) << 30);
}

} // namespace

class TestTrainingRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aCancelAtTheEndOfAnEpochKeepsBothCheckpoints_data()
    {
        QTest::addColumn<int>("validationBatches");
        QTest::newRow("after the last training batch") << 0;
        QTest::newRow("in the middle of validation") << 1;
    }

    void aCancelAtTheEndOfAnEpochKeepsBothCheckpoints()
    {
        QFETCH(int, validationBatches);
        QTemporaryDir dir;
        const std::string best = dir.filePath(QStringLiteral("m.ckpt")).toStdString();
        PlainJobContext plain;
        const TrainingRunResult first = runTraining(tinyRun(best, 1), plain);
        QCOMPARE(int(first.train.history.size()), 1);
        const std::vector<std::uint8_t> bestBefore = bytesOf(first.bestPath);
        const std::vector<std::uint8_t> lastBefore = bytesOf(first.lastPath);

        // Resume up to epoch 2 through the job runner, as the app does, and cancel at the end of it.
        TrainingRunOptions resume = tinyRun("", 2);
        resume.resume = first.lastPath.string();
        JobRunner runner;
        std::atomic<int> outcomes { 0 }, epochsWritten { 0 };
        std::atomic<bool> cancelledHere { false }, endedCancelled { false };
        JobCallbacks<TrainingRunResult> callbacks;
        callbacks.finished = [&](TrainingRunResult result) {
            endedCancelled = result.train.cancelled;
            ++outcomes;
        };
        callbacks.cancelled = [&] { endedCancelled = true, ++outcomes; };
        callbacks.failed = [&](const JobFailure &failure) {
            qWarning("failed: %s", failure.message.c_str());
            ++outcomes;
        };
        TrainingRunHooks hooks;
        hooks.epoch = [&](const EpochMetrics &) { ++epochsWritten; };
        runner.start<TrainingRunResult>(
            [&](JobContext &context) {
                CancelAfterLastBatch cancelling(context, validationBatches);
                TrainingRunResult result = runTraining(resume, cancelling, hooks);
                cancelledHere = cancelling.cancelledHere();
                return result;
            },
            callbacks);
        QVERIFY(runner.waitFor(120s));
        QCOMPARE(outcomes.load(), 1);
        QVERIFY(cancelledHere.load());
        QVERIFY2(bytesOf(first.bestPath) == bestBefore, "the best checkpoint changed");
        QVERIFY2(bytesOf(first.lastPath) == lastBefore, "the last checkpoint changed");
        QCOMPARE(epochsWritten.load(), 0);
        QVERIFY(endedCancelled.load());

        // Resuming again finishes epoch 2 with a true validation loss.
        const TrainingRunResult second = runTraining(resume, plain);
        QCOMPARE(int(second.train.history.size()), 2);
        QCOMPARE(second.train.history.back().epoch, 2);
        const double loss = second.train.history.back().validLoss;
        QVERIFY2(std::isfinite(loss) && loss > 0.5, qPrintable(QString::number(loss)));
    }

    void fineTuningStartsFromTheModelAndKeepsOnlyWhatBeatsIt()
    {
        QTemporaryDir dir;
        PlainJobContext plain;
        TrainingRunOptions base = tinyRun(dir.filePath(QStringLiteral("base.ckpt")).toStdString(), 1);
        base.data.representation = Representation::Notes;
        const TrainingRunResult trained = runTraining(base, plain);
        const Model start = Model::load(trained.bestPath);

        TrainingRunOptions tune = tinyRun(dir.filePath(QStringLiteral("tuned.ckpt")).toStdString(), 3);
        tune.preset = "medium"; // not used: the model's own network is
        tune.init = trained.bestPath.string();
        tune.train.learningRate = 1e-4;
        std::vector<double> losses;
        TrainingRunHooks hooks;
        hooks.start = [&](const EpochMetrics &m) {
            QCOMPARE(m.epoch, 0);
            // Saved as the best so far: the model it starts from, unchanged.
            QCOMPARE(Model::load(tune.out).nextStepLogProbabilities({ 1, 2, 3 }),
                     start.nextStepLogProbabilities({ 1, 2, 3 }));
        };
        hooks.epoch = [&](const EpochMetrics &m) { losses.push_back(m.validLoss); };
        const TrainingRunResult tuned = runTraining(tune, plain, hooks);
        QVERIFY(tuned.train.start);
        QVERIFY(tuned.replays); // checked once it ended
        QCOMPARE(int(losses.size()), 3);
        const Model best = Model::load(tuned.bestPath);
        QCOMPARE(best.spec().representation, Representation::Notes);
        QCOMPARE(best.spec().vocabulary, start.spec().vocabulary);
        QCOMPARE(best.parameterCount(), start.parameterCount());
        const double startLoss = tuned.train.start->validLoss;
        qInfo("validation loss from %.3f: %.3f %.3f %.3f; best epoch %d", startLoss, losses[0], losses[1],
              losses[2], tuned.train.bestEpoch);
        if (tuned.train.bestEpoch == 0)
            QCOMPARE(best.nextStepLogProbabilities({ 1, 2, 3 }), start.nextStepLogProbabilities({ 1, 2, 3 }));
        else
            QVERIFY(losses[std::size_t(tuned.train.bestEpoch - 1)] < startLoss);

        tune.resume = tuned.lastPath.string();
        QVERIFY_THROWS_EXCEPTION(ModelError, loadForFineTuning(tune));
    }

    void theBeatPhaseIsAddedToAModelAndLearned()
    {
        QTemporaryDir dir;
        PlainJobContext plain;
        TrainingRunOptions base = tinyRun(dir.filePath(QStringLiteral("base.ckpt")).toStdString(), 1);
        base.data.representation = Representation::Compound;
        base.architecture = Architecture::Transformer;
        const Model start = Model::load(runTraining(base, plain).bestPath);
        QVERIFY(!start.spec().beatPhase);
        const std::vector<std::int32_t> steps = { 0, 60, 12, 20, 6, 64, 6, 20, 6, 67, 6, 25 };

        // Added at zero, the new input changes nothing until trained.
        Model grown = withBeatPhase(*std::make_unique<Model>(Model::load(base.out)));
        QVERIFY(grown.spec().beatPhase);
        QCOMPARE(grown.nextStepLogProbabilities(steps), start.nextStepLogProbabilities(steps));

        TrainingRunOptions tune = tinyRun(dir.filePath(QStringLiteral("beat.ckpt")).toStdString(), 2);
        tune.init = base.out;
        tune.beatPhase = true;
        tune.train.learningRate = 1e-2;
        const TrainingRunResult tuned = runTraining(tune, plain);
        Model last = Model::load(tuned.lastPath);
        QVERIFY(last.spec().beatPhase);
        QVERIFY(last.nextStepLogProbabilities(steps) != start.nextStepLogProbabilities(steps));
        const auto &net = dynamic_cast<nn::TransformerNetImpl &>(*nn::ModelAccess::impl(last).net);
        QVERIFY(net.phase->weight.abs().sum().item<double>() > 0); // it learned from the new input

        // Only compound Transformers read it, and they cannot learn to fill gaps with it yet.
        TrainingRunOptions lstm = tinyRun(dir.filePath(QStringLiteral("lstm.ckpt")).toStdString(), 1);
        lstm.beatPhase = true;
        QVERIFY_THROWS_EXCEPTION(ModelError, runTraining(lstm, plain));
        TrainingRunOptions fill = tinyRun(dir.filePath(QStringLiteral("fill.ckpt")).toStdString(), 1);
        fill.data.representation = Representation::Compound;
        fill.architecture = Architecture::Transformer;
        fill.beatPhase = true;
        fill.train.infilling = 0.5;
        QVERIFY_THROWS_EXCEPTION(ModelError, runTraining(fill, plain));
    }

    void theReplayCheckContinuesSeedsFromEveryFile()
    {
        // A 48-second melody of random pitches, two notes a second, as a training file.
        QTemporaryDir dir;
        Score piece;
        piece.tempoMap = TempoMap(480, { { 0, 500000 } });
        piece.timeSignatures = { { 0, 4, 4 } };
        piece.parts = { Part { "Piano", {}, 0, false } };
        std::mt19937 rng(3);
        for (int i = 0; i < 96; ++i) {
            Note note;
            note.pitch = 55 + int(rng() % 24);
            note.velocity = 80;
            note.startTick = i * 240;
            note.endTick = i * 240 + 200;
            piece.notes.push_back(note);
        }
        piece.endTick = 96 * 240;
        piece.updateSeconds();
        piece.sortEvents();
        const std::filesystem::path file = dir.filePath(QStringLiteral("melody.mid")).toStdString();
        saveScoreFile(piece, file);
        MemorizationIndex index;
        index.addFile("melody.mid", readScoreFile(file));

        Model model(ModelSpec::preset("tiny", Representation::Compound,
                                      { compoundrepr::kTimeClasses, compoundrepr::kPitchClasses,
                                        compoundrepr::kDurationClasses, compoundrepr::kVelocityClasses },
                                      Architecture::Transformer),
                    3);
        PlainJobContext context;
        const ReplayCheck check =
            checkReplays(model, { file, dir.filePath(QStringLiteral("none.mid")).toStdString() }, index,
                         kReplayThreshold, context);
        qInfo("%d of %d continuations replay; longest %zu distinct notes", check.replays, check.continuations,
              check.longestCopy);
        QCOMPARE(check.continuations, 3); // start, a third, two thirds; the missing file is passed over
        QCOMPARE(check.replays, 0); // an untrained model does not know the melody
        QVERIFY(!check.mostlyReplays());
        ReplayCheck most = check;
        most.replays = 2;
        QVERIFY(most.mostlyReplays());
    }

    void fewFilesValidateOnTheirEnds()
    {
        TrainingData data;
        data.corpus.heads = 2;
        for (const std::size_t steps : { 100, 10, 6 }) {
            data.corpus.sequences.emplace_back(2 * steps);
            for (std::size_t i = 0; i < 2 * steps; ++i)
                data.corpus.sequences.back()[i] = std::int32_t(i);
            data.corpus.files.emplace_back("piece" + std::to_string(steps) + ".mid");
        }
        holdOutFileEnds(data, 0.2, 5);
        QCOMPARE(data.split.train, std::vector<std::size_t>({ 0, 1, 2 }));
        QCOMPARE(data.split.validation, std::vector<std::size_t>({ 3, 4 }));
        QCOMPARE(data.corpus.stepCount(0), std::size_t(80));
        QCOMPARE(data.corpus.stepCount(3), std::size_t(20));
        QCOMPARE(data.corpus.sequences[3].front(), 160); // the last fifth, as it was
        QCOMPARE(data.corpus.stepCount(1), std::size_t(5));
        QCOMPARE(data.corpus.stepCount(4), std::size_t(5));
        QCOMPARE(data.corpus.stepCount(2), std::size_t(6)); // too short to split: trains whole
        QCOMPARE(data.corpus.files[4], data.corpus.files[1]);

        TrainingData tooShort;
        tooShort.corpus.heads = 1;
        tooShort.corpus.sequences = { std::vector<std::int32_t>(9) };
        tooShort.corpus.files = { "short.mid" };
        QVERIFY_THROWS_EXCEPTION(ModelError, holdOutFileEnds(tooShort, 0.2, 5));
    }
};

QTEST_GUILESS_MAIN(TestTrainingRun)
#include "tst_trainingrun.moc"
