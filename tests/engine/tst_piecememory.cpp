// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for piece memory (the match model over the piece being read) and whole-file evaluation.
#include "core/error.h"
#include "nn/model.h"
#include "nn/piecememory.h"
#include "train/evaluation.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace continuo;

namespace {

PieceMatcher matcherOf(const std::vector<std::int32_t> &tokens)
{
    PieceMatcher matcher(1);
    for (const std::int32_t token : tokens)
        matcher.append(&token);
    return matcher;
}

/// Files that each play a random phrase of 40 one-head steps (tokens 0..15) four times.
TokenCorpus repeatingCorpus(int files)
{
    TokenCorpus corpus;
    std::mt19937 rng(7);
    for (int f = 0; f < files; ++f) {
        std::vector<std::int32_t> phrase(40);
        for (std::int32_t &token : phrase)
            token = std::int32_t(rng() % 16);
        std::vector<std::int32_t> steps;
        for (int r = 0; r < 4; ++r)
            steps.insert(steps.end(), phrase.begin(), phrase.end());
        corpus.sequences.push_back(steps);
        corpus.files.emplace_back("phrase" + std::to_string(f));
    }
    return corpus;
}

} // namespace

class TestPieceMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matcherPredictsWhatFollowedTheLongestEarlierRun()
    {
        PieceMatcher matcher = matcherOf({ 1, 2, 3, 4, 1, 2, 3 });
        PieceMatcher::Prediction prediction = matcher.predict();
        QCOMPARE(prediction.length, 3);
        QCOMPARE(prediction.step[0], 4);
        const std::int32_t fresh = 9;
        matcher.append(&fresh);
        QCOMPARE(matcher.predict().length, 0);
        // "5" was followed by 6, then by 7: the latest occurrence wins.
        const PieceMatcher twice = matcherOf({ 5, 6, 5, 7, 5 });
        prediction = twice.predict();
        QCOMPARE(prediction.length, 1);
        QCOMPARE(prediction.step[0], 7);
        QCOMPARE(matcherOf({}).predict().length, 0);
    }

    void matcherMatchesWholeSteps()
    {
        PieceMatcher matcher(2);
        for (const std::vector<std::int32_t> &step :
             { std::vector<std::int32_t> { 1, 1 }, { 2, 2 }, { 1, 3 } })
            matcher.append(step.data());
        QCOMPARE(matcher.predict().length, 0); // (1, 3) never came before, though 1 did
        const std::int32_t again[] = { 1, 1 };
        matcher.append(again);
        QCOMPARE(matcher.predict().length, 1);
        QCOMPARE(matcher.predict().step[1], 2);
    }

    void matchesAreCappedAndFollowLongRepeats()
    {
        std::vector<std::int32_t> tokens;
        for (int r = 0; r < 3; ++r)
            for (int i = 0; i < 50; ++i)
                tokens.push_back(i);
        const PieceMatcher matcher = matcherOf(tokens);
        QCOMPARE(matcher.predict().length, PieceMatcher::kMaxMatch);
        QCOMPARE(matcher.predict().step[0], 0);
    }

    void fitTrustsLongRunsOfRepeatingMusic()
    {
        const TokenCorpus corpus = repeatingCorpus(6);
        const PieceMemory memory = PieceMemory::fit(corpus, { 0, 1, 2, 3, 4, 5 });
        QCOMPARE(int(memory.trust.size()), 1);
        QCOMPARE(int(memory.trust[0].size()), PieceMatcher::kMaxMatch + 1);
        QCOMPARE(memory.trust[0][0], 0.0);
        qInfo("trust after 1, 2, 8 and 32 matched steps: %.3f %.3f %.3f %.3f", memory.trust[0][1],
              memory.trust[0][2], memory.trust[0][8], memory.trust[0][32]);
        QVERIFY(memory.trust[0][32] > 0.95);
        QVERIFY(memory.trust[0][1] < memory.trust[0][32]);
    }

    void mixingKeepsADistribution()
    {
        PieceMemory memory;
        memory.trust = { std::vector<double>(PieceMatcher::kMaxMatch + 1, 0.75) };
        memory.trust[0][0] = 0;
        const PieceMatcher matcher = matcherOf({ 3, 4, 3 });
        std::vector<float> logProbabilities(10, float(std::log(0.1)));
        memory.mix(0, matcher.predict(), logProbabilities.data(), 10);
        double sum = 0;
        for (const float lp : logProbabilities)
            sum += std::exp(double(lp));
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
        QVERIFY(std::abs(std::exp(double(logProbabilities[4])) - (0.75 + 0.25 * 0.1)) < 1e-5);
        std::vector<float> half(logProbabilities.size(), float(std::log(0.1)));
        memory.mix(0, matcher.predict(), half.data(), 10, 0.0);
        QCOMPARE(half[4], float(std::log(0.1))); // strength 0: the network alone
    }

    void memoryTravelsInTheCheckpoint()
    {
        QTemporaryDir dir;
        const TokenCorpus corpus = repeatingCorpus(3);
        Model model(ModelSpec::preset("tiny", "performance", { 16 }));
        QVERIFY(model.pieceMemory().empty());
        model.setPieceMemory(PieceMemory::fit(corpus, { 0, 1, 2 }));
        const std::string path = dir.filePath("m.ckpt").toStdString();
        model.save(path);
        const Model loaded = Model::load(path);
        QCOMPARE(loaded.pieceMemory().trust, model.pieceMemory().trust);
        PieceMemory wrong = model.pieceMemory();
        wrong.trust.push_back(wrong.trust[0]);
        QVERIFY_THROWS_EXCEPTION(ModelError, model.setPieceMemory(wrong));
        wrong.trust.pop_back();
        wrong.trust[0][3] = 1.0;
        QVERIFY_THROWS_EXCEPTION(ModelError, model.setPieceMemory(wrong));
    }

    void wholeFileEvaluationCarriesTheStateAcrossChunks()
    {
        const TokenCorpus corpus = repeatingCorpus(3);
        PlainJobContext context;
        for (const char *preset : { "tiny", "baseline" }) {
            Model model(ModelSpec::preset(preset, "performance", { 16 }), 3);
            const ModelEvaluation small = evaluateFiles(model, corpus, { 0, 1, 2 }, 7, "cpu", context);
            const ModelEvaluation whole = evaluateFiles(model, corpus, { 0, 1, 2 }, 1000, "cpu", context);
            QCOMPARE(small.steps, std::size_t(3 * 159));
            QCOMPARE(small.files, std::size_t(3));
            QVERIFY2(std::abs(small.network.validLoss - whole.network.validLoss) < 1e-5, preset);
            QCOMPARE(small.network.heads[0].top1, whole.network.heads[0].top1);
            QVERIFY(!small.withMemory);
        }
    }

    void pieceMemoryPredictsTheRepeats()
    {
        const TokenCorpus corpus = repeatingCorpus(8);
        PlainJobContext context;
        Model model(ModelSpec::preset("tiny", "performance", { 16 }), 3);
        model.setPieceMemory(PieceMemory::fit(corpus, { 0, 1, 2, 3, 4, 5 }));
        const ModelEvaluation e = evaluateFiles(model, corpus, { 6, 7 }, 64, "cpu", context);
        QVERIFY(e.withMemory);
        qInfo("untrained network: loss %.3f, top-1 %.3f; with piece memory: loss %.3f, top-1 %.3f",
              e.network.validLoss, e.network.heads[0].top1, e.withMemory->validLoss,
              e.withMemory->heads[0].top1);
        // Three of the four passes of each phrase can be copied.
        QVERIFY(e.withMemory->heads[0].top1 > 0.7);
        QVERIFY(e.withMemory->validLoss < e.network.validLoss - 1.0);
        QVERIFY(e.network.heads[0].top1 < 0.3);
    }

    void evaluationRejectsAnotherRepresentation()
    {
        TokenCorpus corpus = repeatingCorpus(1);
        corpus.heads = 3;
        PlainJobContext context;
        Model model(ModelSpec::preset("tiny", "performance", { 16 }));
        QVERIFY_THROWS_EXCEPTION(ModelError, evaluateFiles(model, corpus, { 0 }, 8, "cpu", context));
    }
};

QTEST_GUILESS_MAIN(TestPieceMemory)
#include "tst_piecememory.moc"
