// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the training loop: learning, metrics, reproducibility, cancel, early stopping, errors.
#include "core/error.h"
#include "jobs/jobrunner.h"
#include "repr/infilling.h"
#include "train/evaluation.h"
#include "train/metricsjson.h"
#include "train/trainer.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace continuo;
using namespace std::chrono_literals;

namespace {
/// Ten files of 300 steps where each token is followed by the next one modulo 16 (and, for three
/// heads, two more targets that follow the same rule): easy to learn, impossible to guess.
TokenCorpus cyclicCorpus(int heads = 1)
{
    TokenCorpus corpus;
    corpus.heads = heads;
    for (int f = 0; f < 10; ++f) {
        std::vector<std::int32_t> steps;
        for (int i = 0; i < 300; ++i)
            for (int h = 0; h < heads; ++h)
                steps.push_back((f + i + h) % 16);
        corpus.sequences.push_back(steps);
        corpus.files.emplace_back("cyclic" + std::to_string(f));
    }
    return corpus;
}

TrainOptions quickOptions()
{
    TrainOptions options;
    options.epochs = 3;
    options.batchSize = 8;
    options.sequenceLength = 32;
    options.stepsPerEpoch = 25;
    options.learningRate = 1e-2;
    options.device = "cpu";
    return options;
}
} // namespace

