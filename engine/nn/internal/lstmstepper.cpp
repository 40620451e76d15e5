// SPDX-License-Identifier: GPL-3.0-or-later
// One-step LSTM inference over preallocated buffers.
#include "nn/internal/lstmstepper.h"

#include "core/error.h"

#include <cstring>

namespace continuo::nn {

namespace {
torch::Tensor frozenCopy(const torch::Tensor &t)
{
    return t.detach().to(torch::kCPU, torch::kFloat).contiguous().clone();
}

/// out = bias + in W^T: a matrix-vector product for one sequence (BLAS gemv reads W row by
/// row, faster than a one-row gemm), a matrix product for a batch.
void affineInto(torch::Tensor &out, const torch::Tensor &bias, const torch::Tensor &in,
                const torch::Tensor &weights, const torch::Tensor &weightsT)
{
    if (in.size(0) == 1) {
        torch::Tensor row = out[0];
        torch::addmv_out(row, bias, weights, in[0]);
    } else {
        torch::addmm_out(out, bias, in, weightsT);
    }
}
} // namespace

LstmStepper::LstmStepper(const SequenceNetImpl &net, int64_t batch)
    : m_batch(batch), m_hidden(net.options().hiddenSize), m_embed(net.options().embedDim)
{
    if (net.options().attentionHeads > 0)
        throw ModelError("Step-by-step generation does not support models with attention yet.");
    torch::NoGradGuard noGrad;
    const auto floats = torch::TensorOptions().dtype(torch::kFloat);
    for (const auto &embedding : net.embeddings())
        m_embeddings.push_back(frozenCopy(embedding->weight));
    for (std::size_t l = 0; l < net.layers().size(); ++l) {
        const LstmLayer &lstm = net.layers()[l];
        Layer layer;
        layer.weights = frozenCopy(torch::cat({ lstm->w_ih, lstm->w_hh }, 1));
        layer.weightsT = layer.weights.t().contiguous();
        layer.bias = frozenCopy(lstm->b_ih + lstm->b_hh);
        layer.input = torch::zeros({ batch, lstm->w_ih.size(1) + m_hidden }, floats);
        layer.gates = torch::empty({ batch, 4 * m_hidden }, floats);
        layer.c = torch::zeros({ batch, m_hidden }, floats);
        if (!net.norms().empty()) {
            layer.normWeight = frozenCopy(net.norms()[l]->weight);
            layer.normBias = frozenCopy(net.norms()[l]->bias);
        }
        m_layers.push_back(std::move(layer));
    }
    for (const auto &head : net.heads()) {
        m_headWeights.push_back(frozenCopy(head->weight));
        m_headWeightsT.push_back(m_headWeights.back().t().contiguous());
        m_headBiases.push_back(frozenCopy(head->bias));
        m_logits.push_back(torch::empty({ batch, head->weight.size(0) }, floats));
    }
    m_output = torch::empty({ batch, m_hidden }, floats);
}

void LstmStepper::resetState()
{
    for (Layer &layer : m_layers) {
        layer.input.narrow(1, layer.input.size(1) - m_hidden, m_hidden).zero_();
        layer.c.zero_();
    }
}

void LstmStepper::setState(const LstmState &state)
{
    torch::NoGradGuard noGrad;
    const auto &[h, c] = state;
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        Layer &layer = m_layers[l];
        layer.input.narrow(1, layer.input.size(1) - m_hidden, m_hidden).copy_(h[int64_t(l)]);
        layer.c.copy_(c[int64_t(l)]);
    }
}

const std::vector<torch::Tensor> &LstmStepper::step(const std::int64_t *tokens)
{
    torch::NoGradGuard noGrad;
    const std::size_t heads = m_embeddings.size();
    // Layer 0's input: the sum of the heads' embeddings.
    Layer &first = m_layers.front();
    float *input = first.input.data_ptr<float>();
    const int64_t firstWidth = first.input.size(1);
    for (int64_t b = 0; b < m_batch; ++b) {
        float *row = input + b * firstWidth;
        for (std::size_t h = 0; h < heads; ++h) {
            const float *e =
                m_embeddings[h].data_ptr<float>() + tokens[b * int64_t(heads) + int64_t(h)] * m_embed;
            if (h == 0)
                std::memcpy(row, e, std::size_t(m_embed) * sizeof(float));
            else
                for (int64_t j = 0; j < m_embed; ++j)
                    row[j] += e[j];
        }
    }
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        Layer &layer = m_layers[l];
        affineInto(layer.gates, layer.bias, layer.input, layer.weights, layer.weightsT);
        torch::Tensor split = layer.gates.view({ m_batch, 4, m_hidden });
        split.narrow(1, 0, 2).sigmoid_();
        split.select(1, 2).tanh_();
        split.select(1, 3).sigmoid_();
        // c = f * c + i * g; h = o * tanh(c), written where the next step reads h.
        const int64_t width = layer.input.size(1);
        const float *gates = layer.gates.data_ptr<float>();
        float *c = layer.c.data_ptr<float>();
        float *h = layer.input.data_ptr<float>() + (width - m_hidden);
        for (int64_t b = 0; b < m_batch; ++b) {
            const float *g = gates + b * 4 * m_hidden;
            float *cb = c + b * m_hidden, *hb = h + b * width;
            for (int64_t j = 0; j < m_hidden; ++j) {
                cb[j] = g[m_hidden + j] * cb[j] + g[j] * g[2 * m_hidden + j];
                hb[j] = g[3 * m_hidden + j] * std::tanh(cb[j]);
            }
        }
        // The layer's output feeds the next layer (or the heads), normalised when the net does.
        const torch::Tensor hView = layer.input.narrow(1, width - m_hidden, m_hidden);
        torch::Tensor next =
            l + 1 < m_layers.size() ? m_layers[l + 1].input.narrow(1, 0, m_hidden) : m_output;
        if (layer.normWeight.defined())
            next.copy_(torch::layer_norm(hView, { m_hidden }, layer.normWeight, layer.normBias));
        else
            next.copy_(hView);
    }
    for (std::size_t h = 0; h < m_logits.size(); ++h)
        affineInto(m_logits[h], m_headBiases[h], m_output, m_headWeights[h], m_headWeightsT[h]);
    return m_logits;
}

} // namespace continuo::nn
