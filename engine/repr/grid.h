// SPDX-License-Identifier: GPL-3.0-or-later
// The 1/12-quarter grid that the notes and compound representations quantize a score to.
#pragma once

#include "score/score.h"

#include <cstdint>
#include <vector>

namespace continuo::grid {

constexpr int kUnitsPerQuarter = 12; ///< 1/12 quarter: sixteenths and triplets

/// A non-drum note on the grid.
struct GridNote
{
    std::int64_t onset; ///< grid units from the score's start
    std::int64_t duration; ///< grid units, at least 1
    int pitch;
    int velocity;
};

/// What quantizing changed.
struct GridCounts
{
    std::size_t drumNotes = 0; ///< percussion notes left out
    std::size_t lengthenedNotes = 0; ///< notes shorter than half a grid unit, lengthened to one
};

constexpr int kDecodeTicksPerQuarter = 480; ///< the resolution of decoded scores
constexpr int kDecodeTicksPerUnit = kDecodeTicksPerQuarter / kUnitsPerQuarter;

/// An empty one-part score at kDecodeTicksPerQuarter and 120 bpm, for a representation to decode into.
Score decodedScore();

/// The nearest grid unit to `tick`.
std::int64_t toGrid(std::int64_t tick, int ticksPerQuarter);

/// The score's non-drum notes on the grid (written durations; the sustain pedal is not applied), in
/// the score's order. Any thread. Never throws.
std::vector<GridNote> gridNotes(const Score &score, GridCounts &counts);

} // namespace continuo::grid
