// SPDX-License-Identifier: GPL-3.0-or-later
// One-step inference of the Transformer with a key/value cache, for generation. Internal to engine/nn.
#pragma once

#include "nn/internal/fastlinear.h"
#include "nn/internal/transformernet.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace continuo::nn {

/// Reads one step of each of `batch` sequences at a time, attending to the keys and values it keeps
/// of every earlier step, so a step costs one token's work; the seed is read once, in one pass, and
/// shared by every sequence. CPU, float32, no autograd. The net must outlive the stepper.
///
/// The window: the cache holds at most `window` steps. When it is full, the kOpening first steps
/// (the seed's opening: its key, texture and motifs) stay and the kEvicted oldest steps after them
/// go, so the continuation always sees its beginning and its latest `window - kOpening - kEvicted`
/// steps or more. Positions stay the true ones: ALiBi scores distances, so nothing is recomputed.
///
/// The seed is read by the network's own forward pass in float32; each step's linear layers run as
/// FastLinear with the arithmetic asked for (Fast: bfloat16 weights on CPUs with AVX-512 BF16).
class TransformerStepper
{
public:
    static constexpr int64_t kOpening = 32;
    static constexpr int64_t kEvicted = 64;
    /// A seed longer than this is read from its latest kMaxRead steps: attending over all of it
    /// costs its length squared (a damaged file's note held for days is 100,000 hold steps: 100 GB),
    /// and the window keeps no more than its opening and latest steps.
    static constexpr int64_t kMaxRead = 4096;

    TransformerStepper(TransformerNetImpl &net, int64_t batch, int64_t window,
                       FastLinear::Arithmetic arithmetic = FastLinear::Arithmetic::Fast,
                       int64_t opening = kOpening, int64_t evicted = kEvicted);

    int64_t batch() const { return m_batch; }
    /// Reads the steps [count][heads] into every sequence, replacing what it held (the latest
    /// kMaxRead of them).
    void prime(const std::vector<std::int64_t> &steps);
    /// Reads tokens[b * heads + h] for every sequence b and head h.
    void step(const std::int64_t *tokens);
    /// Logits of head h for sequence b, after its earlier heads' tokens `drawn[0..h)`. Valid until the
    /// next call; the caller may modify them.
    float *headLogits(int64_t b, int64_t h, const std::int64_t *drawn);
    /// Steps in view now (for tests).
    int64_t cached() const { return m_count; }

private:
    /// Makes room for one more step by the window rule.
    void evictIfFull();

    struct Block
    {
        FastLinear qkv, proj, ff1, ff2;
    };

    TransformerNetImpl &m_net;
    std::vector<Block> m_blocks;
    std::vector<FastLinear> m_outputs; ///< per head
    std::vector<FastLinear> m_mids; ///< per head h >= 1 (index h - 1)
    int64_t m_batch, m_window, m_opening, m_evicted, m_heads, m_model, m_attentionHeads;
    std::vector<torch::Tensor> m_keys, m_values; ///< per layer [batch, H, window, D / H]
    torch::Tensor m_positions; ///< [window] float: the position of each cached step
    int64_t m_count = 0; ///< steps cached
    int64_t m_next = 0; ///< the position of the next step
    /// Per sequence (phaseClasses > 0): the latest step's position in the beat, and that of the
    /// start of the gap to fill (the fill marker's).
    std::vector<int64_t> m_phases, m_gapPhases;
    torch::Tensor m_stream; ///< [batch, D]: the latest step's final stream
    std::vector<torch::Tensor> m_headOut; ///< per head [classes]
};

} // namespace continuo::nn
