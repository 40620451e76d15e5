// SPDX-License-Identifier: GPL-3.0-or-later
// The training loss and step.
#include "train/internal/trainstep.h"

#include "core/error.h"
#include "nn/internal/transformernet.h"

#include <fstream>
#include <sstream>

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

MixedPrecision::MixedPrecision(bool enabled) : m_enabled(enabled)
{
    if (!m_enabled)
        return;
    m_previous = at::autocast::is_cpu_enabled();
    m_previousType = at::autocast::get_autocast_cpu_dtype();
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
}

MixedPrecision::~MixedPrecision()
{
    if (!m_enabled)
        return;
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(m_previous);
    at::autocast::set_autocast_cpu_dtype(m_previousType);
}

bool cpuHasBf16MatrixUnits()
{
    static const bool has = [] {
        if (!at::globalContext().userEnabledMkldnn())
            return false;
        std::ifstream cpuinfo("/proc/cpuinfo");
        std::string line;
        while (std::getline(cpuinfo, line)) {
            if (line.rfind("flags", 0) != 0)
                continue;
            std::istringstream flags(line);
            std::string flag;
            while (flags >> flag)
                if (flag == "amx_bf16" || flag == "avx512_bf16")
                    return true;
            return false;
        }
        return false;
    }();
    return has;
}

bool usesMixedPrecision(Precision precision, const nn::Network &net, const torch::Device &device)
{
    if (!device.is_cpu() || precision == Precision::Float32)
        return false;
    if (precision == Precision::BFloat16)
        return true;
    return dynamic_cast<const nn::TransformerNetImpl *>(&net) != nullptr && cpuHasBf16MatrixUnits();
}

std::vector<torch::Tensor> floatLogits(nn::Network &net, const torch::Tensor &inputs,
                                       const torch::Tensor &targets, bool mixedPrecision)
{
    std::vector<torch::Tensor> logits;
    {
        const MixedPrecision mixed(mixedPrecision);
        logits = net.conditionedLogits(inputs, targets);
    }
    for (torch::Tensor &head : logits)
        head = head.to(torch::kFloat32);
    return logits;
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
        if (h == shaping.smoothedHead && shaping.smoothing > 0) {
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
                        const torch::Tensor &targets, double gradientClip, const LossShaping &shaping,
                        bool mixedPrecision)
{
    optimizer.zero_grad();
    torch::Tensor loss = stepLoss(floatLogits(net, inputs, targets, mixedPrecision), targets, shaping);
    loss.backward();
    if (gradientClip > 0)
        torch::nn::utils::clip_grad_norm_(net.parameters(), gradientClip);
    optimizer.step();
    return loss;
}

} // namespace continuo::train
