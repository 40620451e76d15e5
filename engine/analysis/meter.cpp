// SPDX-License-Identifier: GPL-3.0-or-later
// Bar arithmetic: walk the time signatures segment by segment, each a run of equal bars.
#include "analysis/meter.h"

#include <algorithm>

namespace continuo {

namespace {

std::int64_t barTicks(const TimeSignature &ts, int ticksPerQuarter)
{
    // numerator beats of a 1/denominator note: numerator * 4 / denominator quarters.
    const std::int64_t ticks = std::int64_t(ts.numerator) * 4 * ticksPerQuarter / std::max(1, ts.denominator);
    return std::max<std::int64_t>(1, ticks);
}

} // namespace

std::int64_t BarPosition::beatTicks() const
{
    return std::max<std::int64_t>(1, lengthTicks / std::max(1, timeSignature.numerator));
}

BarPosition barAt(const std::vector<TimeSignature> &timeSignatures, int ticksPerQuarter, std::int64_t tick)
{
    ticksPerQuarter = std::max(1, ticksPerQuarter);
    tick = std::max<std::int64_t>(0, tick);
    TimeSignature current; // 4/4 from tick 0
    std::int64_t segmentStart = 0;
    int segmentFirstBar = 1;
    for (const TimeSignature &next : timeSignatures) {
        if (next.tick > tick)
            break;
        if (next.tick <= segmentStart) { // at the start of the segment: it replaces the signature
            current = next;
            current.tick = segmentStart;
            continue;
        }
        const std::int64_t length = barTicks(current, ticksPerQuarter);
        // Bars of the old signature up to the change; a partial bar before it counts as one.
        segmentFirstBar += int((next.tick - segmentStart + length - 1) / length);
        segmentStart = next.tick;
        current = next;
    }
    BarPosition position;
    position.timeSignature = current;
    position.lengthTicks = barTicks(current, ticksPerQuarter);
    const std::int64_t barsIn = (tick - segmentStart) / position.lengthTicks;
    position.bar = segmentFirstBar + int(barsIn);
    position.startTick = segmentStart + barsIn * position.lengthTicks;
    return position;
}

BarPosition barAt(const Score &score, std::int64_t tick)
{
    return barAt(score.timeSignatures, score.ticksPerQuarter(), tick);
}

} // namespace continuo
