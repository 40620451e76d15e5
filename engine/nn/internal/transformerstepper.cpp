// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/internal/transformerstepper.h"

#include "core/error.h"
#include "repr/infilling.h"

#include <cmath>

namespace continuo::nn {

using torch::Tensor;
namespace F = torch::nn::functional;

namespace {
Tensor layerNorm(const Tensor &x, const torch::nn::LayerNorm &norm)
{
    return torch::layer_norm(x, { x.size(-1) }, norm->weight, norm->bias, norm->options.eps());
}
FastLinear fast(const torch::nn::Linear &layer, FastLinear::Arithmetic arithmetic)
{
    return FastLinear(layer->weight, layer->bias, arithmetic);
}
} // namespace

TransformerStepper::TransformerStepper(TransformerNetImpl &net, int64_t batch, int64_t window,
                                       FastLinear::Arithmetic arithmetic, int64_t opening, int64_t evicted)
    : m_net(net)
    , m_batch(batch)
    , m_window(window)
    , m_opening(opening)
    , m_evicted(evicted)
    , m_heads(int64_t(net.options().headSizes.size()))
    , m_model(net.options().model)
    , m_attentionHeads(net.options().heads)
{
    if (opening < 0 || evicted < 1 || window < opening + evicted + 1)
        throw ModelError("The Transformer's window is too short to generate with.");
    const int64_t dh = m_model / m_attentionHeads;
    for (std::size_t l = 0; l < net.blocks.size(); ++l) {
        m_keys.push_back(torch::zeros({ batch, m_attentionHeads, window, dh }));
        m_values.push_back(torch::zeros({ batch, m_attentionHeads, window, dh }));
    }
    m_positions = torch::zeros({ window });
    m_headOut.resize(std::size_t(m_heads));
    torch::NoGradGuard noGrad;
    for (const TransformerBlock &block : net.blocks)
        m_blocks.push_back({ fast(block->qkv, arithmetic), fast(block->proj, arithmetic),
                             fast(block->ff1, arithmetic), fast(block->ff2, arithmetic) });
    for (const torch::nn::Linear &output : net.outputs)
        m_outputs.push_back(fast(output, arithmetic));
    for (const torch::nn::Linear &mid : net.headMids)
        m_mids.push_back(fast(mid, arithmetic));
}

void TransformerStepper::prime(const std::vector<std::int64_t> &steps)
{
    torch::NoGradGuard noGrad;
    const int64_t given = int64_t(steps.size()) / m_heads;
    if (given < 1)
        throw ModelError("The model needs at least one step to predict the next.");
    const int64_t count = std::min(given, kMaxRead);
    const std::vector<std::int64_t> read(steps.end() - std::ptrdiff_t(count * m_heads), steps.end());
    const Tensor tokens = torch::tensor(read).view({ 1, count, m_heads });
    std::vector<Tensor> keys(m_net.blocks.size()), values(m_net.blocks.size());
    const Tensor positions = torch::arange(count, torch::kLong);
    const Tensor z = m_net.stream(tokens, positions, &keys, &values); // [1, count, D]
    // The window rule on the seed: its opening, then as many of its latest steps as fit with room to go.
    const int64_t latest = std::min(count, m_window - m_evicted) - std::min(count, m_opening);
    const int64_t opening = std::min(count, m_opening);
    std::vector<int64_t> kept;
    for (int64_t i = 0; i < opening; ++i)
        kept.push_back(i);
    for (int64_t i = count - latest; i < count; ++i)
        if (i >= opening)
            kept.push_back(i);
    const Tensor index = torch::tensor(kept);
    m_count = int64_t(kept.size());
    for (std::size_t l = 0; l < keys.size(); ++l) {
        m_keys[l].narrow(2, 0, m_count).copy_(keys[l].index_select(2, index).expand({ m_batch, -1, -1, -1 }));
        m_values[l]
            .narrow(2, 0, m_count)
            .copy_(values[l].index_select(2, index).expand({ m_batch, -1, -1, -1 }));
    }
    m_positions.narrow(0, 0, m_count).copy_(index.to(torch::kFloat32));
    m_next = count;
    if (m_net.phase) {
        const Tensor phases = m_net.phases(tokens)[0];
        m_phases.assign(std::size_t(m_batch), phases[count - 1].item<int64_t>());
        m_gapPhases.assign(std::size_t(m_batch), 0);
        for (int64_t i = 0; i < count; ++i)
            if (read[std::size_t(i * m_heads + 1)] == compoundrepr::kFillMarker)
                m_gapPhases.assign(std::size_t(m_batch), phases[i].item<int64_t>());
    }
    m_stream = z.select(1, count - 1).expand({ m_batch, -1 }).contiguous();
}

void TransformerStepper::evictIfFull()
{
    if (m_count < m_window)
        return;
    const int64_t moved = m_count - m_opening - m_evicted;
    for (std::size_t l = 0; l < m_keys.size(); ++l)
        for (Tensor *cache : { &m_keys[l], &m_values[l] })
            cache->narrow(2, m_opening, moved).copy_(cache->narrow(2, m_opening + m_evicted, moved).clone());
    m_positions.narrow(0, m_opening, moved)
        .copy_(m_positions.narrow(0, m_opening + m_evicted, moved).clone());
    m_count -= m_evicted;
}

void TransformerStepper::step(const std::int64_t *tokens)
{
    torch::NoGradGuard noGrad;
    evictIfFull();
    const Tensor input =
        torch::from_blob(const_cast<std::int64_t *>(tokens), { m_batch, m_heads }, torch::kLong);
    Tensor x = m_net.embeddings[0]->weight.index_select(0, input.select(1, 0));
    for (int64_t h = 1; h < m_heads; ++h)
        x.add_(m_net.embeddings[std::size_t(h)]->weight.index_select(0, input.select(1, h)));
    if (m_net.phase) {
        const int64_t classes = m_net.options().phaseClasses;
        for (int64_t b = 0; b < m_batch; ++b) {
            const auto row = std::size_t(b);
            m_phases[row] = (m_phases[row] + tokens[b * m_heads]) % classes;
            if (tokens[b * m_heads + 1] == compoundrepr::kFillMarker)
                m_gapPhases[row] = m_phases[row];
            else if (tokens[b * m_heads + 1] == compoundrepr::kMiddleMarker)
                m_phases[row] = m_gapPhases[row]; // the gap's notes are timed from its start
        }
        x.add_(m_net.phase->weight.index_select(0, torch::tensor(m_phases)));
    }
    m_positions[m_count] = float(m_next);
    const int64_t n = m_count + 1, dh = m_model / m_attentionHeads;
    // ALiBi for the one query at m_next against every cached key: [H, 1, n]
    const Tensor bias = (m_positions.narrow(0, 0, n) - float(m_next)).view({ 1, 1, n }) * m_net.slopes();
    const double scale = 1.0 / std::sqrt(double(dh));
    for (std::size_t l = 0; l < m_net.blocks.size(); ++l) {
        const TransformerBlockImpl &block = *m_net.blocks[l];
        const Block &fastBlock = m_blocks[l];
        const Tensor qkv =
            fastBlock.qkv(layerNorm(x, block.norm1)).view({ m_batch, 3, m_attentionHeads, dh });
        m_keys[l].select(2, m_count).copy_(qkv.select(1, 1));
        m_values[l].select(2, m_count).copy_(qkv.select(1, 2));
        const Tensor q = qkv.select(1, 0).unsqueeze(2).mul(scale); // [B, H, 1, dh]
        const Tensor scores = torch::matmul(q, m_keys[l].narrow(2, 0, n).transpose(-2, -1)).add_(bias);
        const Tensor y =
            torch::matmul(torch::softmax(scores, -1), m_values[l].narrow(2, 0, n)).view({ m_batch, m_model });
        x.add_(fastBlock.proj(y));
        x.add_(fastBlock.ff2(F::gelu(fastBlock.ff1(layerNorm(x, block.norm2)))));
    }
    ++m_count;
    ++m_next;
    m_stream = layerNorm(x, m_net.finalNorm);
}

float *TransformerStepper::headLogits(int64_t b, int64_t h, const std::int64_t *drawn)
{
    torch::NoGradGuard noGrad;
    Tensor z = m_stream.narrow(0, b, 1); // [1, D]
    const FastLinear &out = m_outputs[std::size_t(h)];
    if (h == 0) {
        m_headOut[0] = out(z);
    } else {
        z = z.clone();
        for (int64_t j = 0; j < h; ++j)
            z.add_(m_net.conditions[std::size_t(j)]->weight[drawn[j]]);
        const Tensor hidden = F::gelu(m_mids[std::size_t(h - 1)](z));
        m_headOut[std::size_t(h)] = out(z.add_(hidden));
    }
    return m_headOut[std::size_t(h)].data_ptr<float>();
}

} // namespace continuo::nn
