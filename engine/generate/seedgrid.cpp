// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/seedgrid.h"

#include "repr/grid.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace continuo {

namespace {

/// The mean distance of `steps` from the nearest multiple of `unit`, in units (0 to 0.5).
double meanOffMultiples(const std::vector<double> &steps, double unit)
{
    double sum = 0;
    for (const double step : steps) {
        const double units = step / unit;
        sum += std::abs(units - std::round(units));
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

/// The step, in grid units, that a person played `steps` in (3: sixteenths, 4: triplet eighths),
/// or 0 when they are on the grid already, or on neither.
int playedStep(const std::vector<double> &steps)
{
    if (steps.size() < 4 || meanOffMultiples(steps, 1) <= kOnGridError)
        return 0;
    int played = 0;
    double closest = kOnPlayedStepsError;
    for (const int step : { 3, 4 }) {
        const double off = meanOffMultiples(steps, step);
        if (off <= closest) {
            closest = off;
            played = step;
        }
    }
    return played;
}

/// Moves the onsets of `notes` (pitched ones; in order of onset) onto multiples of `stepTicks`,
/// each counted from the onset before it, then all of them so that the last onset stays where it
/// was played (where the continuation goes on from).
void snapOnsets(std::vector<Note> &notes, double stepTicks)
{
    std::vector<double> snapped(notes.size());
    double onsetPlayed = -1, onsetSnapped = 0; // the latest onset, as played and as snapped
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const auto played = double(notes[i].startTick);
        if (notes[i].isDrum()) {
            snapped[i] = played;
            continue;
        }
        const double steps = onsetPlayed < 0 ? 0 : std::round((played - onsetPlayed) / stepTicks);
        if (onsetPlayed < 0 || steps > 0) {
            onsetSnapped = onsetPlayed < 0 ? played : onsetSnapped + steps * stepTicks;
            onsetPlayed = played;
        }
        snapped[i] = onsetSnapped;
    }
    const double shift = onsetPlayed - onsetSnapped;
    for (std::size_t i = 0; i < notes.size(); ++i) {
        if (notes[i].isDrum())
            continue;
        const std::int64_t start = std::max<std::int64_t>(0, std::llround(snapped[i] + shift));
        notes[i].endTick = start + notes[i].durationTicks();
        notes[i].startTick = start;
    }
}

} // namespace

Score snappedToPlayedSteps(const Score &seed)
{
    const int played = playedStep(onsetSteps(seed));
    if (played == 0)
        return seed;
    Score result = seed;
    std::stable_sort(result.notes.begin(), result.notes.end(),
                     [](const Note &a, const Note &b) { return a.startTick < b.startTick; });
    snapOnsets(result.notes, double(played) * seed.ticksPerQuarter() / grid::kUnitsPerQuarter);
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
    const bool offGrid = meanOffMultiples(steps, 1) >= kOffGridError;
    const bool onFinerGrid = meanOffMultiples(steps, 0.5) <= kOnFinerGridError;
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
