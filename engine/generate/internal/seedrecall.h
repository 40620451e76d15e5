// SPDX-License-Identifier: GPL-3.0-or-later
// "Stay close to the seed": the piece memory's match model mixed into generation. Internal.
#pragma once

#include "nn/piecememory.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace continuo {
class Model;
}

namespace continuo::generation {

/// One sequence's recall of its own past: the model's piece memory (PieceRecall) reads the seed and
/// every step drawn after it, and before each head is drawn its prediction is mixed into that head's
/// distribution with the memory's trust scaled by `strength` (PieceMemory::mix): at 0 the network
/// alone, at 1 as much as the memory was right on the training files. Each step is drawn from what
/// the network predicts and what followed the same passage before in this piece, so figures and
/// motifs of the seed come back. Inactive (mix() leaves the logits) when the strength is 0 or the
/// model has no piece memory. Not thread-safe.
class SeedRecall
{
public:
    SeedRecall(const Model &model, double strength, const std::vector<std::int64_t> &seedSteps);
    bool isActive() const { return m_recall != nullptr; }
    /// Turns head `head`'s logits into log-probabilities and mixes the recalled class into them.
    void mix(std::size_t head, float *logits, int classes) const;
    /// Reads one more drawn step (one token per head).
    void append(const std::int64_t *tokens);

private:
    const PieceMemory &m_memory;
    double m_strength;
    std::size_t m_heads;
    std::unique_ptr<ChordShapes> m_shapes; ///< outlives m_recall, which refers to it
    std::unique_ptr<PieceRecall> m_recall;
    std::vector<std::int32_t> m_step;
};

} // namespace continuo::generation
