// SPDX-License-Identifier: GPL-3.0-or-later
// One-step inference of the LSTM model on the CPU, for generation. Internal to engine/nn.
#pragma once

#include "nn/internal/sequencenet.h"

#include <torch/torch.h>

#include <vector>

namespace continuo::nn {

/// Reads one step of each of `batch` sequences at a time and returns the next-step logits,
/// carrying the LSTM state forward: what sampling needs, at a fraction of a module call's cost.
/// Per layer it does one matrix product of [input, h] with the stacked weights into preallocated
/// buffers and the gate arithmetic in place; then one product per head. No autograd, no
/// allocation per step. The weights are copied when it is made (float32, CPU), so later training
/// of the net does not change it. Models with attention are not supported (ModelError).
class LstmStepper
{
public:
    LstmStepper(const SequenceNetImpl &net, int64_t batch);

    int64_t batch() const { return m_batch; }
    /// Starts every sequence from the zero state.
    void resetState();
    /// Starts from a state [layers, batch, hidden] each (e.g. after running a seed through the net).
    void setState(const LstmState &state);

    /// Reads tokens[b * heads + h] for every sequence b and head h.
    /// @return logits per head [batch, classes]; valid until the next call
    const std::vector<torch::Tensor> &step(const std::int64_t *tokens);

private:
    struct Layer
    {
        torch::Tensor weights; ///< [4 hidden, input + hidden]: w_ih and w_hh side by side
        torch::Tensor weightsT; ///< the same transposed, for batches (a matrix product)
        torch::Tensor bias; ///< [4 hidden]: b_ih + b_hh
        torch::Tensor input; ///< [batch, input + hidden]: this step's input, then h
        torch::Tensor gates; ///< [batch, 4 hidden]
        torch::Tensor c; ///< [batch, hidden]
        torch::Tensor normWeight, normBias; ///< the layer norm's, undefined when none
    };

    int64_t m_batch, m_hidden, m_embed;
    std::vector<torch::Tensor> m_embeddings; ///< per head [classes, embed]
    std::vector<Layer> m_layers;
    std::vector<torch::Tensor> m_headWeights, m_headWeightsT,
        m_headBiases; ///< per head [classes, hidden], transposed, [classes]
    torch::Tensor m_output; ///< [batch, hidden]: the last layer's (normalised) output
    std::vector<torch::Tensor> m_logits; ///< per head [batch, classes]
};

} // namespace continuo::nn
