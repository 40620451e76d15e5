// SPDX-License-Identifier: GPL-3.0-or-later
// The position in the beat of compound steps: what a beat-phase Transformer reads beside each step.
#pragma once

#include "repr/compound.h"

#include <cstddef>
#include <cstdint>

namespace continuo::beatphase {

/// Positions in the beat (a quarter note) on the compound grid: 0 on the beat, 6 half-way.
constexpr int kPhases = compoundrepr::kGridPerQuarter;

/// A beat-phase network counts each step's position in the beat from the first step of what it
/// reads: the running sum of the steps' times, the first one's included, modulo kPhases. So the
/// first step's time must count from a beat: from the start of the piece (whose tick 0 is a beat),
/// or, where the sequence starts inside a piece, its onset's position in the beat (only the later
/// steps' times are predicted, never the first one's). Where that is not known (a seed cut anywhere
/// or played without a click), the network finds it (nn/internal/transformernet.h).

/// The onset of step `step` in grid units from the start of flattened compound steps.
template <typename Int> std::int64_t onsetOfStep(const Int *steps, std::size_t step)
{
    std::int64_t onset = 0;
    for (std::size_t i = 0; i <= step; ++i)
        onset += steps[i * compoundrepr::kHeads];
    return onset;
}

} // namespace continuo::beatphase
