// SPDX-License-Identifier: GPL-3.0-or-later
// "Stay close to the seed": the piece memory's match model mixed into generation. Internal.
#pragma once

#include "nn/piecememory.h"

#include <cstdint>
#include <vector>

namespace continuo {
class Model;
}

namespace continuo::generation {

/// The recall of their own past for every sequence of a generation: the model's piece memory
/// (PieceRecall) reads the seed, once, and every step drawn after it in each sequence, and before
/// each head is drawn its prediction is mixed into that head's distribution with the memory's trust
/// scaled by `strength` (PieceMemory::mix): at 0 the network alone, at 1 as much as the memory was
/// right on the training files. Each step is drawn from what the network predicts and what followed
/// the same passage before in this piece, so figures and motifs of the seed come back. Inactive
/// (mix() leaves the logits) when the strength is 0 or the model has no piece memory. Not thread-safe.
class SeedRecall
{
public:
    SeedRecall(const Model &model, double strength, const std::vector<std::int64_t> &seedSteps,
               std::int64_t sequences);
    bool isActive() const { return !m_recalls.empty(); }
    /// Turns head `head`'s logits of sequence `sequence` into log-probabilities and mixes the
    /// recalled class into them.
    void mix(std::int64_t sequence, std::size_t head, float *logits, int classes) const;
    /// Reads one more drawn step (one token per head) of `sequence`.
    void append(std::int64_t sequence, const std::int64_t *tokens);

private:
    const PieceMemory &m_memory;
    double m_strength;
    std::size_t m_heads;
    ChordShapes m_shapes; ///< the recalls refer to it
    std::vector<PieceRecall> m_recalls; ///< by sequence; empty when inactive
    std::vector<std::int32_t> m_step;
};

} // namespace continuo::generation
