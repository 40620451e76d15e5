// SPDX-License-Identifier: GPL-3.0-or-later
// Seeds: a range of a score, or a musically useful window picked at random from a corpus.
#pragma once

#include "score/score.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace continuo {

class JobContext;

/// Ticks where the bars of `score` begin, from tick 0 up to and including the first bar line at or
/// after `untilTick`. A time signature change starts a new bar.
std::vector<std::int64_t> barStartTicks(const Score &score, std::int64_t untilTick);

/// Units of a position in a score. Bars and beats count from 1 and may be fractional ("bar 3.5"
/// is half way through bar 3); beats are the meter's (a 6/8 bar has 6); seconds count from 0.
enum class TimeUnit { Bars, Beats, Seconds };
/// The tick at `position` in `unit`. Positions past the end continue in the last meter and tempo.
/// @throws GenerationError for a bar or beat before 1 or negative seconds.
std::int64_t tickAt(const Score &score, double position, TimeUnit unit);

/// The notes of `score` that start in [startTick, endTick), cut at endTick, moved to start at
/// tick 0, with the tempo, meter, key and sustain pedal in effect carried over. The seed ends at
/// endTick - startTick (so a rest at the end of the range is part of it). Parts are kept.
/// @throws GenerationError when the range is empty or no note starts in it.
Score seedFromRange(const Score &score, std::int64_t startTick, std::int64_t endTick);

/// The longest a seed may last: an hour. A file whose clock runs for days (a broken delta time
/// in a damaged file) would take hours to read as one.
constexpr double kMaxSeedSec = 3600.0;

/// @throws GenerationError, with a sentence that begins with `name` ("The seed", or one naming
/// its file), when `seed` lasts longer than kMaxSeedSec.
void requireSeedDuration(const Score &seed, const std::string &name = "The seed");

/// Seconds at the end of a seed whose mean tempo its continuation takes (seedWithSteadyPace).
constexpr double kSeedPaceWindowSec = 8.0;

/// `seed` with a tempo change at its end to its mean tempo over its last kSeedPaceWindowSec
/// seconds, so that a continuation goes on at the seed's pace rather than at its last tempo change
/// (in a performance's tempo map, the last value of a ritardando or a hurried bar). Unchanged when
/// the two are within 1% of each other, for an SMPTE division, or for an empty seed.
Score seedWithSteadyPace(const Score &seed);

/// How useful a window of a piece is as a seed: 0 when rejected (mostly silence, a single note or
/// chord repeated, fewer than 4 distinct pitches, fewer than 4 notes), else up to 1 (more distinct
/// pitches and fewer silent moments score higher). Drums are ignored.
double seedWindowScore(const Score &score, std::int64_t startTick, std::int64_t endTick);

struct CorpusSeed
{
    Score seed;
    std::filesystem::path file; ///< the piece it comes from
    int firstBar = 1; ///< 1-based bar of the piece where the seed starts
    int bars = 0;
};

/// Picks a window of `bars` whole bars from a MIDI file under `folder`: files are tried in an
/// order drawn from `rngSeed`, and from the first one with useful windows (seedWindowScore > 0,
/// never within the last two bars of the piece) one is drawn. The same folder contents and
/// rngSeed give the same window. Unreadable files are passed over. Reports progress in files.
/// @throws IoError if the folder cannot be read; GenerationError if no file has a useful window.
CorpusSeed randomSeedFromCorpus(const std::filesystem::path &folder, int bars, std::uint64_t rngSeed,
                                JobContext &context);

} // namespace continuo
