// SPDX-License-Identifier: GPL-3.0-or-later
// The model's side of generation: next-step scores for a batch of sequences. Internal.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace continuo {
class Model;
}

namespace continuo::generation {

/// Next-step logits for `batch` sequences that all start from the same seed.
class StepSource
{
public:
    virtual ~StepSource() = default;
    /// Reads the seed (step-major, one token per head) into every sequence.
    /// @return logits per head [batch, classes] (float32, contiguous) for the step after it
    virtual const std::vector<torch::Tensor> &prime(const std::vector<std::int64_t> &seedSteps) = 0;
    /// Reads one step of every sequence: tokens[b * heads + h].
    /// @return logits per head [batch, classes]; valid until the next call
    virtual const std::vector<torch::Tensor> &step(const std::int64_t *tokens) = 0;

    /// The LSTM without attention steps its state forward (LstmStepper, the seed read in one
    /// forward pass); any other network re-reads the last steps of each sequence every step.
    static std::unique_ptr<StepSource> forModel(Model &model, std::int64_t batch);
};

} // namespace continuo::generation
