// SPDX-License-Identifier: GPL-3.0-or-later
// The logistic-regression baseline: next-step logits as a linear function of the last W steps.
// Internal to engine/nn.
#pragma once

#include "nn/internal/network.h"

#include <torch/torch.h>

#include <vector>

namespace continuo::nn {

struct LogisticNetOptions
{
    std::vector<int64_t> headSizes; ///< classes per target, as SequenceNetOptions
    int64_t window = 8; ///< how many of the latest steps the prediction sees
    /// Per head, the input features each class switches on (for a chord: its pitches). An empty
    /// list for a head means one-hot: class c switches on feature c.
    std::vector<std::vector<std::vector<int64_t>>> features;
};

/// logits(t) = bias + sum over lags k < window and heads h of W[k][h] * features(token[t - k][h]),
/// a multinomial logistic regression over the features of the last `window` steps. Steps before
/// the start of the input contribute nothing. All W[k][h] are rows of one EmbeddingBag (sum
/// mode): the active features of a position form one bag, so the sparse features cost one lookup,
/// not a matrix product. Weights start at zero.
class LogisticNetImpl : public Network
{
public:
    explicit LogisticNetImpl(LogisticNetOptions options);
    std::vector<torch::Tensor> logits(const torch::Tensor &tokens) override;

private:
    LogisticNetOptions m_options;
    int64_t m_outputs = 0; ///< classes of all heads together
    int64_t m_stepFeatures = 0; ///< features of one step, all heads together
    /// Per head [classes, maxFeatures]: the step-feature indices of each class, padded with m_stepFeatures.
    std::vector<torch::Tensor> m_featureTables;
    torch::nn::EmbeddingBag m_weights { nullptr }; ///< row lag * m_stepFeatures + feature; last row: padding
    torch::Tensor m_bias;
};
TORCH_MODULE(LogisticNet);

} // namespace continuo::nn
