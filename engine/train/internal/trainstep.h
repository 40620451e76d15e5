// SPDX-License-Identifier: GPL-3.0-or-later
// The loss and one optimisation step, shared by the training loop and the training benchmark.
// Internal to engine/train.
#pragma once

#include "nn/internal/network.h"
#include "train/trainer.h"

#include <ATen/autocast_mode.h>

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
    /// Interval-aware label smoothing of head `smoothedHead` (pitches): the target keeps 1 - smoothing, and
    /// `smoothing` goes to the classes in neighbours[target] by neighbourWeights[target] (rows
    /// sum to 1, or to 0 for a class without pitch neighbours, which is then not smoothed).
    double smoothing = 0.0;
    std::size_t smoothedHead = 0;
    torch::Tensor neighbours; ///< [classes, M] long
    torch::Tensor neighbourWeights; ///< [classes, M] float
};

/// While it lives, with `enabled`, this thread's CPU operations that autocast lists (the matrix
/// products above all) compute in bfloat16, while weights, their gradients and the optimizer stay
/// float32 (mixed precision). On CPUs with bfloat16 matrix units (AMX, AVX-512 BF16) this trains the
/// Transformer several times faster. Without `enabled`, it changes nothing.
class MixedPrecision
{
public:
    explicit MixedPrecision(bool enabled);
    ~MixedPrecision();
    MixedPrecision(const MixedPrecision &) = delete;
    MixedPrecision &operator=(const MixedPrecision &) = delete;

private:
    bool m_enabled;
    bool m_previous = false;
    at::ScalarType m_previousType = at::kBFloat16;
};

/// True if this CPU has bfloat16 matrix units (its flags list amx_bf16 or avx512_bf16) and LibTorch
/// can use them (oneDNN). Any thread.
bool cpuHasBf16MatrixUnits();

/// Whether a network trains in mixed precision: BFloat16 always on the CPU; Auto for the Transformer
/// on a CPU with bfloat16 matrix units; never on CUDA or with Float32.
bool usesMixedPrecision(Precision precision, const nn::Network &net, const torch::Device &device);

/// Mean cross-entropy per step, summed over the heads. logits: per head [T, B, classes];
/// targets: [T, B, heads].
torch::Tensor stepLoss(const std::vector<torch::Tensor> &logits, const torch::Tensor &targets,
                       const LossShaping &shaping = {});

/// The network's conditioned logits, in float32 whatever precision computed them.
std::vector<torch::Tensor> floatLogits(nn::Network &net, const torch::Tensor &inputs,
                                       const torch::Tensor &targets, bool mixedPrecision);

/// Forward (in mixed precision when asked), loss, backward, gradient clipping (when clip > 0) and
/// the optimizer's step. @return the loss before the step
torch::Tensor trainStep(nn::Network &net, torch::optim::Optimizer &optimizer, const torch::Tensor &inputs,
                        const torch::Tensor &targets, double gradientClip, const LossShaping &shaping = {},
                        bool mixedPrecision = false);

} // namespace continuo::train
