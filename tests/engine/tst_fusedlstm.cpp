// SPDX-License-Identifier: GPL-3.0-or-later
// The fused LSTM layer against LibTorch's own LSTM: same outputs, same gradients.
#include "nn/internal/fusedlstm.h"
#include "nn/internal/sequencenet.h"

#include <QtTest>

using namespace continuo;

namespace {
bool close(const torch::Tensor &a, const torch::Tensor &b, double tolerance = 1e-5)
{
    return a.sizes() == b.sizes() && (a - b).abs().max().item<double>() < tolerance;
}
} // namespace

class TestFusedLstm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesLibTorchForwardAndBackward()
    {
        torch::manual_seed(3);
        const int64_t steps = 7, batch = 3, input = 5, hidden = 4;
        const auto leaf = [](torch::Tensor t) { return t.requires_grad_(true); };
        auto x = leaf(torch::randn({ steps, batch, input }));
        auto h0 = leaf(torch::randn({ batch, hidden }));
        auto c0 = leaf(torch::randn({ batch, hidden }));
        auto wih = leaf(torch::randn({ 4 * hidden, input }) * 0.5);
        auto whh = leaf(torch::randn({ 4 * hidden, hidden }) * 0.5);
        auto bih = leaf(torch::randn({ 4 * hidden }) * 0.5);
        auto bhh = leaf(torch::randn({ 4 * hidden }) * 0.5);
        // Random weights on each output, so every gradient path is exercised.
        const auto wy = torch::randn({ steps, batch, hidden }), wh = torch::randn({ batch, hidden }),
                   wc = torch::randn({ batch, hidden });

        auto [y, h, c] = nn::fusedLstm(x, h0, c0, wih, whh, bih + bhh);
        ((y * wy).sum() + (h * wh).sum() + (c * wc).sum()).backward();
        std::vector<torch::Tensor> ours;
        for (auto *t : { &x, &h0, &c0, &wih, &whh, &bih, &bhh }) {
            ours.push_back(t->grad().clone());
            t->mutable_grad().zero_();
        }

        auto [ry, rh, rc] = torch::lstm(x, { h0.unsqueeze(0), c0.unsqueeze(0) }, { wih, whh, bih, bhh }, true,
                                        1, 0.0, true, false, false);
        ((ry * wy).sum() + (rh.squeeze(0) * wh).sum() + (rc.squeeze(0) * wc).sum()).backward();
        QVERIFY(close(y, ry));
        QVERIFY(close(h, rh.squeeze(0)));
        QVERIFY(close(c, rc.squeeze(0)));
        const char *names[] = { "x", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh" };
        int i = 0;
        for (auto *t : { &x, &h0, &c0, &wih, &whh, &bih, &bhh }) {
            QVERIFY2(close(ours[std::size_t(i)], t->grad(), 1e-4), names[i]);
            ++i;
        }
    }

    void outputsAreFreedAfterBackward()
    {
        // The layer once kept its output in the autograd node's saved_data, a reference cycle that
        // leaked every training step's activations (the kernel killed a long training run).
        auto x = torch::randn({ 4, 2, 3 });
        auto w = torch::randn({ 8, 3 }).requires_grad_(true);
        c10::weak_intrusive_ptr<c10::TensorImpl> weakOutput(
            c10::intrusive_ptr<c10::TensorImpl>::reclaim(nullptr));
        {
            auto [y, h, c] = nn::fusedLstm(x, torch::zeros({ 2, 2 }), torch::zeros({ 2, 2 }), w,
                                           torch::randn({ 8, 2 }), torch::zeros({ 8 }));
            weakOutput = c10::weak_intrusive_ptr<c10::TensorImpl>(y.getIntrusivePtr());
            (y.sum() + h.sum()).backward();
            QVERIFY(w.grad().defined());
        }
        QVERIFY2(weakOutput.expired(), "the LSTM output outlived everything that referenced it");
    }

    void tinyModelLearns()
    {
        // Tiny preset on a repeating pattern: the loss must fall clearly in a few dozen steps.
        torch::manual_seed(0);
        nn::SequenceNetOptions options;
        options.headSizes = { 8 };
        options.embedDim = 8;
        options.hiddenSize = 16;
        options.layers = 2;
        nn::SequenceNet net(options);
        torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-2));
        const auto pattern = torch::arange(0, 16, torch::kLong).remainder(8);
        const auto x = pattern.narrow(0, 0, 15).view({ 15, 1, 1 }).repeat({ 1, 4, 1 });
        const auto y = pattern.narrow(0, 1, 15).view({ 15, 1 }).repeat({ 1, 4 });
        double first = 0, last = 0;
        for (int step = 0; step < 60; ++step) {
            optimizer.zero_grad();
            auto loss = torch::nn::functional::cross_entropy(net->forward(x).first[0].reshape({ -1, 8 }),
                                                             y.reshape({ -1 }));
            loss.backward();
            optimizer.step();
            (step == 0 ? first : last) = loss.item<double>();
        }
        qInfo("loss %.3f -> %.3f", first, last);
        QVERIFY(std::isfinite(last));
        QVERIFY(last < first * 0.2);
    }
};

QTEST_APPLESS_MAIN(TestFusedLstm)
#include "tst_fusedlstm.moc"
