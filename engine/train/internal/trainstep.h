// SPDX-License-Identifier: GPL-3.0-or-later
// The loss and one optimisation step, shared by the training loop and the training benchmark.
// Internal to engine/train.
#pragma once

#include "nn/internal/network.h"

#include <torch/torch.h>

#include <vector>

namespace continuo::train {

/// "cpu", "cuda" or "auto" (CUDA when LibTorch has it and a GPU is present). @throws ModelError.
torch::Device chooseDevice(const std::string &name);

/// Optional changes to the plain cross-entropy while training (validation always uses the plain one).
struct LossShaping
{
    /// Per head: a weight per class (inverse frequency), or undefined for none. The loss is then
    /// the weighted mean over targets, as torch's cross_entropy with weights.
    std::vector<torch::Tensor> classWeights;
    /// Interval-aware label smoothing of head 0 (pitches): the target keeps 1 - smoothing, and
    /// `smoothing` goes to the classes in neighbours[target] by neighbourWeights[target] (rows
    /// sum to 1, or to 0 for a class without pitch neighbours, which is then not smoothed).
    double smoothing = 0.0;
    torch::Tensor neighbours; ///< [classes, M] long
    torch::Tensor neighbourWeights; ///< [classes, M] float
};

/// Mean cross-entropy per step, summed over the heads. logits: per head [T, B, classes];
/// targets: [T, B, heads].
torch::Tensor stepLoss(const std::vector<torch::Tensor> &logits, const torch::Tensor &targets,
                       const LossShaping &shaping = {});

/// Forward, loss, backward, gradient clipping (when clip > 0) and the optimizer's step.
/// @return the loss before the step
torch::Tensor trainStep(nn::Network &net, torch::optim::Optimizer &optimizer, const torch::Tensor &inputs,
                        const torch::Tensor &targets, double gradientClip, const LossShaping &shaping = {});

} // namespace continuo::train
