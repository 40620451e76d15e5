// SPDX-License-Identifier: GPL-3.0-or-later
// After fine-tuning on a few pieces: does the model write music, or play those pieces back?
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace continuo {

class JobContext;
class MemorizationIndex;
class Model;
struct MemorizationMatch;
struct Score;

/// The model's own continuations of seeds from its training files, checked against those files.
struct ReplayCheck
{
    int continuations = 0; ///< checked
    int replays = 0; ///< that share a run of more than the threshold's distinct notes with a file
    std::size_t longestCopy = 0; ///< distinct notes of the longest run shared with a training file
    std::string file; ///< where that run is
    int bar = 0; ///< and its first bar there (from 1)

    /// More than half the continuations replay a training file.
    bool mostlyReplays() const { return continuations > 0 && 2 * replays > continuations; }
};

/// The most distinctive run the continuation part of a generation's score (kContinuationPart)
/// shares with a file of `index` (MemorizationIndex::longestMatch). Any thread.
MemorizationMatch continuationCopy(const MemorizationIndex &index, const Score &generation);

/// Seconds of each seed and of each continuation in checkReplays.
constexpr double kReplaySeedSec = 8.0;
/// At most this many seeds are continued, spread over the files.
constexpr int kReplayMaxSeeds = 24;
/// A continuation sharing a run of more distinct notes than this with a training file replays it
/// (bench continuation's default threshold).
constexpr int kReplayThreshold = 16;

/// Continues seeds of kReplaySeedSec seconds taken at the start, a third and two thirds of each of
/// `files` (those long enough; at most kReplayMaxSeeds) for kReplaySeedSec seconds, with the app's
/// default sampling, and checks each continuation against `index` (the memorization index of the
/// same files): a continuation that shares a run of more than `threshold` distinct notes with one
/// of them replays it. Unreadable files are passed over. Checks context.isCancelled() between
/// seeds. Call on a job's worker thread.
ReplayCheck checkReplays(Model &model, const std::vector<std::filesystem::path> &files,
                         const MemorizationIndex &index, int threshold, JobContext &context);

} // namespace continuo
