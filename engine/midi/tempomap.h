// SPDX-License-Identifier: GPL-3.0-or-later
// Tick <-> second conversion across any number of tempo changes, or for SMPTE division.
#pragma once

#include "midi/smffile.h"

#include <cstdint>
#include <vector>

namespace continuo {

/// A tempo change: from `tick` on, a quarter note lasts `usPerQuarter` microseconds.
struct TempoChange
{
    std::int64_t tick = 0;
    std::uint32_t usPerQuarter = 500000;

    double bpm() const { return 60e6 / usPerQuarter; }
    bool operator==(const TempoChange &o) const { return tick == o.tick && usPerQuarter == o.usPerQuarter; }
};

/// Maps ticks to seconds and back. Without tempo events the SMF default of 120 bpm
/// (500 000 µs per quarter) applies. The computation is exact: elapsed time is accumulated as
/// an integer count of (ticks × µs per quarter), and only the final division is rounded.
/// Immutable after construction; safe to read from any thread.
class TempoMap
{
public:
    /// Ticks beyond this are treated as this (keeps the exact arithmetic inside 64 bits).
    static constexpr std::int64_t kMaxTick = std::int64_t(1) << 36;

    /// 120 bpm at 480 ticks per quarter.
    TempoMap();
    /// @param changes  tempo changes in any order; for equal ticks the last one given wins.
    /// @param ticksPerQuarter  > 0
    TempoMap(int ticksPerQuarter, std::vector<TempoChange> changes);
    /// A constant-rate map for SMPTE division; tempo events do not affect time.
    static TempoMap smpte(int framesPerSecond, int ticksPerFrame);

    int ticksPerQuarter() const { return m_ticksPerQuarter; }
    bool isSmpte() const { return m_smpteTicksPerSecond > 0; }
    /// Sorted, de-duplicated tempo changes; the first one is always at tick 0.
    const std::vector<TempoChange> &changes() const { return m_changes; }

    /// Seconds from tick 0 to `tick` (ticks >= 0).
    double tickToSeconds(std::int64_t tick) const;
    /// The same, starting the search at segment `hint` and leaving there the segment of `tick`:
    /// constant time when ticks are visited in order (converting a sorted list of notes).
    double tickToSeconds(std::int64_t tick, std::size_t &hint) const;
    /// The (fractional) tick at `timeSec` seconds; inverse of tickToSeconds.
    double secondsToTick(double timeSec) const;
    /// The tempo in effect at `tick`.
    std::uint32_t usPerQuarterAt(std::int64_t tick) const;

private:
    std::size_t segmentAt(std::int64_t tick) const;
    double secondsInSegment(std::size_t segment, std::int64_t tick) const;

    int m_ticksPerQuarter = 480;
    double m_smpteTicksPerSecond = 0.0;
    std::vector<TempoChange> m_changes;
    /// m_elapsed[i] = Σ over earlier segments of (segment ticks × µs per quarter): the time at
    /// m_changes[i].tick in units of 1 / (ticksPerQuarter × 1e6) seconds.
    std::vector<std::int64_t> m_elapsed;
};

} // namespace continuo
