// SPDX-License-Identifier: GPL-3.0-or-later
// Fused LSTM layer: forward and backward with few large matrix products and tight element loops.
#include "nn/internal/fusedlstm.h"

#include <cmath>

namespace continuo::nn {

namespace {

using torch::Tensor;
using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class FusedLstmFunction : public torch::autograd::Function<FusedLstmFunction>
{
public:
    static variable_list forward(AutogradContext *ctx, Tensor x, Tensor h0, Tensor c0, Tensor wih, Tensor whh,
                                 Tensor bias)
    {
        const int64_t steps = x.size(0), batch = x.size(1), hidden = h0.size(1);
        // gates[t] starts as the pre-activation and is overwritten with the activations.
        Tensor gates = torch::addmm(bias, x.reshape({ steps * batch, x.size(2) }), wih.t())
                           .view({ steps, batch, 4 * hidden });
        Tensor y = torch::empty({ steps, batch, hidden }, x.options());
        Tensor cells = torch::empty({ steps, batch, hidden }, x.options());
        Tensor h = h0.contiguous(), c = c0.contiguous();
        const Tensor whhT = whh.t();
        for (int64_t t = 0; t < steps; ++t) {
            Tensor g = gates[t];
            g.addmm_(h, whhT);
            // Activations with ATen's vectorized kernels (the rows are [i f g o], each H wide).
            Tensor split = g.view({ batch, 4, hidden });
            split.narrow(1, 0, 2).sigmoid_();
            split.select(1, 2).tanh_();
            split.select(1, 3).sigmoid_();
            const float *gp = g.data_ptr<float>();
            const float *cPrev = c.data_ptr<float>();
            float *cOut = cells[t].data_ptr<float>();
            for (int64_t b = 0; b < batch; ++b) {
                const float *row = gp + b * 4 * hidden;
                for (int64_t j = 0; j < hidden; ++j)
                    cOut[b * hidden + j] =
                        row[hidden + j] * cPrev[b * hidden + j] + row[j] * row[2 * hidden + j];
            }
            Tensor hOut = y[t];
            torch::tanh_out(hOut, cells[t]);
            hOut.mul_(split.select(1, 3));
            h = hOut;
            c = cells[t];
        }
        // The output y goes through save_for_backward, which holds outputs weakly: in saved_data
        // it would form a cycle (y -> this node -> y) and leak every step's activations.
        ctx->save_for_backward({ x, h0, c0, wih, whh, y });
        ctx->saved_data["gates"] = gates; // intermediates without history: no cycle
        ctx->saved_data["cells"] = cells;
        return { y, h.clone(), c.clone() };
    }

    static variable_list backward(AutogradContext *ctx, variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const Tensor &x = saved[0], &h0 = saved[1], &c0 = saved[2], &wih = saved[3], &whh = saved[4],
                     &y = saved[5];
        const Tensor gates = ctx->saved_data["gates"].toTensor();
        const Tensor cells = ctx->saved_data["cells"].toTensor();
        const int64_t steps = x.size(0), batch = x.size(1), hidden = h0.size(1);
        const Tensor dy = grads[0].defined() ? grads[0].contiguous() : torch::zeros_like(y);
        Tensor dhNext = grads[1].defined() ? grads[1].contiguous().clone() : torch::zeros_like(h0);
        Tensor dcNext = grads[2].defined() ? grads[2].contiguous().clone() : torch::zeros_like(c0);
        Tensor dGates = torch::empty_like(gates);
        const Tensor tanhCells = torch::tanh(cells); // all steps in one vectorized call

        for (int64_t t = steps - 1; t >= 0; --t) {
            const float *act = gates[t].data_ptr<float>();
            const float *tanhCell = tanhCells[t].data_ptr<float>();
            const float *cPrev = (t > 0 ? cells[t - 1] : c0.contiguous()).data_ptr<float>();
            const float *dyT = dy[t].data_ptr<float>();
            const float *dh = dhNext.data_ptr<float>();
            float *dc = dcNext.data_ptr<float>();
            float *dg = dGates[t].data_ptr<float>();
            for (int64_t b = 0; b < batch; ++b) {
                const float *a = act + b * 4 * hidden;
                float *d = dg + b * 4 * hidden;
                for (int64_t j = 0; j < hidden; ++j) {
                    const int64_t k = b * hidden + j;
                    const float i = a[j], f = a[hidden + j], g = a[2 * hidden + j], o = a[3 * hidden + j];
                    const float tc = tanhCell[k];
                    const float dhv = dyT[k] + dh[k];
                    const float dcv = dc[k] + dhv * o * (1.0f - tc * tc);
                    d[j] = dcv * g * i * (1.0f - i);
                    d[hidden + j] = dcv * cPrev[k] * f * (1.0f - f);
                    d[2 * hidden + j] = dcv * i * (1.0f - g * g);
                    d[3 * hidden + j] = dhv * tc * o * (1.0f - o);
                    dc[k] = dcv * f;
                }
            }
            dhNext = torch::mm(dGates[t], whh);
        }
        const Tensor flatGrads = dGates.view({ steps * batch, 4 * hidden });
        const Tensor previousH =
            torch::cat({ h0.unsqueeze(0), y.narrow(0, 0, steps - 1) }, 0).view({ steps * batch, hidden });
        const Tensor dWhh = torch::mm(flatGrads.t(), previousH);
        const Tensor dWih = torch::mm(flatGrads.t(), x.reshape({ steps * batch, x.size(2) }));
        const Tensor dBias = flatGrads.sum(0);
        const Tensor dx = torch::mm(flatGrads, wih).view(x.sizes());
        return { dx, dhNext, dcNext, dWih, dWhh, dBias };
    }
};

} // namespace

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor>
fusedLstm(const torch::Tensor &x, const torch::Tensor &h0, const torch::Tensor &c0, const torch::Tensor &wih,
          const torch::Tensor &whh, const torch::Tensor &bias)
{
    auto outputs = FusedLstmFunction::apply(x.contiguous(), h0, c0, wih, whh, bias);
    return { outputs[0], outputs[1], outputs[2] };
}

} // namespace continuo::nn
