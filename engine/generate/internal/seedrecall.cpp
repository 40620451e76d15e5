// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/internal/seedrecall.h"

#include "generate/sampling.h"
#include "nn/model.h"

#include <algorithm>
#include <cmath>

namespace continuo::generation {

SeedRecall::SeedRecall(const Model &model, double strength, const std::vector<std::int64_t> &seedSteps)
    : m_memory(model.pieceMemory())
    , m_strength(strength)
    , m_heads(model.spec().headSizes.size())
    , m_step(m_heads)
{
    if (strength <= 0 || m_memory.empty())
        return;
    // The transposing matcher reads chord shapes; the memory has trust for it only when it has them.
    m_shapes = std::make_unique<ChordShapes>(m_memory.transposedTrust.empty() ? std::vector<std::string>()
                                                                              : model.spec().vocabulary);
    m_recall = std::make_unique<PieceRecall>(RecallLayout::of(model.spec().representation), *m_shapes);
    for (std::size_t at = 0; at + m_heads <= seedSteps.size(); at += m_heads)
        append(&seedSteps[at]);
}

void SeedRecall::mix(std::size_t head, float *logits, int classes) const
{
    if (!isActive())
        return;
    toLogProbabilities(logits, classes);
    m_memory.mix(int(head), *m_recall, logits, classes, m_strength);
}

void SeedRecall::append(const std::int64_t *tokens)
{
    if (!isActive())
        return;
    std::copy(tokens, tokens + m_heads, m_step.begin());
    m_recall->append(m_step.data());
}

} // namespace continuo::generation
