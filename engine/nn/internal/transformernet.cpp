// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/internal/transformernet.h"

#include "core/error.h"
#include "repr/infilling.h"

#include <cmath>
#include <limits>

namespace continuo::nn {

using torch::Tensor;
namespace F = torch::nn::functional;

torch::Tensor alibiSlopes(int64_t heads)
{
    std::vector<float> slopes;
    for (int64_t i = 0; i < heads; ++i)
        slopes.push_back(float(std::pow(2.0, -8.0 * double(i + 1) / double(heads))));
    return torch::tensor(slopes).view({ heads, 1, 1 });
}

TransformerBlockImpl::TransformerBlockImpl(const TransformerNetOptions &o) : m_heads(o.heads)
{
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ o.model })));
    qkv = register_module("qkv", torch::nn::Linear(o.model, 3 * o.model));
    proj = register_module("proj", torch::nn::Linear(o.model, o.model));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ o.model })));
    ff1 = register_module("ff1", torch::nn::Linear(o.model, o.feedForward));
    ff2 = register_module("ff2", torch::nn::Linear(o.feedForward, o.model));
    m_dropout = register_module("dropout", torch::nn::Dropout(o.dropout));
}

Tensor TransformerBlockImpl::forward(const Tensor &x, const Tensor &bias, Tensor *pastKeys,
                                     Tensor *pastValues)
{
    const int64_t b = x.size(0), t = x.size(1), d = x.size(2), dh = d / m_heads;
    // [B, T, 3, H, dh] -> three [B, H, T, dh]
    const Tensor parts = qkv(norm1(x)).view({ b, t, 3, m_heads, dh }).permute({ 2, 0, 3, 1, 4 });
    Tensor q = parts[0] * (1.0 / std::sqrt(double(dh)));
    Tensor k = parts[1], v = parts[2];
    if (pastKeys) {
        if (pastKeys->defined()) {
            k = torch::cat({ *pastKeys, k }, 2);
            v = torch::cat({ *pastValues, v }, 2);
        }
        *pastKeys = k;
        *pastValues = v;
    }
    Tensor scores = torch::matmul(q, k.transpose(-2, -1)).add_(bias);
    const Tensor weights = m_dropout(torch::softmax(scores, -1));
    const Tensor y = torch::matmul(weights, v).transpose(1, 2).reshape({ b, t, d });
    const Tensor h = x + m_dropout(proj(y));
    return h + m_dropout(ff2(F::gelu(ff1(norm2(h)))));
}

TransformerNetImpl::TransformerNetImpl(TransformerNetOptions options) : m_options(std::move(options))
{
    const TransformerNetOptions &o = m_options;
    if (o.headSizes.empty() || o.model < 1 || o.heads < 1 || o.model % o.heads != 0 || o.layers < 1)
        throw ModelError("The Transformer's sizes are out of range (the heads must divide its width).");
    const auto heads = o.headSizes.size();
    for (std::size_t h = 0; h < heads; ++h) {
        const std::string n = std::to_string(h);
        embeddings.push_back(register_module("embed" + n, torch::nn::Embedding(o.headSizes[h], o.model)));
        outputs.push_back(register_module("out" + n, torch::nn::Linear(o.model, o.headSizes[h])));
        if (h + 1 < heads)
            conditions.push_back(register_module("cond" + n, torch::nn::Embedding(o.headSizes[h], o.model)));
        if (h > 0)
            headMids.push_back(register_module("mid" + n, torch::nn::Linear(o.model, o.model)));
    }
    if (o.phaseClasses > 0)
        phase = register_module("phase", torch::nn::Embedding(o.phaseClasses, o.model));
    for (int64_t l = 0; l < o.layers; ++l)
        blocks.push_back(register_module("block" + std::to_string(l), TransformerBlock(o)));
    finalNorm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ o.model })));
    m_dropout = register_module("dropout", torch::nn::Dropout(o.dropout));
    m_slopes = register_buffer("slopes", alibiSlopes(o.heads));
    // GPT-2's initialisation: small normal weights, zero biases.
    for (auto &parameter : named_parameters()) {
        torch::NoGradGuard noGrad;
        if (parameter.key().find("norm") != std::string::npos)
            continue;
        if (parameter.value().dim() >= 2)
            parameter.value().normal_(0.0, 0.02);
        else
            parameter.value().zero_();
    }
}

Tensor TransformerNetImpl::attentionBias(const Tensor &queryPositions, const Tensor &keyPositions) const
{
    const Tensor distance = (queryPositions.unsqueeze(1) - keyPositions.unsqueeze(0)).to(torch::kFloat32);
    Tensor bias = -m_slopes.to(distance.device()) * distance.unsqueeze(0); // [H, T, S]
    return bias.masked_fill(distance.lt(0).unsqueeze(0), -std::numeric_limits<float>::infinity());
}

