// SPDX-License-Identifier: GPL-3.0-or-later
// Infilling in the compound representation: the notes before a gap, then the notes known around it
// (kept inside it, and after it), then the notes of the gap, so that a left-to-right model that
// reads both sides writes the gap.
#pragma once

#include "repr/compound.h"
#include "repr/grid.h"

#include <cstdint>
#include <vector>

namespace continuo {

namespace compoundrepr {
/// Pitch token of the step that ends the notes before the gap: its time reaches the gap's start;
/// the known notes follow, timed from the gap's start.
constexpr int kFillMarker = kFirstReserved;
/// Pitch token of the step (time 0) after the known notes: the gap's notes follow, timed from the
/// gap's start again.
constexpr int kMiddleMarker = kFirstReserved + 1;
} // namespace compoundrepr

/// A note on the grid (onsets from the score's start) with its velocity bin, as compound steps hold it.
using InfillingNote = grid::GridNote;

/// The notes of compound steps, with onsets from `firstOnset`: waits move time on, holds lengthen
/// the note before them, marker steps are skipped (they still move time). Any thread.
std::vector<InfillingNote> notesOfCompoundSteps(const std::vector<CompoundStep> &steps,
                                                std::int64_t firstOnset = 0);

/// Steps of notes in (onset, pitch) order, the first timed from `origin` (<= its onset): waits for
/// gaps over kMaxTimeUnits, holds for notes over kMaxDurationUnits. Velocities are bins. Any thread.
std::vector<CompoundStep> compoundStepsFrom(std::vector<InfillingNote> notes, std::int64_t origin);

/// A gap [start, end) in grid units and the notes around it, as the model reads them.
struct InfillingLayout
{
    /// The notes before the gap; the kFillMarker step (its time from the last of them to the gap's
    /// start, after waits if needed); the known notes (timed from the gap's start); the
    /// kMiddleMarker step. What the model reads before it writes the gap.
    std::vector<CompoundStep> prompt;
    /// The gap's own notes, timed from its start: what the model learns, or is scored on, to write.
    std::vector<CompoundStep> middle;
};

/// Lays out `before` (onsets before `gapStart`), `known` (onsets at or after it: notes kept in the
/// gap and those after it) and `middle` (the gap's notes). Any thread.
InfillingLayout infillingLayout(const std::vector<InfillingNote> &before,
                                const std::vector<InfillingNote> &known,
                                const std::vector<InfillingNote> &middle, std::int64_t gapStart);

} // namespace continuo
