// SPDX-License-Identifier: GPL-3.0-or-later
// Grouping notes by grid onset.
#include "analysis/onsets.h"

#include <algorithm>

namespace continuo {

std::int64_t onsetGridUnit(std::int64_t tick, int ticksPerQuarter)
{
    const std::int64_t tpq = std::max(1, ticksPerQuarter);
    const std::int64_t scaled = tick * kOnsetGridPerQuarter;
    // Round half up, also for negative ticks (floor division).
    const std::int64_t shifted = scaled + tpq / 2;
    return shifted >= 0 ? shifted / tpq : -((-shifted + tpq - 1) / tpq);
}

std::vector<Onset> onsetsOf(const Score &score)
{
    std::vector<Onset> onsets;
    const int tpq = score.ticksPerQuarter();
    for (std::size_t i = 0; i < score.notes.size(); ++i) {
        const Note &note = score.notes[i];
        if (note.isDrum())
            continue;
        const std::int64_t unit = onsetGridUnit(note.startTick, tpq);
        // Notes are sorted by onset, so grid units never decrease.
        if (onsets.empty() || onsets.back().gridUnit != unit) {
            Onset onset;
            onset.gridUnit = unit;
            onset.tick = note.startTick;
            onset.highestPitch = note.pitch;
            onset.highestNote = i;
            onsets.push_back(onset);
        }
        Onset &onset = onsets.back();
        ++onset.noteCount;
        if (note.pitch > onset.highestPitch) {
            onset.highestPitch = note.pitch;
            onset.highestNote = i;
        }
    }
    return onsets;
}

} // namespace continuo
