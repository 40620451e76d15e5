// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for one-step inference (LstmStepper) against the full network, and for softmax sampling.
#include "core/error.h"
#include "generate/sampling.h"
#include "nn/internal/lstmstepper.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace continuo;

namespace {
nn::SequenceNet makeNet(std::vector<int64_t> heads, bool layerNorm, int64_t attention = 0)
{
    torch::manual_seed(11);
    nn::SequenceNetOptions options;
    options.headSizes = std::move(heads);
    options.embedDim = 24;
    options.hiddenSize = 40;
    options.layers = 2;
    options.layerNorm = layerNorm;
    options.attentionHeads = attention;
    nn::SequenceNet net(options);
    net->eval();
    if (layerNorm) { // non-trivial norm parameters, so that using them is checked
        torch::NoGradGuard noGrad;
        for (auto &parameter : net->parameters())
            parameter.add_(torch::rand_like(parameter) * 0.1);
    }
    return net;
}
} // namespace

class TestLstmStepper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stepsMatchTheFullNetwork_data()
    {
        QTest::addColumn<bool>("layerNorm");
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("batch"); // 1 takes the matrix-vector path, more the matrix product
        QTest::newRow("performance") << false << 1 << 1;
        QTest::newRow("performance, batch") << false << 1 << 2;
        QTest::newRow("notes, layer norm") << true << 3 << 1;
        QTest::newRow("notes, layer norm, batch") << true << 3 << 3;
    }

    void stepsMatchTheFullNetwork()
    {
        QFETCH(bool, layerNorm);
        QFETCH(int, heads);
        QFETCH(int, batch);
        const std::vector<int64_t> sizes =
            heads == 1 ? std::vector<int64_t> { 50 } : std::vector<int64_t> { 30, 13, 13 };
        nn::SequenceNet net = makeNet(sizes, layerNorm);
        const int64_t steps = 12;
        std::vector<torch::Tensor> columns;
        for (const int64_t size : sizes)
            columns.push_back(torch::randint(size, { steps, batch, 1 }, torch::kLong));
        const torch::Tensor tokens = torch::cat(columns, 2);
        torch::NoGradGuard noGrad;
        const auto [full, finalState] = net->forward(tokens);

        nn::LstmStepper stepper(*net, batch);
        const torch::Tensor rows = tokens.contiguous();
        for (int64_t t = 0; t < steps; ++t) {
            const auto &logits = stepper.step(rows[t].data_ptr<int64_t>());
            for (std::size_t h = 0; h < sizes.size(); ++h)
                QVERIFY2(torch::allclose(logits[h], full[h][t], 1e-4, 1e-5),
                         qPrintable(QString("step %1 head %2").arg(t).arg(h)));
        }
        // From a given state: the seed's final state, then one more step.
        stepper.resetState();
        stepper.setState(finalState);
        const std::vector<torch::Tensor> twoSteps =
            net->forward(tokens.narrow(0, steps - 1, 1), finalState).first;
        QVERIFY(torch::allclose(stepper.step(rows[steps - 1].data_ptr<int64_t>())[0], twoSteps[0][0], 1e-4,
                                1e-5));
    }

    void attentionIsRefused()
    {
        nn::SequenceNet net = makeNet({ 50 }, false, 2);
        QVERIFY_THROWS_EXCEPTION(ModelError, nn::LstmStepper(*net, 1));
    }

    void samplingFollowsTheSoftmax()
    {
        const float logits[4] = { 0.0f, std::log(3.0f), -std::numeric_limits<float>::infinity(), 0.0f };
        std::mt19937_64 rng(5);
        int counts[4] = {};
        for (int i = 0; i < 50000; ++i) {
            const int drawn = sampleFromLogits(logits, 4, 1.0, rng);
            QVERIFY(drawn >= 0 && drawn < 4);
            ++counts[drawn];
        }
        QCOMPARE(counts[2], 0); // masked
        QVERIFY(std::abs(counts[1] / 50000.0 - 0.6) < 0.01); // 3 / (1 + 3 + 1)
        QVERIFY(std::abs(counts[0] / 50000.0 - 0.2) < 0.01);
        // A low temperature makes the likeliest class (nearly) certain.
        int likeliest = 0;
        for (int i = 0; i < 1000; ++i)
            likeliest += sampleFromLogits(logits, 4, 0.05, rng) == 1;
        QVERIFY(likeliest > 990);
        // The same seed gives the same draws; everything masked gives -1.
        std::mt19937_64 a(9), b(9);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(sampleFromLogits(logits, 4, 1.0, a), sampleFromLogits(logits, 4, 1.0, b));
        const float none[2] = { -std::numeric_limits<float>::infinity(),
                                -std::numeric_limits<float>::infinity() };
        QCOMPARE(sampleFromLogits(none, 2, 1.0, rng), -1);
    }
};

QTEST_APPLESS_MAIN(TestLstmStepper)
#include "tst_lstmstepper.moc"
