// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/seedgrid.h"

#include "repr/grid.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace continuo {

namespace {

/// The mean distance of `steps` (in grid units) from the nearest multiple of 1/factor unit, in
/// those finer units.
double meanOffGrid(const std::vector<double> &steps, int factor)
{
    double sum = 0;
    for (const double step : steps) {
        const double fine = step * factor;
        sum += std::abs(fine - std::round(fine));
    }
    return sum / double(steps.size());
}

/// The steps between the distinct onsets of `seed`'s pitched notes, in grid units, leaving out
/// those under a quarter of a unit (a chord's notes played a little apart).
std::vector<double> onsetSteps(const Score &seed)
{
    std::set<std::int64_t> onsets;
    for (const Note &note : seed.notes)
        if (!note.isDrum())
            onsets.insert(note.startTick);
    std::vector<double> steps;
    for (auto it = onsets.begin(); it != onsets.end() && std::next(it) != onsets.end(); ++it) {
        const double units = double(*std::next(it) - *it) * grid::kUnitsPerQuarter / seed.ticksPerQuarter();
        if (units >= 0.25)
            steps.push_back(units);
    }
    return steps;
}

/// The mean distance of `steps` (grid units) from the nearest multiple of `played` units, in
/// those units; a step under half of `played` (a chord's notes played apart) counts as it is.
double meanOffPlayedSteps(const std::vector<double> &steps, int played)
{
    double sum = 0;
    for (const double step : steps) {
        const double inSteps = step / played;
        sum += std::abs(inSteps - std::round(inSteps));
    }
    return sum / double(steps.size());
}

} // namespace

Score snappedToPlayedSteps(const Score &seed)
{
    const std::vector<double> steps = onsetSteps(seed);
    if (steps.size() < 4 || meanOffGrid(steps, 1) <= kOnGridError)
        return seed;
    int played = 0;
    double best = kOnPlayedStepsError;
    for (const int candidate : { 3, 4 }) {
        const double off = meanOffPlayedSteps(steps, candidate);
        if (off <= best) {
            best = off;
            played = candidate;
        }
    }
    if (played == 0)
        return seed;
    const double stepTicks = double(played) * seed.ticksPerQuarter() / grid::kUnitsPerQuarter;
    Score result = seed;
    std::sort(result.notes.begin(), result.notes.end(),
              [](const Note &a, const Note &b) { return a.startTick < b.startTick; });
    double onsetPlayed = -1, onsetSnapped = 0; // where the latest onset was played, and where it goes
    for (Note &note : result.notes) {
        if (note.isDrum())
            continue;
        const double steps =
            onsetPlayed < 0 ? 0 : std::round((double(note.startTick) - onsetPlayed) / stepTicks);
        if (onsetPlayed < 0 || steps > 0) {
            onsetSnapped = onsetPlayed < 0 ? double(note.startTick) : onsetSnapped + steps * stepTicks;
            onsetPlayed = double(note.startTick);
        }
        const std::int64_t start = std::llround(onsetSnapped);
        note.endTick = start + note.durationTicks();
        note.startTick = start;
    }
    // A key struck twice in quick succession is one note once snapped.
    std::stable_sort(result.notes.begin(), result.notes.end(), [](const Note &a, const Note &b) {
        return std::tie(a.startTick, a.pitch) < std::tie(b.startTick, b.pitch);
    });
    result.notes.erase(std::unique(result.notes.begin(), result.notes.end(),
                                   [](const Note &a, const Note &b) {
                                       return a.startTick == b.startTick && a.pitch == b.pitch && !a.isDrum();
                                   }),
                       result.notes.end());
    for (const Note &note : result.notes)
        result.endTick = std::max(result.endTick, note.startTick + 1);
    result.sortEvents();
    result.updateSeconds();
    return result;
}

int seedGridFactor(const Score &seed)
{
    const int ticksPerQuarter = seed.ticksPerQuarter();
    if (seed.division.isSmpte || ticksPerQuarter % 2 != 0)
        return 1;
    const std::vector<double> steps = onsetSteps(seed);
    if (steps.empty())
        return 1;
    const bool offGrid = meanOffGrid(steps, 1) >= kOffGridError;
    const bool onFinerGrid = meanOffGrid(steps, 2) <= kOnFinerGridError;
    return offGrid && onFinerGrid ? 2 : 1;
}

Score readFiner(const Score &score, int factor)
{
    if (factor == 1)
        return score;
    Score result = score;
    result.division.ticksPerQuarter = score.division.ticksPerQuarter / factor;
    return result;
}

} // namespace continuo
