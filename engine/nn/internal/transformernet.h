// SPDX-License-Identifier: GPL-3.0-or-later
// The decoder-only Transformer of Continuo's models. Internal to engine/nn.
#pragma once

#include "nn/internal/network.h"
#include "nn/netshape.h"

#include <torch/torch.h>

#include <vector>

namespace continuo::nn {

struct TransformerNetOptions
{
    std::vector<int64_t> headSizes; ///< classes per target (compound: time, pitch, duration, velocity)
    int64_t model = 256; ///< width of the residual stream and of every embedding
    int64_t layers = 4;
    int64_t heads = 4; ///< attention heads; they divide `model`
    int64_t feedForward = 1024;
    double dropout = 0.1; ///< on embeddings, attention weights and every residual branch, while training
    /// > 0: each step also reads its onset's position in the beat (the running sum of head 0's
    /// tokens modulo this, restarting from the gap's start for the notes of a gap to fill;
    /// repr/beatphase.h), through one more embedding. 0: none.
    int64_t phaseClasses = 0;

    /// One head, no dropout: the benchmarks' model.
    static TransformerNetOptions of(const NetShape &shape)
    {
        TransformerNetOptions options;
        options.headSizes = { shape.vocab };
        options.model = shape.embed;
        options.layers = shape.layers;
        options.heads = shape.heads;
        options.feedForward = shape.ff;
        options.dropout = 0.0;
        return options;
    }
};

/// ALiBi's slope of each attention head: 2^(-8 (i + 1) / heads).
torch::Tensor alibiSlopes(int64_t heads);

/// One pre-norm block: x + attention(norm(x)), then x + feed-forward(norm(x)).
class TransformerBlockImpl : public torch::nn::Module
{
public:
    TransformerBlockImpl(const TransformerNetOptions &options);
    /// @param x [B, T, D]; @param bias [H, T, S] added to the attention scores (ALiBi and the causal
    /// mask); @param past when given, the keys and values [B, H, S - T, D / H] of earlier steps,
    /// replaced by those of all S steps. @return [B, T, D]
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &bias,
                          torch::Tensor *pastKeys = nullptr, torch::Tensor *pastValues = nullptr);

    torch::nn::LayerNorm norm1 { nullptr }, norm2 { nullptr };
    torch::nn::Linear qkv { nullptr }, proj { nullptr }, ff1 { nullptr }, ff2 { nullptr };

private:
    int64_t m_heads;
    torch::nn::Dropout m_dropout { nullptr };
};
TORCH_MODULE(TransformerBlock);

/// Embeddings of every head's token, summed -> pre-norm blocks with causal self-attention whose
/// positions are relative (ALiBi: each head's scores fall linearly with distance, so windows longer
/// than those trained on still work) -> a final norm -> one output per head. Head 0 is a linear layer;
/// every later head h reads the stream plus the embeddings of the tokens of heads < h of the same
/// step, through a small residual MLP, so that (compound) pitch depends on the time just drawn.
class TransformerNetImpl : public Network
{
public:
    explicit TransformerNetImpl(TransformerNetOptions options);
    /// Later heads conditioned on the argmax of the earlier ones.
    std::vector<torch::Tensor> logits(const torch::Tensor &tokens) override;
    std::vector<torch::Tensor> conditionedLogits(const torch::Tensor &tokens,
                                                 const torch::Tensor &nextSteps) override;
    const TransformerNetOptions &options() const { return m_options; }
    const torch::Tensor &slopes() const { return m_slopes; } ///< ALiBi's, [H, 1, 1]

    /// The position in the beat [B, T] of each of tokens [B, T, heads] (phaseClasses > 0).
    torch::Tensor phases(const torch::Tensor &tokens) const;
    /// The shift (0..phaseClasses - 1) of the positions in the beat under which the network finds
    /// the last `most` of `steps` [T, heads] likeliest: where the beat falls in a seed cut anywhere
    /// from a piece or played without a click. 0 without phases or with fewer than two steps.
    int64_t likeliestPhaseShift(const torch::Tensor &steps, int64_t most = kPhaseFitSteps);
    static constexpr int64_t kPhaseFitSteps = 128;
    /// The final, normalised stream [B, T, D] of tokens [B, T, heads]. With `keys` and `values` (one
    /// per layer, [B, H, S, D / H] or undefined) the steps attend to those too and they are extended;
    /// `positions` [S + T] are the absolute positions of cached and new steps.
    torch::Tensor stream(const torch::Tensor &tokens, const torch::Tensor &positions,
                         std::vector<torch::Tensor> *keys = nullptr,
                         std::vector<torch::Tensor> *values = nullptr);
    /// Logits of head h [..., classes] from the stream and the tokens [..., h] of the heads before it.
    torch::Tensor headLogits(int64_t h, const torch::Tensor &stream, const torch::Tensor &earlier);
    /// The ALiBi bias with the causal mask [H, T, S] for queries and keys at these positions.
    torch::Tensor attentionBias(const torch::Tensor &queryPositions, const torch::Tensor &keyPositions) const;

    std::vector<torch::nn::Embedding> embeddings; ///< per head: the input embedding
    torch::nn::Embedding phase { nullptr }; ///< the position in the beat (phaseClasses > 0)
    std::vector<TransformerBlock> blocks;
    torch::nn::LayerNorm finalNorm { nullptr };
    std::vector<torch::nn::Embedding> conditions; ///< per head h < heads - 1: feeds its token to later heads
    std::vector<torch::nn::Linear> headMids; ///< per head h >= 1 (index h - 1): the MLP's inner layer
    std::vector<torch::nn::Linear> outputs; ///< per head

private:
    std::vector<torch::Tensor> allLogits(const torch::Tensor &tokens, const torch::Tensor *nextSteps);

    TransformerNetOptions m_options;
    torch::Tensor m_slopes; ///< [H, 1, 1]
    torch::nn::Dropout m_dropout { nullptr };
};
TORCH_MODULE(TransformerNet);

/// Rewrites the first step's time of flattened steps to its position in the beat, as `net` reads
/// it, with the shift it finds likeliest for the first `contextSteps` steps (a seed, before what
/// continues it). Nothing for a network without phases.
void alignToLikeliestBeat(TransformerNetImpl &net, std::vector<std::int64_t> &steps,
                          std::size_t contextSteps);

} // namespace continuo::nn
