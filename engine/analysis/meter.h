// SPDX-License-Identifier: GPL-3.0-or-later
// Bars and beats from a score's time signatures: which bar a tick falls in, where it starts.
#pragma once

#include "score/score.h"

#include <cstdint>
#include <vector>

namespace continuo {

/// The bar holding a tick.
struct BarPosition
{
    int bar = 1; ///< 1-based bar number
    std::int64_t startTick = 0; ///< where the bar starts
    std::int64_t lengthTicks = 0; ///< how long it is under its time signature (> 0)
    TimeSignature timeSignature; ///< the signature in effect
    std::int64_t beatTicks() const; ///< one beat: a 1/denominator note (a quaver in 6/8)
};

/// The bar that holds `tick` (>= 0), counting bars from tick 0 under `timeSignatures` (sorted by
/// tick; none means 4/4; before the first one, 4/4). A time signature that does not fall on a bar
/// line starts a new bar there, as notation programs do. Any thread; never throws.
/// @param ticksPerQuarter  the score's ticks per quarter note (> 0)
BarPosition barAt(const std::vector<TimeSignature> &timeSignatures, int ticksPerQuarter, std::int64_t tick);

/// barAt() with the score's own time signatures and division.
BarPosition barAt(const Score &score, std::int64_t tick);

} // namespace continuo