class TestTrainer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void learnsAndReportsEveryEpoch()
    {
        const TokenCorpus corpus = cyclicCorpus();
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        PlainJobContext context;
        int callbacks = 0;
        const TrainResult result =
            trainModel(model, corpus, splitByFile(10, 0.2, 0), quickOptions(), {}, context,
                       [&](const Model &, const EpochMetrics &m) { callbacks += m.epoch; });
        QCOMPARE(int(result.history.size()), 3);
        QCOMPARE(callbacks, 1 + 2 + 3);
        const EpochMetrics &first = result.history.front(), &last = result.history.back();
        qInfo("valid loss %.3f -> %.3f, top-1 %.3f, top-5 %.3f, %.0f tokens/s", first.validLoss,
              last.validLoss, last.heads[0].top1, last.heads[0].top5, last.tokensPerSec);
        QVERIFY(std::isfinite(last.validLoss));
        QVERIFY(last.validLoss < first.validLoss);
        QVERIFY(last.heads[0].top1 > 0.9);
        QVERIFY(last.heads[0].top5 >= last.heads[0].top1);
        QCOMPARE(last.perplexity, std::exp(last.validLoss));
        QCOMPARE(result.device, std::string("cpu"));
        QVERIFY(!result.cancelled && !result.stoppedEarly);
        QCOMPARE(result.bestEpoch, 3);
        // The trained model predicts the rule: after 5 comes 6.
        const auto next = model.nextStepLogProbabilities({ 3, 4, 5 });
        QCOMPARE(int(std::max_element(next[0].begin(), next[0].end()) - next[0].begin()), 6);
    }

    void sameSeedSameRun()
    {
        const TokenCorpus corpus = cyclicCorpus();
        PlainJobContext context;
        std::vector<double> losses[2];
        for (auto &run : losses) {
            Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }), 1);
            for (const EpochMetrics &m :
                 trainModel(model, corpus, splitByFile(10, 0.2, 0), quickOptions(), {}, context).history)
                run.push_back(m.trainLoss);
        }
        QCOMPARE(losses[0], losses[1]);
    }

    void threeHeadsTrain()
    {
        const TokenCorpus corpus = cyclicCorpus(3);
        ModelSpec spec = ModelSpec::preset("tiny", Representation::Notes, { 17, 16, 16 });
        for (int i = 0; i < 16; ++i)
            spec.vocabulary.push_back(std::to_string(60 + i));
        Model model(spec);
        PlainJobContext context;
        const TrainResult result =
            trainModel(model, corpus, splitByFile(10, 0.2, 0), quickOptions(), {}, context);
        QCOMPARE(int(result.history.back().heads.size()), 3);
        QVERIFY(result.history.back().validLoss < result.history.front().validLoss);
    }

    void cancelEndsTheRunQuickly()
    {
        const TokenCorpus corpus = cyclicCorpus();
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        TrainOptions options = quickOptions();
        options.epochs = 1000;
        JobRunner runner;
        std::atomic<int> outcomes { 0 }, progressReports { 0 };
        std::atomic<bool> cancelled { false };
        JobCallbacks<TrainResult> callbacks;
        callbacks.progress = [&](std::int64_t, std::int64_t, const std::string &) { ++progressReports; };
        callbacks.cancelled = [&] { cancelled = true, ++outcomes; };
        callbacks.finished = [&](TrainResult) { ++outcomes; };
        callbacks.failed = [&](const JobFailure &) { ++outcomes; };
        runner.start<TrainResult>(
            [&](JobContext &context) {
                return trainModel(model, corpus, splitByFile(10, 0.2, 0), options, {}, context);
            },
            callbacks);
        QTRY_VERIFY_WITH_TIMEOUT(progressReports.load() > 0, 10000);
        const auto asked = std::chrono::steady_clock::now();
        runner.cancel();
        QVERIFY(runner.waitFor(1s));
        qInfo("cancelled within %lld ms", qlonglong(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                        std::chrono::steady_clock::now() - asked)
                                                        .count()));
        QVERIFY(cancelled.load());
        QCOMPARE(outcomes.load(), 1);
    }

    void stopsEarlyWhenValidationStopsImproving()
    {
        const TokenCorpus corpus = cyclicCorpus();
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        TrainOptions options = quickOptions();
        options.epochs = 50;
        options.learningRate = 0.0; // nothing improves after the first epoch
        options.patience = 2;
        PlainJobContext context;
        const TrainResult result = trainModel(model, corpus, splitByFile(10, 0.2, 0), options, {}, context);
        QVERIFY(result.stoppedEarly);
        QCOMPARE(int(result.history.size()), 3);
    }

    void resumeGoesOnAsIfUninterrupted_data()
    {
        QTest::addColumn<int>("architecture");
        QTest::newRow("lstm") << int(Architecture::Lstm);
        QTest::newRow("transformer") << int(Architecture::Transformer);
    }

    void resumeGoesOnAsIfUninterrupted()
    {
        QFETCH(int, architecture);
        const ModelSpec spec =
            ModelSpec::preset("tiny", Representation::Performance, { 16 }, Architecture(architecture));
        const TokenCorpus corpus = cyclicCorpus();
        const FileSplit split = splitByFile(10, 0.2, 0);
        PlainJobContext context;
        TrainOptions options = quickOptions();
        options.learningRateDecay = 0.5;
        Model straight(spec, 3);
        const TrainResult whole = trainModel(straight, corpus, split, options, {}, context);

        // The same run, stopped after the first epoch, saved and resumed from the file.
        QTemporaryDir dir;
        const std::filesystem::path last = dir.filePath("run.last.ckpt").toStdString();
        const std::filesystem::path withoutState = dir.filePath("run.ckpt").toStdString();
        TrainOptions firstEpoch = options;
        firstEpoch.epochs = 1;
        Model interrupted(spec, 3);
        const TrainResult first = trainModel(interrupted, corpus, split, firstEpoch, {}, context);
        QVERIFY(interrupted.hasTrainingState());
        ModelMetadata metadata;
        metadata.metricsJson = metricsHistoryJson(first.history);
        interrupted.save(last, metadata, Model::TrainingState::Keep);
        interrupted.save(withoutState, metadata);

        ModelMetadata read;
        Model resumed = Model::load(last, &read);
        QVERIFY(resumed.hasTrainingState());
        const std::vector<EpochMetrics> history = parseMetricsHistory(read.metricsJson);
        const TrainResult rest = trainModel(resumed, corpus, split, options, {}, context, {}, history);
        QCOMPARE(int(rest.history.size()), 3);
        for (int e = 0; e < 3; ++e) {
            QCOMPARE(rest.history[std::size_t(e)].epoch, e + 1);
            QCOMPARE(rest.history[std::size_t(e)].learningRate, whole.history[std::size_t(e)].learningRate);
            QVERIFY(std::abs(rest.history[std::size_t(e)].validLoss - whole.history[std::size_t(e)].validLoss)
                    < 1e-4);
        }
        QCOMPARE(rest.bestEpoch, whole.bestEpoch);

        // Without the optimizer's state (Adam's moments start again) the run goes differently.
        Model fresh = Model::load(withoutState);
        QVERIFY(!fresh.hasTrainingState());
        const TrainResult restart = trainModel(fresh, corpus, split, options, {}, context, {}, history);
        qInfo("epoch 3 valid loss: uninterrupted %.5f, resumed %.5f, resumed without optimizer state %.5f",
              whole.history[2].validLoss, rest.history[2].validLoss, restart.history[2].validLoss);
        QVERIFY(std::abs(restart.history[2].validLoss - whole.history[2].validLoss) > 1e-4);
    }

    void baselineTrainsThroughTheSameLoop()
    {
        // The next token is a function of the last one: a logistic regression can learn it all.
        const TokenCorpus corpus = cyclicCorpus();
        Model model(ModelSpec::preset("baseline", Representation::Performance, { 16 }));
        PlainJobContext context;
        const TrainResult result =
            trainModel(model, corpus, splitByFile(10, 0.2, 0), quickOptions(), {}, context);
        const EpochMetrics &last = result.history.back();
        qInfo("baseline: valid loss %.3f -> %.3f, top-1 %.3f", result.history.front().validLoss,
              last.validLoss, last.heads[0].top1);
        QVERIFY(last.heads[0].top1 > 0.99);
        const auto next = model.nextStepLogProbabilities({ 9, 10 });
        QCOMPARE(int(std::max_element(next[0].begin(), next[0].end()) - next[0].begin()), 11);
        const ModelEvaluation evaluated = evaluateFiles(model, corpus, { 0, 1 }, 32, "cpu", context);
        QVERIFY(evaluated.network.heads[0].top1 > 0.99);
    }

    void classWeightsAndSmoothingTrain()
    {
        const TokenCorpus corpus = cyclicCorpus();
        PlainJobContext context;
        TrainOptions options = quickOptions();
        options.classWeights = true;
        options.labelSmoothing = 0.1;
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        // Tokens 0..15 are NOTE_ON 0..15 to the performance transposer: pitches with neighbours.
        const TrainResult result =
            trainModel(model, corpus, splitByFile(10, 0.2, 0), options, transposePerformance, context);
        QVERIFY(result.history.back().validLoss < result.history.front().validLoss);
        QVERIFY(result.history.back().heads[0].top1 > 0.9);
        options.labelSmoothing = 0.7;
        QVERIFY_THROWS_EXCEPTION(ModelError, trainModel(model, corpus, splitByFile(10, 0.2, 0), options,
                                                        transposePerformance, context));
    }

    void infillingTrainsCompoundModelsOnly()
    {
        // Ten files of 300 notes: eighths climbing a scale over a held fifth every half bar.
        TokenCorpus corpus;
        corpus.heads = compoundrepr::kHeads;
        for (int f = 0; f < 10; ++f) {
            std::vector<InfillingNote> notes;
            for (int i = 0; i < 200; ++i) {
                notes.push_back({ i * 6, 6, 60 + (f + i) % 12, 20 });
                if (i % 4 == 0)
                    for (const int low : { 48, 55 })
                        notes.push_back({ i * 6, 24, low, 16 });
            }
            corpus.sequences.push_back(flattenCompoundSteps(compoundStepsFrom(notes, 0)));
            corpus.files.emplace_back("scale" + std::to_string(f));
        }
        using namespace compoundrepr;
        Model model(ModelSpec::preset("tiny", Representation::Compound,
                                      { kTimeClasses, kPitchClasses, kDurationClasses, kVelocityClasses },
                                      Architecture::Transformer));
        TrainOptions options = quickOptions();
        options.epochs = 2;
        options.learningRate = 3e-3;
        options.infilling = 0.5;
        PlainJobContext context;
        const TrainResult result =
            trainModel(model, corpus, splitByFile(10, 0.2, 0), options, transposeCompound, context);
        QCOMPARE(int(result.history.size()), 2);
        QVERIFY(std::isfinite(result.history.back().trainLoss));
        QVERIFY(result.history.back().validLoss < result.history.front().validLoss);
        Model performance(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        QVERIFY_THROWS_EXCEPTION(ModelError, trainModel(performance, cyclicCorpus(), splitByFile(10, 0.2, 0),
                                                        options, transposePerformance, context));
    }

    void metricsHistoryRoundTrips()
    {
        EpochMetrics m;
        m.epoch = 4;
        m.trainLoss = 1.5;
        m.validLoss = 1.75;
        m.perplexity = std::exp(1.75);
        m.heads = { { 0.25, 0.5 }, { 0.75, 1.0 } };
        m.tokensPerSec = 1234.5;
        m.seconds = 6.5;
        m.learningRate = 0.001;
        m.isBest = true;
        const std::vector<EpochMetrics> back = parseMetricsHistory(metricsHistoryJson({ m, m }));
        QCOMPARE(int(back.size()), 2);
        QCOMPARE(back[1].epoch, 4);
        QCOMPARE(back[1].validLoss, 1.75);
        QCOMPARE(back[1].heads[1].top5, 1.0);
        QCOMPARE(back[1].learningRate, 0.001);
        QVERIFY(back[1].isBest);
        QCOMPARE(epochMetricsJson(back[0]), epochMetricsJson(m));
        QVERIFY_THROWS_EXCEPTION(ModelError, parseMetricsHistory(R"([{"epoch":1}])"));
        QVERIFY_THROWS_EXCEPTION(ModelError, parseMetricsHistory("not json"));
    }

    void clearErrors()
    {
        const TokenCorpus corpus = cyclicCorpus();
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        PlainJobContext context;
        TrainOptions options = quickOptions();
        options.sequenceLength = 1000; // longer than every file
        QVERIFY_THROWS_EXCEPTION(ModelError,
                                 trainModel(model, corpus, splitByFile(10, 0.2, 0), options, {}, context));
        QVERIFY_THROWS_EXCEPTION(ModelError, optimizerFromName("lbfgs"));
        QCOMPARE(optimizerFromName(optimizerName(Optimizer::RmsProp)), Optimizer::RmsProp);
        QVERIFY_THROWS_EXCEPTION(ModelError, trainModel(model, cyclicCorpus(3), splitByFile(10, 0.2, 0),
                                                        quickOptions(), {}, context));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
