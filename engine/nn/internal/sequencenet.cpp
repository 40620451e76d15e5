// SPDX-License-Identifier: GPL-3.0-or-later
// LSTM layer and sequence model modules.
#include "nn/internal/sequencenet.h"

#include "nn/internal/fusedlstm.h"

#include <cmath>
#include <limits>
#include <string>

namespace continuo::nn {

LstmLayerImpl::LstmLayerImpl(int64_t inputSize, int64_t hiddenSize) : m_hiddenSize(hiddenSize)
{
    const double bound = 1.0 / std::sqrt(double(hiddenSize));
    const auto uniform = [bound](std::vector<int64_t> shape) {
        return torch::empty(shape).uniform_(-bound, bound);
    };
    w_ih = register_parameter("w_ih", uniform({ 4 * hiddenSize, inputSize }));
    w_hh = register_parameter("w_hh", uniform({ 4 * hiddenSize, hiddenSize }));
    b_ih = register_parameter("b_ih", uniform({ 4 * hiddenSize }));
    b_hh = register_parameter("b_hh", uniform({ 4 * hiddenSize }));
}

std::tuple<torch::Tensor, torch::Tensor, torch::Tensor>
LstmLayerImpl::forward(const torch::Tensor &x, const torch::Tensor &h0, const torch::Tensor &c0)
{
    if (x.is_cpu() && x.scalar_type() == torch::kFloat)
        return fusedLstm(x, h0, c0, w_ih, w_hh, b_ih + b_hh);
    auto [y, h, c] = torch::lstm(x, { h0.unsqueeze(0), c0.unsqueeze(0) }, { w_ih, w_hh, b_ih, b_hh },
                                 /*has_biases=*/true, /*num_layers=*/1, /*dropout=*/0.0, is_training(),
                                 /*bidirectional=*/false, /*batch_first=*/false);
    return { y, h.squeeze(0), c.squeeze(0) };
}

SequenceNetImpl::SequenceNetImpl(SequenceNetOptions options) : m_options(std::move(options))
{
    for (std::size_t h = 0; h < m_options.headSizes.size(); ++h) {
        const auto name = std::to_string(h);
        m_embeddings.push_back(register_module(
            "embed" + name, torch::nn::Embedding(m_options.headSizes[h], m_options.embedDim)));
        m_heads.push_back(
            register_module("head" + name, torch::nn::Linear(m_options.hiddenSize, m_options.headSizes[h])));
    }
    for (int64_t l = 0; l < m_options.layers; ++l) {
        const auto name = std::to_string(l);
        m_layers.push_back(
            register_module("lstm" + name, LstmLayer(l == 0 ? m_options.embedDim : m_options.hiddenSize,
                                                     m_options.hiddenSize)));
        if (m_options.layerNorm)
            m_norms.push_back(register_module(
                "norm" + name, torch::nn::LayerNorm(torch::nn::LayerNormOptions({ m_options.hiddenSize }))));
    }
    if (m_options.attentionHeads > 0) {
        m_attention = register_module(
            "attention", torch::nn::MultiheadAttention(torch::nn::MultiheadAttentionOptions(
                                                           m_options.hiddenSize, m_options.attentionHeads)
                                                           .dropout(m_options.dropout)));
        m_attentionNorm = register_module(
            "attention_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ m_options.hiddenSize })));
    }
    m_dropout = register_module("dropout", torch::nn::Dropout(m_options.dropout));
}

LstmState SequenceNetImpl::zeroState(int64_t batch, const torch::Device &device) const
{
    const auto options = torch::TensorOptions().device(device);
    return { torch::zeros({ m_options.layers, batch, m_options.hiddenSize }, options),
             torch::zeros({ m_options.layers, batch, m_options.hiddenSize }, options) };
}

std::pair<std::vector<torch::Tensor>, LstmState> SequenceNetImpl::forward(const torch::Tensor &tokens,
                                                                          const LstmState &state)
{
    const int64_t batch = tokens.size(1);
    auto [h0, c0] = std::get<0>(state).defined() ? state : zeroState(batch, tokens.device());
    torch::Tensor x = m_embeddings[0](tokens.select(2, 0));
    for (std::size_t h = 1; h < m_embeddings.size(); ++h)
        x = x + m_embeddings[h](tokens.select(2, int64_t(h)));
    std::vector<torch::Tensor> hs, cs;
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
        if (l > 0 && m_options.dropout > 0)
            x = m_dropout(x);
        auto [y, h, c] = m_layers[l](x, h0[int64_t(l)], c0[int64_t(l)]);
        x = m_options.layerNorm ? m_norms[l](y) : y;
        hs.push_back(h);
        cs.push_back(c);
    }
    if (m_attention) {
        // Position t attends to positions 0..t of this call (the additive mask hides the future).
        const int64_t steps = x.size(0);
        const torch::Tensor future =
            torch::full({ steps, steps }, -std::numeric_limits<float>::infinity(), x.options()).triu(1);
        const torch::Tensor attended = std::get<0>(m_attention->forward(x, x, x, {}, false, future));
        x = m_attentionNorm(x + m_dropout(attended));
    }
    if (m_options.dropout > 0)
        x = m_dropout(x);
    std::vector<torch::Tensor> logits;
    for (auto &head : m_heads)
        logits.push_back(head(x));
    return { logits, { torch::stack(hs), torch::stack(cs) } };
}

} // namespace continuo::nn
