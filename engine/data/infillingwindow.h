// SPDX-License-Identifier: GPL-3.0-or-later
// Training windows rewritten as infilling examples (repr/infilling.h), for a model that fills gaps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace continuo {

/// Rewrites a training window of `stepCount` flattened compound steps, in place, as an infilling
/// example of the same length: a gap of one to four bars' worth of quarters (12 to 192 units) that
/// starts between a quarter and half-way through its notes; in three windows of ten the notes of
/// one voice inside it (above or below its middle pitch, or the top note of each onset) are kept
/// and only the others are to be written. The known notes after the gap, then the earliest notes
/// before it, are left out to fit. False, leaving the window as it was, when it holds too few notes
/// or no layout fits. Deterministic for a given `rng` state.
bool makeInfillingWindow(std::int32_t *tokens, std::size_t stepCount, std::mt19937_64 &rng);

} // namespace continuo
