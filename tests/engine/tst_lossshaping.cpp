// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the loss shaping: inverse-frequency weights, pitch neighbours and the smoothed loss.
#include "repr/compound.h"
#include "repr/performance.h"
#include "train/internal/trainstep.h"
#include "train/lossshaping.h"

#include <QtTest>

#include <map>

using namespace continuo;

class TestLossShaping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smoothingMovesCompoundPitchesNotTimes()
    {
        using namespace compoundrepr;
        const PitchNeighbours table = intervalNeighbours(
            kPitchClasses, kHeads, pitchHeadOf(Representation::Compound), transposeCompound);
        const auto neighboursOf = [&](int pitch) {
            std::vector<std::int64_t> found;
            for (int i = 0; i < kSmoothingWidth; ++i)
                if (table.weights[std::size_t(pitch * kSmoothingWidth + i)] > 0)
                    found.push_back(table.classes[std::size_t(pitch * kSmoothingWidth + i)]);
            return found;
        };
        QCOMPARE(neighboursOf(60), std::vector<std::int64_t>({ 72, 48, 67, 53, 65, 55, 62, 58, 61, 59 }));
        QVERIFY(neighboursOf(kWait).empty());
        QCOMPARE(neighboursOf(127), std::vector<std::int64_t>({ 115, 120, 122, 125, 126 }));
        QCOMPARE(pitchHeadOf(Representation::Notes), 0);
    }

    void inverseFrequency()
    {
        TokenCorpus corpus;
        corpus.heads = 1;
        // Targets (all steps but each file's first): 1 x3, 2 x1; class 0 appears only as a first step.
        corpus.sequences = { { 0, 1, 1, 2 }, { 0, 1 }, { 3, 3 } };
        const auto weights = inverseFrequencyWeights(corpus, { 0, 1 }, { 4 });
        QCOMPARE(int(weights.size()), 1);
        QCOMPARE(weights[0][0], 1.0f); // never a target
        QCOMPARE(weights[0][1], float(4.0 / (2 * 3))); // N = 4 targets, K = 2 classes seen
        QCOMPARE(weights[0][2], float(4.0 / (2 * 1)));
        QCOMPARE(weights[0][3], 1.0f); // file 2 is not a training file
        QCOMPARE(inverseFrequencyWeights(corpus, { 0, 1 }, { 4 }, 1.5f)[0][2], 1.5f); // capped
    }

    void performancePitchNeighbours()
    {
        const PitchNeighbours table =
            intervalNeighbours(performance::kVocabularySize, 1, 0, transposePerformance);
        const auto row = [&](int token) {
            std::map<std::int64_t, float> neighbours;
            for (int i = 0; i < kSmoothingWidth; ++i)
                if (const float w = table.weights[std::size_t(token * kSmoothingWidth + i)]; w > 0)
                    neighbours[table.classes[std::size_t(token * kSmoothingWidth + i)]] = w;
            return neighbours;
        };
        const int noteOn60 = performance::kNoteOnBase + 60;
        const auto middleC = row(noteOn60);
        QCOMPARE(int(middleC.size()), 10);
        QCOMPARE(middleC.at(noteOn60 + 12), 2.0f / 12);
        QCOMPARE(middleC.at(noteOn60 - 1), 1.0f / 12);
        QVERIFY(!middleC.count(noteOn60 + 3)); // a minor third is not a neighbour
        const auto top = row(performance::kNoteOnBase + 127); // only downwards
        QCOMPARE(int(top.size()), 5);
        QCOMPARE(top.at(performance::kNoteOnBase + 115), 2.0f / 6);
        QVERIFY(row(performance::kTimeShiftBase + 10).empty()); // not a pitch
        QVERIFY(row(performance::kVelocityBase).empty());
    }

    void smoothedLossByHand()
    {
        // Three classes; class 0's neighbour is class 1 (weight 1); class 2 has none.
        train::LossShaping shaping;
        shaping.smoothing = 0.2;
        shaping.neighbours = torch::tensor({ 1, 0, 0, 0, 0, 0 }, torch::kLong).view({ 3, 2 });
        shaping.neighbourWeights = torch::tensor({ 1.0f, 0.0f, 0.5f, 0.5f, 0.0f, 0.0f }).view({ 3, 2 });
        const torch::Tensor logits = torch::tensor({ 2.0f, 1.0f, 0.0f, 0.5f, 0.5f, 3.0f }).view({ 2, 1, 3 });
        const torch::Tensor targets = torch::tensor({ 0, 2 }, torch::kLong).view({ 2, 1, 1 });
        const auto logp = torch::log_softmax(logits, -1);
        const double expected0 = -(0.8 * logp[0][0][0].item<double>() + 0.2 * logp[0][0][1].item<double>());
        const double expected1 = -logp[1][0][2].item<double>(); // no neighbours: not smoothed
        const double loss = train::stepLoss({ logits }, targets, shaping).item<double>();
        QVERIFY(std::abs(loss - (expected0 + expected1) / 2) < 1e-6);
        // Without shaping it is the plain cross-entropy.
        const double plain = train::stepLoss({ logits }, targets).item<double>();
        QVERIFY(std::abs(plain - (-logp[0][0][0].item<double>() + expected1) / 2) < 1e-6);
        // Class weights: a weighted mean over the targets.
        train::LossShaping weighted;
        weighted.classWeights = { torch::tensor({ 3.0f, 1.0f, 1.0f }) };
        const double w = train::stepLoss({ logits }, targets, weighted).item<double>();
        QVERIFY(std::abs(w - (3 * -logp[0][0][0].item<double>() + expected1) / 4) < 1e-6);
    }
};

QTEST_APPLESS_MAIN(TestLossShaping)
#include "tst_lossshaping.moc"
