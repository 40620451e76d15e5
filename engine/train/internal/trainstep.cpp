// SPDX-License-Identifier: GPL-3.0-or-later
// The training loss and step.
#include "train/internal/trainstep.h"

#include "core/error.h"

namespace continuo::train {

torch::Device chooseDevice(const std::string &name)
{
    if (name == "cpu")
        return torch::kCPU;
    if (name == "cuda" || name == "auto") {
        if (torch::cuda::is_available())
            return torch::kCUDA;
        if (name == "cuda")
            throw ModelError(
                "No CUDA device is available to this build of LibTorch; train on the CPU instead.");
        return torch::kCPU;
    }
    throw ModelError("Unknown device \"" + name + "\" (auto, cpu or cuda).");
}

namespace {

/// Per-target loss of one head with the label smoothing of `shaping` ([N]).
torch::Tensor smoothedLoss(const torch::Tensor &logProbs, const torch::Tensor &target,
                           const LossShaping &shaping)
{
    const torch::Tensor nll = -logProbs.gather(1, target.unsqueeze(1)).squeeze(1);
    const torch::Tensor neighbours = shaping.neighbours.index_select(0, target);
    const torch::Tensor weights = shaping.neighbourWeights.index_select(0, target);
    const torch::Tensor spread = -(logProbs.gather(1, neighbours) * weights).sum(1);
    const torch::Tensor smoothed = weights.sum(1) * shaping.smoothing; // 0 where there are no neighbours
    return (1.0 - smoothed) * nll + shaping.smoothing * spread;
}

} // namespace

torch::Tensor stepLoss(const std::vector<torch::Tensor> &logits, const torch::Tensor &targets,
                       const LossShaping &shaping)
{
    torch::Tensor loss;
    for (std::size_t h = 0; h < logits.size(); ++h) {
        const torch::Tensor flat = logits[h].reshape({ -1, logits[h].size(-1) });
        const torch::Tensor target = targets.select(2, int64_t(h)).reshape({ -1 });
        const torch::Tensor weights =
            h < shaping.classWeights.size() ? shaping.classWeights[h] : torch::Tensor();
        torch::Tensor headLoss;
        if (h == 0 && shaping.smoothing > 0) {
            const torch::Tensor perTarget = smoothedLoss(torch::log_softmax(flat, 1), target, shaping);
            if (weights.defined()) {
                const torch::Tensor w = weights.index_select(0, target);
                headLoss = (perTarget * w).sum() / w.sum();
            } else {
                headLoss = perTarget.mean();
            }
        } else {
            headLoss = torch::nn::functional::cross_entropy(
                flat, target, torch::nn::functional::CrossEntropyFuncOptions().weight(weights));
        }
        loss = loss.defined() ? loss + headLoss : headLoss;
    }
    return loss;
}

torch::Tensor trainStep(nn::Network &net, torch::optim::Optimizer &optimizer, const torch::Tensor &inputs,
                        const torch::Tensor &targets, double gradientClip, const LossShaping &shaping)
{
    optimizer.zero_grad();
    torch::Tensor loss = stepLoss(net.logits(inputs), targets, shaping);
    loss.backward();
    if (gradientClip > 0)
        torch::nn::utils::clip_grad_norm_(net.parameters(), gradientClip);
    optimizer.step();
    return loss;
}

} // namespace continuo::train
