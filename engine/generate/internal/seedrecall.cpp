// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/internal/seedrecall.h"

#include "generate/sampling.h"
#include "nn/model.h"

#include <algorithm>

namespace continuo::generation {

SeedRecall::SeedRecall(const Model &model, double strength, const std::vector<std::int64_t> &seedSteps,
                       std::int64_t sequences)
    : m_memory(model.pieceMemory())
    , m_strength(strength)
    , m_heads(model.spec().headSizes.size())
    , m_shapes(m_memory.shapesFor(model.spec().vocabulary))
    , m_step(m_heads)
{
    if (strength <= 0 || m_memory.empty())
        return;
    // The seed is read once; every sequence starts from a copy of that recall.
    PieceRecall seed(RecallLayout::of(model.spec().representation), m_shapes);
    for (std::size_t at = 0; at + m_heads <= seedSteps.size(); at += m_heads) {
        std::copy(seedSteps.begin() + std::ptrdiff_t(at), seedSteps.begin() + std::ptrdiff_t(at + m_heads),
                  m_step.begin());
        seed.append(m_step.data());
    }
    m_recalls = std::vector<PieceRecall>(std::size_t(sequences), seed);
}

void SeedRecall::mix(std::int64_t sequence, std::size_t head, float *logits, int classes) const
{
    if (!isActive())
        return;
    toLogProbabilities(logits, classes);
    m_memory.mix(int(head), m_recalls[std::size_t(sequence)], logits, classes, m_strength);
}

void SeedRecall::append(std::int64_t sequence, const std::int64_t *tokens)
{
    if (!isActive())
        return;
    std::copy(tokens, tokens + m_heads, m_step.begin());
    m_recalls[std::size_t(sequence)].append(m_step.data());
}

} // namespace continuo::generation
