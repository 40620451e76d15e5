// SPDX-License-Identifier: GPL-3.0-or-later
// Exact tick <-> second conversion.
#include "midi/tempomap.h"

#include <algorithm>
#include <cmath>

namespace continuo {

TempoMap::TempoMap() : TempoMap(480, {}) { }

TempoMap::TempoMap(int ticksPerQuarter, std::vector<TempoChange> changes)
    : m_ticksPerQuarter(ticksPerQuarter > 0 ? ticksPerQuarter : 480)
{
    const auto byTick = [](const TempoChange &a, const TempoChange &b) { return a.tick < b.tick; };
    if (!std::is_sorted(changes.begin(), changes.end(), byTick))
        std::stable_sort(changes.begin(), changes.end(), byTick);
    // Canonical form: one change per tick (the last given wins), none that repeats the tempo
    // before it, the first at tick 0.
    std::vector<TempoChange> perTick { { 0, 500000 } };
    for (const TempoChange &change : changes) {
        if (change.usPerQuarter == 0 || change.tick < 0 || change.tick > kMaxTick)
            continue;
        if (change.tick == perTick.back().tick)
            perTick.back().usPerQuarter = change.usPerQuarter;
        else
            perTick.push_back(change);
    }
    for (const TempoChange &change : perTick)
        if (m_changes.empty() || change.usPerQuarter != m_changes.back().usPerQuarter)
            m_changes.push_back(change);
    m_elapsed.resize(m_changes.size(), 0);
    for (std::size_t i = 1; i < m_changes.size(); ++i) {
        const std::int64_t ticks = m_changes[i].tick - m_changes[i - 1].tick;
        m_elapsed[i] = m_elapsed[i - 1] + ticks * std::int64_t(m_changes[i - 1].usPerQuarter);
    }
}

TempoMap TempoMap::smpte(int framesPerSecond, int ticksPerFrame)
{
    TempoMap map;
    const double fps = framesPerSecond == 29 ? 29.97 : framesPerSecond;
    map.m_smpteTicksPerSecond = fps * ticksPerFrame;
    return map;
}

std::size_t TempoMap::segmentAt(std::int64_t tick) const
{
    const auto it = std::upper_bound(m_changes.begin(), m_changes.end(), tick,
                                     [](std::int64_t t, const TempoChange &c) { return t < c.tick; });
    return it == m_changes.begin() ? 0 : std::size_t(it - m_changes.begin()) - 1;
}

double TempoMap::secondsInSegment(std::size_t segment, std::int64_t tick) const
{
    tick = std::clamp<std::int64_t>(tick, 0, kMaxTick);
    const std::int64_t units =
        m_elapsed[segment] + (tick - m_changes[segment].tick) * std::int64_t(m_changes[segment].usPerQuarter);
    return double(units) / (double(m_ticksPerQuarter) * 1e6);
}

double TempoMap::tickToSeconds(std::int64_t tick) const
{
    if (isSmpte())
        return double(tick) / m_smpteTicksPerSecond;
    return secondsInSegment(segmentAt(tick), tick);
}

double TempoMap::tickToSeconds(std::int64_t tick, std::size_t &hint) const
{
    if (isSmpte())
        return double(tick) / m_smpteTicksPerSecond;
    tick = std::clamp<std::int64_t>(tick, 0, kMaxTick);
    const std::size_t last = m_changes.size() - 1;
    if (hint > last)
        hint = 0;
    // Note ends step back a little now and then (chords with different lengths): walk a few
    // segments, and search only when the tick is far away.
    for (int steps = 0; m_changes[hint].tick > tick; ++steps) {
        if (steps == 8) {
            hint = segmentAt(tick);
            break;
        }
        --hint;
    }
    while (hint < last && m_changes[hint + 1].tick <= tick)
        ++hint;
    return secondsInSegment(hint, tick);
}

double TempoMap::secondsToTick(double timeSec) const
{
    if (isSmpte())
        return timeSec * m_smpteTicksPerSecond;
    const double units = timeSec * double(m_ticksPerQuarter) * 1e6;
    const auto it = std::upper_bound(m_elapsed.begin(), m_elapsed.end(), units,
                                     [](double u, std::int64_t e) { return u < double(e); });
    const std::size_t i = it == m_elapsed.begin() ? 0 : std::size_t(it - m_elapsed.begin()) - 1;
    return double(m_changes[i].tick) + (units - double(m_elapsed[i])) / m_changes[i].usPerQuarter;
}

std::uint32_t TempoMap::usPerQuarterAt(std::int64_t tick) const
{
    return m_changes[segmentAt(tick)].usPerQuarter;
}

} // namespace continuo
