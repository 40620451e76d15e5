// SPDX-License-Identifier: GPL-3.0-or-later
// One optimisation step, shared by the training loop and the training benchmark. Internal to engine/train.
#pragma once

#include "nn/internal/sequencenet.h"

#include <torch/torch.h>

#include <vector>

namespace continuo::train {

/// Mean cross-entropy per step, summed over the heads. logits: per head [T, B, classes];
/// targets: [T, B, heads].
torch::Tensor stepLoss(const std::vector<torch::Tensor> &logits, const torch::Tensor &targets);

/// Forward, loss, backward, gradient clipping (when clip > 0) and the optimizer's step.
/// @return the loss before the step
torch::Tensor trainStep(nn::SequenceNet &net, torch::optim::Optimizer &optimizer, const torch::Tensor &inputs,
                        const torch::Tensor &targets, double gradientClip);

} // namespace continuo::train
