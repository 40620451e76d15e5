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
    virtual void prime(const std::vector<std::int64_t> &seedSteps) = 0;
    /// Reads one step of every sequence: tokens[b * heads + h].
    virtual void step(const std::int64_t *tokens) = 0;
    /// The logits (float32) of head h of sequence b's next step, after the latest prime() or step();
    /// `drawn` holds that step's tokens of heads 0..h-1 (the Transformer's heads read them). Valid
    /// until the next call of any method; the caller may modify them.
    virtual float *headLogits(std::int64_t b, std::size_t h, const std::int64_t *drawn) = 0;

    /// The Transformer steps with its key/value cache (TransformerStepper); the LSTM without
    /// attention steps its state forward (LstmStepper); both read the seed in one forward pass. Any
    /// other network re-reads the last steps of each sequence every step. The Transformer's steps
    /// use the fastest arithmetic the CPU has (bfloat16 weights where it has AVX-512 BF16), unless
    /// `exact` asks for float32 throughout.
    static std::unique_ptr<StepSource> forModel(Model &model, std::int64_t batch, bool exact = false);
    /// The Transformer reading only its latest `steps` steps (its key/value cache a sliding window
    /// of them; prime() reads the prompt's last ones): what the model expects from the recent notes
    /// alone. Null for any other network.
    static std::unique_ptr<StepSource> recentOnly(Model &model, std::int64_t batch, std::int64_t steps);
};

} // namespace continuo::generation
