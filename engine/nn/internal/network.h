// SPDX-License-Identifier: GPL-3.0-or-later
// What every Continuo network offers the training and evaluation code. Internal to engine/nn.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace continuo::nn {

/// A next-step predictor over time-major token steps. Implemented by the LSTM (SequenceNetImpl),
/// the logistic-regression baseline (LogisticNetImpl) and the Transformer (TransformerNetImpl), so
/// all train and evaluate through the same code.
class Network : public torch::nn::Module
{
public:
    /// @param tokens [T, B, heads] token indices
    /// @return logits per head [T, B, classes]: the prediction for step t + 1 after reading steps 0..t
    virtual std::vector<torch::Tensor> logits(const torch::Tensor &tokens) = 0;
    /// The same, for networks whose later heads read the tokens of the earlier heads of the step they
    /// predict (the Transformer): those are taken from `nextSteps` [T, B, heads], the true next steps
    /// (teacher forcing). Other networks ignore them. What training and scoring use.
    virtual std::vector<torch::Tensor> conditionedLogits(const torch::Tensor &tokens,
                                                         const torch::Tensor &nextSteps)
    {
        (void)nextSteps;
        return logits(tokens);
    }
};

} // namespace continuo::nn
