// SPDX-License-Identifier: GPL-3.0-or-later
#include "repr/grid.h"

#include <cmath>

namespace continuo::grid {

Score decodedScore()
{
    Score score;
    score.division.ticksPerQuarter = kDecodeTicksPerQuarter;
    score.tempoMap = TempoMap(kDecodeTicksPerQuarter, {});
    score.parts.push_back(Part { "Piano", "", -1, false });
    return score;
}

std::int64_t toGrid(std::int64_t tick, int ticksPerQuarter)
{
    return std::llround(double(tick) * kUnitsPerQuarter / ticksPerQuarter);
}

std::vector<GridNote> gridNotes(const Score &score, GridCounts &counts)
{
    const int tpq = score.ticksPerQuarter();
    std::vector<GridNote> notes;
    notes.reserve(score.notes.size());
    for (const Note &note : score.notes) {
        if (note.isDrum()) {
            ++counts.drumNotes;
            continue;
        }
        const std::int64_t onset = toGrid(note.startTick, tpq);
        std::int64_t duration = toGrid(note.endTick, tpq) - onset;
        if (duration < 1) {
            duration = 1;
            ++counts.lengthenedNotes;
        }
        notes.push_back({ onset, duration, note.pitch, note.velocity });
    }
    return notes;
}

} // namespace continuo::grid
