// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysis/generationinsight.h"

#include "jobs/jobcontext.h"
#include "score/scoreparts.h"

#include <limits>
#include <optional>

namespace continuo {

namespace {

bool isCancelled(const JobContext *context) { return context && context->isCancelled(); }

} // namespace

GenerationInsight::GenerationInsight()
{
    continuationDistances.fill(std::numeric_limits<double>::quiet_NaN());
    seedDistances.fill(std::numeric_limits<double>::quiet_NaN());
}

GenerationInsight analyzeContinuation(const Score &continuation, const Score *seed,
                                      const MemorizationIndex *index, const JobContext *context)
{
    GenerationInsight insight;
    insight.hasSeed = seed != nullptr;
    insight.continuation = computeStatistics(continuation);
    if (seed)
        insight.seed = computeStatistics(*seed);
    // The roll marks notes outside the seed's key; without a seed, the continuation's own.
    insight.isKeyFromSeed = seed != nullptr;
    insight.key = estimateKey(seed ? *seed : continuation);
    insight.notesOutsideKey = notesOutsideKey(continuation, insight.key);
    if (isCancelled(context))
        return insight;
    insight.chords = chordLabels(continuation);
    if (index && !isCancelled(context)) {
        insight.hasCorpus = true;
        insight.corpus = index->corpusStatistics();
        insight.continuationDistances = statisticsDistances(insight.continuation, insight.corpus);
        if (seed)
            insight.seedDistances = statisticsDistances(insight.seed, insight.corpus);
        insight.match = index->longestMatch(continuation);
    }
    return insight;
}

GenerationInsight analyzeGeneration(const Score &generation, const MemorizationIndex *index,
                                    const JobContext *context)
{
    const int continuationPart = partIndexNamed(generation, "Continuation");
    if (continuationPart < 0)
        return analyzeContinuation(generation, nullptr, index, context);
    const std::optional<Score> continuation = partNamed(generation, "Continuation");
    const std::optional<Score> seed = partNamed(generation, "Seed");
    GenerationInsight insight = analyzeContinuation(*continuation, seed ? &*seed : nullptr, index, context);
    // Back from the continuation's note indices to the generation's.
    const std::vector<std::size_t> inGeneration = partNoteIndices(generation, continuationPart);
    for (std::size_t &note : insight.notesOutsideKey)
        note = inGeneration[note];
    for (std::size_t &note : insight.match.generatedNotes)
        note = inGeneration[note];
    if (!isCancelled(context))
        insight.chords = chordLabels(generation);
    return insight;
}

} // namespace continuo
