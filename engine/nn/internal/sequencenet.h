// SPDX-License-Identifier: GPL-3.0-or-later
// The LibTorch modules of Continuo's models. Internal to engine/nn: LibTorch never reaches public headers.
#pragma once

#include "nn/internal/network.h"
#include "nn/netshape.h"

#include <torch/torch.h>

#include <tuple>
#include <vector>

namespace continuo::nn {

/// One LSTM layer with PyTorch's parameter names and initialisation (w_ih, w_hh, b_ih, b_hh,
/// uniform in ±1/sqrt(hidden)). On the CPU in float32 it runs fusedLstm; elsewhere torch::lstm
/// (cuDNN on CUDA). Input is time-major [T, B, I].
class LstmLayerImpl : public torch::nn::Module
{
public:
    LstmLayerImpl(int64_t inputSize, int64_t hiddenSize);
    /// @return output [T, B, H], final h [B, H], final c [B, H]
    std::tuple<torch::Tensor, torch::Tensor, torch::Tensor>
    forward(const torch::Tensor &x, const torch::Tensor &h0, const torch::Tensor &c0);
    int64_t hiddenSize() const { return m_hiddenSize; }

    torch::Tensor w_ih, w_hh, b_ih, b_hh;

private:
    int64_t m_hiddenSize;
};
TORCH_MODULE(LstmLayer);

/// Shape of a sequence model: one input embedding and one softmax head per target.
struct SequenceNetOptions
{
    std::vector<int64_t> headSizes; ///< classes per target (performance: {388}; notes: {chords, 97, 97})
    int64_t embedDim = 256;
    int64_t hiddenSize = 512;
    int64_t layers = 2;
    double dropout = 0.0; ///< between LSTM layers and before the heads, while training
    bool layerNorm = false; ///< layer normalisation of every LSTM layer's output
    int64_t attentionHeads = 0; ///< causal self-attention over the LSTM outputs; 0: none

    /// One head, no dropout, no layer norm or attention: the benchmarks' model.
    static SequenceNetOptions of(const NetShape &shape)
    {
        SequenceNetOptions options;
        options.headSizes = { shape.vocab };
        options.embedDim = shape.embed;
        options.hiddenSize = shape.hidden;
        options.layers = shape.layers;
        return options;
    }
};

/// The recurrent state of every layer: h and c, each [layers, B, H].
using LstmState = std::tuple<torch::Tensor, torch::Tensor>;

/// Embedding(s) -> LSTM layers (each optionally layer-normalised) -> optional causal
/// self-attention with a residual connection -> linear head(s). Tokens are [T, B, heads]
/// (time-major); the embeddings of the heads' tokens are summed.
class SequenceNetImpl : public Network
{
public:
    explicit SequenceNetImpl(SequenceNetOptions options);
    /// @return logits per head [T, B, classes], and the final state
    std::pair<std::vector<torch::Tensor>, LstmState> forward(const torch::Tensor &tokens,
                                                             const LstmState &state = {});
    std::vector<torch::Tensor> logits(const torch::Tensor &tokens) override { return forward(tokens).first; }
    LstmState zeroState(int64_t batch, const torch::Device &device) const;
    const SequenceNetOptions &options() const { return m_options; }

    // The parts, for the one-step inference of LstmStepper.
    const std::vector<torch::nn::Embedding> &embeddings() const { return m_embeddings; }
    const std::vector<LstmLayer> &layers() const { return m_layers; }
    const std::vector<torch::nn::LayerNorm> &norms() const { return m_norms; }
    const std::vector<torch::nn::Linear> &heads() const { return m_heads; }

private:
    SequenceNetOptions m_options;
    std::vector<torch::nn::Embedding> m_embeddings;
    std::vector<LstmLayer> m_layers;
    std::vector<torch::nn::LayerNorm> m_norms; ///< one per layer, when layerNorm
    torch::nn::MultiheadAttention m_attention { nullptr };
    torch::nn::LayerNorm m_attentionNorm { nullptr };
    std::vector<torch::nn::Linear> m_heads;
    torch::nn::Dropout m_dropout { nullptr };
};
TORCH_MODULE(SequenceNet);

} // namespace continuo::nn
