// SPDX-License-Identifier: GPL-3.0-or-later
// Everything Continuo says about a generation at once: statistics against the corpus, the
// memorization check, the seed's key and the chords (for `continuo-cli eval --generated` and the
// insight panel).
#pragma once

#include "analysis/memorization.h"
#include "analysis/statistics.h"
#include "analysis/theory.h"
#include "score/score.h"

#include <cstddef>
#include <vector>

namespace continuo {

class JobContext;

/// The analysis of a generation (a seed and its continuation), a value type that holds no pointers.
struct GenerationInsight
{
    bool hasSeed = false; ///< a seed was given (or the generation had a "Seed" part)
    MusicStatistics seed; ///< the seed's statistics; empty without a seed
    MusicStatistics continuation; ///< the continuation's statistics
    /// True when an index was given: corpus, the distances and match are then meaningful.
    bool hasCorpus = false;
    MusicStatistics corpus; ///< the corpus's statistics (MemorizationIndex::corpusStatistics)
    /// Wasserstein-1 distances of the continuation to the corpus, in bins (see statisticsDistances);
    /// NaN where either side has no data, all NaN without a corpus.
    StatisticsDistances continuationDistances;
    /// The same for the seed; all NaN without a seed or a corpus.
    StatisticsDistances seedDistances;
    /// The longest run of the continuation shared with a training file (not found without a corpus).
    /// Its ticks and generatedNotes are in the analysed score's ticks and note indices (for
    /// analyzeGeneration, the whole generation's).
    MemorizationMatch match;
    KeyEstimate key; ///< estimated from the seed, or from the continuation without one
    bool isKeyFromSeed = false;
    /// Indices of the continuation's pitched notes outside `key`, in note order (for
    /// analyzeGeneration, indices into the generation's notes).
    std::vector<std::size_t> notesOutsideKey;
    /// The beats where a chord is clear (over the seed and the continuation for analyzeGeneration,
    /// the continuation alone for analyzeContinuation).
    std::vector<ChordLabel> chords;

    GenerationInsight(); ///< every distance NaN
};

/// Analyses `continuation`, compared with `seed` (may be null) and the corpus of `index` (may be
/// null: then only the continuation's and seed's own statistics, the key and the chords). Note
/// indices and ticks refer to `continuation`. Returns early (with what it has) once `context` (may
/// be null) is cancelled. Any thread (the index may be shared); never throws but bad_alloc.
GenerationInsight analyzeContinuation(const Score &continuation, const Score *seed,
                                      const MemorizationIndex *index, const JobContext *context = nullptr);

/// Analyses a generation Score: its "Continuation" part against its "Seed" part (see partNamed);
/// a score without a "Continuation" part is taken whole as the continuation, with no seed. Note
/// indices and ticks refer to `generation`; chords cover the whole score. As analyzeContinuation
/// otherwise.
GenerationInsight analyzeGeneration(const Score &generation, const MemorizationIndex *index,
                                    const JobContext *context = nullptr);

} // namespace continuo