Tensor TransformerNetImpl::phases(const Tensor &tokens) const
{
    Tensor onsets = tokens.select(2, 0).cumsum(1);
    // A gap to fill (repr/infilling.h): its notes, from the middle marker on, are timed from the
    // gap's start again, which is where the fill marker stands.
    const Tensor pitches = tokens.select(2, 1);
    const Tensor middle = pitches.eq(compoundrepr::kMiddleMarker);
    if (middle.any().item<bool>()) {
        const Tensor atFill = (onsets * pitches.eq(compoundrepr::kFillMarker)).cumsum(1);
        const Tensor atMiddle = (onsets * middle).cumsum(1);
        onsets = onsets - (atMiddle - atFill) * middle.cumsum(1).gt(0);
    }
    return onsets.remainder(m_options.phaseClasses);
}

int64_t TransformerNetImpl::likeliestPhaseShift(const Tensor &steps, int64_t most)
{
    const int64_t count = steps.size(0), classes = m_options.phaseClasses;
    if (classes <= 0 || count < 2)
        return 0;
    torch::NoGradGuard noGrad;
    const int64_t first = std::max<int64_t>(0, count - most), n = count - first;
    const int64_t onset = steps.select(1, 0).narrow(0, 0, first + 1).sum().item<int64_t>();
    // One sequence per shift, its first step's time the position in the beat under that shift.
    Tensor batch = steps.narrow(0, first, n).unsqueeze(0).repeat({ classes, 1, 1 });
    batch.select(2, 0).select(1, 0).copy_((torch::arange(classes) + onset).remainder(classes));
    const Tensor z = stream(batch.narrow(1, 0, n - 1), torch::arange(n - 1));
    const Tensor targets = batch.narrow(1, 1, n - 1);
    Tensor logLikelihood = torch::zeros({ classes });
    for (std::size_t h = 0; h < outputs.size(); ++h) {
        const Tensor logits = headLogits(int64_t(h), z, targets.narrow(2, 0, int64_t(h)));
        logLikelihood += torch::log_softmax(logits, -1)
                             .gather(-1, targets.select(2, int64_t(h)).unsqueeze(-1))
                             .sum({ 1, 2 });
    }
    return logLikelihood.argmax().item<int64_t>();
}

void alignToLikeliestBeat(TransformerNetImpl &net, std::vector<std::int64_t> &steps, std::size_t contextSteps)
{
    const auto heads = int64_t(net.options().headSizes.size());
    const auto count = std::min<int64_t>(int64_t(contextSteps), int64_t(steps.size()) / heads);
    if (!net.phase || count < 1)
        return;
    const Tensor context = torch::from_blob(steps.data(), { count, heads }, torch::kLong);
    const int64_t shift = net.likeliestPhaseShift(context);
    steps[0] = (shift + steps[0]) % net.options().phaseClasses;
}

Tensor TransformerNetImpl::stream(const Tensor &tokens, const Tensor &positions, std::vector<Tensor> *keys,
                                  std::vector<Tensor> *values)
{
    const int64_t t = tokens.size(1);
    Tensor x = embeddings[0](tokens.select(2, 0));
    for (std::size_t h = 1; h < embeddings.size(); ++h)
        x = x + embeddings[h](tokens.select(2, int64_t(h)));
    if (phase)
        x = x + phase(phases(tokens));
    x = m_dropout(x);
    const Tensor bias = attentionBias(positions.narrow(0, positions.size(0) - t, t), positions);
    for (std::size_t l = 0; l < blocks.size(); ++l)
        x = keys ? blocks[l]->forward(x, bias, &(*keys)[l], &(*values)[l]) : blocks[l]->forward(x, bias);
    return finalNorm(x);
}

Tensor TransformerNetImpl::headLogits(int64_t h, const Tensor &stream, const Tensor &earlier)
{
    if (h == 0)
        return outputs[0](stream);
    Tensor z = stream;
    for (int64_t j = 0; j < h; ++j)
        z = z + conditions[std::size_t(j)](earlier.select(-1, j));
    return outputs[std::size_t(h)](z + F::gelu(headMids[std::size_t(h - 1)](z)));
}

std::vector<Tensor> TransformerNetImpl::allLogits(const Tensor &tokens, const Tensor *nextSteps)
{
    const Tensor batchMajor = tokens.transpose(0, 1); // [B, T, heads]
    const Tensor positions = torch::arange(batchMajor.size(1), tokens.options());
    const Tensor z = stream(batchMajor, positions);
    std::vector<Tensor> logits;
    std::vector<Tensor> drawn; // the tokens of the earlier heads, [B, T] each
    for (std::size_t h = 0; h < outputs.size(); ++h) {
        const Tensor earlier = h == 0 ? Tensor() : torch::stack(drawn, -1);
        Tensor out = headLogits(int64_t(h), z, earlier);
        drawn.push_back(nextSteps ? nextSteps->transpose(0, 1).select(2, int64_t(h)) : out.argmax(-1));
        logits.push_back(out.transpose(0, 1));
    }
    return logits;
}

std::vector<Tensor> TransformerNetImpl::logits(const Tensor &tokens) { return allLogits(tokens, nullptr); }

std::vector<Tensor> TransformerNetImpl::conditionedLogits(const Tensor &tokens, const Tensor &nextSteps)
{
    return allLogits(tokens, &nextSteps);
}

} // namespace continuo::nn
