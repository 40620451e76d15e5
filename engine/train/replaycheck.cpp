// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/replaycheck.h"

#include "analysis/memorization.h"
#include "core/error.h"
#include "generate/generator.h"
#include "generate/seed.h"
#include "jobs/jobcontext.h"
#include "score/smfconvert.h"

#include <algorithm>

namespace continuo {

namespace {

/// The seeds of one file: kReplaySeedSec seconds at its start, a third and two thirds of it.
std::vector<Score> seedsOf(const std::filesystem::path &path)
{
    std::vector<Score> seeds;
    try {
        const Score score = readScoreFile(path);
        const double usable = score.durationSec() - 2 * kReplaySeedSec;
        if (usable < 0)
            return seeds;
        for (const double share : { 0.0, 1.0 / 3.0, 2.0 / 3.0 }) {
            const double start = share * usable;
            const auto tick = [&](double sec) { return std::int64_t(score.tempoMap.secondsToTick(sec)); };
            seeds.push_back(seedFromRange(score, tick(start), tick(start + kReplaySeedSec)));
        }
    } catch (const Error &) {
        seeds.clear(); // unreadable, or a window without notes: no seeds from this file
    }
    return seeds;
}

} // namespace

MemorizationMatch continuationCopy(const MemorizationIndex &index, const Score &generation)
{
    Score continuation = generation;
    continuation.notes.erase(std::remove_if(continuation.notes.begin(), continuation.notes.end(),
                                            [](const Note &note) { return note.part != kContinuationPart; }),
                             continuation.notes.end());
    return index.longestMatch(continuation);
}

ReplayCheck checkReplays(Model &model, const std::vector<std::filesystem::path> &files,
                         const MemorizationIndex &index, int threshold, JobContext &context)
{
    std::vector<Score> seeds;
    for (const std::filesystem::path &file : files) {
        const std::vector<Score> more = seedsOf(file);
        seeds.insert(seeds.end(), more.begin(), more.end());
    }
    if (int(seeds.size()) > kReplayMaxSeeds) { // evenly spaced over the files
        std::vector<Score> kept;
        for (int i = 0; i < kReplayMaxSeeds; ++i)
            kept.push_back(std::move(seeds[std::size_t(i) * seeds.size() / kReplayMaxSeeds]));
        seeds = std::move(kept);
    }
    GenerationSettings settings;
    settings.length = kReplaySeedSec;
    settings.unit = LengthUnit::Seconds;
    settings.rngSeed = 1;
    ReplayCheck check;
    QuietContext quiet(context);
    for (std::size_t i = 0; i < seeds.size() && !context.isCancelled(); ++i) {
        context.reportProgress(std::int64_t(i), std::int64_t(seeds.size()), "Checking for replayed pieces");
        Generation generation;
        try {
            generation = generateContinuations(model, seeds[i], settings, quiet);
        } catch (const GenerationError &) {
            continue; // a seed the model cannot read
        }
        const MemorizationMatch match = continuationCopy(index, generation.variations.front());
        ++check.continuations;
        check.replays += match.distinctNotes > std::size_t(threshold) ? 1 : 0;
        if (match.distinctNotes > check.longestCopy) {
            check.longestCopy = match.distinctNotes;
            check.file = match.file;
            check.bar = match.bar;
        }
    }
    return check;
}

} // namespace continuo
