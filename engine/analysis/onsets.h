// SPDX-License-Identifier: GPL-3.0-or-later
// The onsets of a score on a musical grid: the common ground of the statistics, the memorization
// check and the theory notes.
#pragma once

#include "score/score.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace continuo {

/// Onsets are grouped on a grid of 1/12 quarter note (sixteenths and triplets, as the notes
/// representation), so that a chord played a few ticks apart is one onset.
constexpr int kOnsetGridPerQuarter = 12;

/// The notes that start together (on the same grid point).
struct Onset
{
    std::int64_t gridUnit = 0; ///< onset in 1/kOnsetGridPerQuarter quarters from tick 0
    std::int64_t tick = 0; ///< onset of its first note, in the score's ticks
    int highestPitch = 0; ///< the top note: the melody, for most keyboard music
    std::size_t highestNote = 0; ///< index of that note in Score::notes
    int noteCount = 0; ///< pitched notes starting here
};

/// A tick on the onset grid (rounded to the nearest grid point). Any thread.
std::int64_t onsetGridUnit(std::int64_t tick, int ticksPerQuarter);

/// The onsets of the score's non-drum notes, in time order (drum notes are left out). Any thread;
/// never throws.
std::vector<Onset> onsetsOf(const Score &score);

} // namespace continuo
