// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/seedgrid.h"

#include "repr/grid.h"

#include <algorithm>
#include <cmath>
#include <set>

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

} // namespace

int seedGridFactor(const Score &seed)
{
    const int ticksPerQuarter = seed.ticksPerQuarter();
    if (seed.division.isSmpte || ticksPerQuarter % 2 != 0)
        return 1;
    std::set<std::int64_t> onsets;
    for (const Note &note : seed.notes)
        if (!note.isDrum())
            onsets.insert(note.startTick);
    std::vector<double> steps;
    for (auto it = onsets.begin(); it != onsets.end() && std::next(it) != onsets.end(); ++it) {
        const double units = double(*std::next(it) - *it) * grid::kUnitsPerQuarter / ticksPerQuarter;
        if (units >= 0.25)
            steps.push_back(units);
    }
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
