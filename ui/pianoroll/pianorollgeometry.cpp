// SPDX-License-Identifier: GPL-3.0-or-later
// Pixel mapping of the piano roll: tick <-> x, pitch <-> y, zoom, scroll, bar and beat lines, snapping.
#include "ui/pianoroll/pianorollgeometry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuo::ui {

PianoRollGeometry::PianoRollGeometry() { setTiming(480, {}); }

void PianoRollGeometry::setTiming(int ticksPerQuarter, const std::vector<TimeSignature> &timeSignatures)
{
    m_ticksPerQuarter = std::max(1, ticksPerQuarter);
    m_segments.clear();
    // 4/4 until the first time signature; of several at one tick the last wins (as Score reads them).
    const auto makeSegment = [this](std::int64_t tick, int numerator, int denominator) {
        Segment s;
        s.tick = tick;
        s.numerator = std::max(1, numerator);
        s.beatTicks =
            std::max<std::int64_t>(1, std::int64_t(m_ticksPerQuarter) * 4 / std::max(1, denominator));
        return s;
    };
    m_segments.push_back(makeSegment(0, 4, 4));
    for (const TimeSignature &ts : timeSignatures) {
        const std::int64_t tick = std::max<std::int64_t>(0, ts.tick);
        if (tick == m_segments.back().tick)
            m_segments.back() = makeSegment(tick, ts.numerator, ts.denominator);
        else if (tick > m_segments.back().tick)
            m_segments.push_back(makeSegment(tick, ts.numerator, ts.denominator));
    }
    // A change inside a bar cuts that bar short; the next bar starts at the change.
    for (std::size_t i = 1; i < m_segments.size(); ++i) {
        const Segment &prev = m_segments[i - 1];
        const std::int64_t barTicks = prev.beatTicks * prev.numerator;
        const std::int64_t bars = (m_segments[i].tick - prev.tick + barTicks - 1) / barTicks;
        m_segments[i].firstBar = prev.firstBar + int(bars);
    }
}

void PianoRollGeometry::setPixelsPerQuarter(double pixels)
{
    m_pixelsPerQuarter = std::clamp(pixels, kMinPixelsPerQuarter, kMaxPixelsPerQuarter);
}

void PianoRollGeometry::setPixelsPerKey(double pixels)
{
    m_pixelsPerKey = std::clamp(pixels, kMinPixelsPerKey, kMaxPixelsPerKey);
}

void PianoRollGeometry::setViewportSize(int widthPx, int heightPx)
{
    m_viewportWidth = std::max(0, widthPx);
    m_viewportHeight = std::max(0, heightPx);
}

int PianoRollGeometry::rollWidth() const { return std::max(0, m_viewportWidth - m_keyboardWidth); }

int PianoRollGeometry::rollHeight() const { return std::max(0, m_viewportHeight - m_rulerHeight); }

double PianoRollGeometry::tickToX(double tick) const
{
    return m_keyboardWidth + tick * pixelsPerTick() - m_scrollX;
}

double PianoRollGeometry::xToTick(double x) const
{
    return (x - m_keyboardWidth + m_scrollX) / pixelsPerTick();
}

double PianoRollGeometry::pitchToY(int pitch) const
{
    return m_rulerHeight + (kPitchCount - 1 - pitch) * m_pixelsPerKey - m_scrollY;
}

int PianoRollGeometry::yToPitch(double y) const
{
    const double row = std::floor((y - m_rulerHeight + m_scrollY) / m_pixelsPerKey);
    return kPitchCount - 1 - int(row);
}

std::int64_t PianoRollGeometry::firstVisibleTick() const
{
    return std::max<std::int64_t>(0, std::int64_t(std::floor(xToTick(m_keyboardWidth))));
}

std::int64_t PianoRollGeometry::lastVisibleTick() const
{
    return std::max<std::int64_t>(0, std::int64_t(std::ceil(xToTick(m_keyboardWidth + rollWidth()))));
}

int PianoRollGeometry::lowestVisiblePitch() const
{
    return std::clamp(yToPitch(m_rulerHeight + rollHeight() - 1e-6), 0, kPitchCount - 1);
}

int PianoRollGeometry::highestVisiblePitch() const
{
    return std::clamp(yToPitch(m_rulerHeight), 0, kPitchCount - 1);
}

void PianoRollGeometry::zoomHorizontally(double factor, double anchorX)
{
    const double tick = xToTick(anchorX);
    setPixelsPerQuarter(m_pixelsPerQuarter * factor);
    m_scrollX = tick * pixelsPerTick() - (anchorX - m_keyboardWidth);
}

void PianoRollGeometry::zoomVertically(double factor, double anchorY)
{
    const double row = (anchorY - m_rulerHeight + m_scrollY) / m_pixelsPerKey;
    setPixelsPerKey(m_pixelsPerKey * factor);
    m_scrollY = row * m_pixelsPerKey - (anchorY - m_rulerHeight);
}

std::size_t PianoRollGeometry::segmentAt(std::int64_t tick) const
{
    const auto after = std::upper_bound(m_segments.begin(), m_segments.end(), tick,
                                        [](std::int64_t t, const Segment &s) { return t < s.tick; });
    return after == m_segments.begin() ? 0 : std::size_t(after - m_segments.begin() - 1);
}

std::int64_t PianoRollGeometry::segmentEnd(std::size_t segment) const
{
    return segment + 1 < m_segments.size() ? m_segments[segment + 1].tick
                                           : std::numeric_limits<std::int64_t>::max();
}

std::vector<GridLine> PianoRollGeometry::gridLines(std::int64_t fromTick, std::int64_t toTick,
                                                   bool withBeats) const
{
    std::vector<GridLine> lines;
    fromTick = std::max<std::int64_t>(0, fromTick);
    for (std::size_t i = segmentAt(fromTick); i < m_segments.size() && m_segments[i].tick <= toTick; ++i) {
        const Segment &s = m_segments[i];
        const std::int64_t end = std::min(segmentEnd(i), toTick + 1);
        // Beats are counted from the segment start; with `withBeats` false, step a whole bar.
        const std::int64_t stepBeats = withBeats ? 1 : s.numerator;
        const std::int64_t step = s.beatTicks * stepBeats;
        std::int64_t k = fromTick > s.tick ? (fromTick - s.tick + step - 1) / step * stepBeats : 0;
        for (std::int64_t tick = s.tick + k * s.beatTicks; tick < end; k += stepBeats, tick += step)
            lines.push_back({ tick, s.firstBar + int(k / s.numerator), int(k % s.numerator) + 1 });
    }
    return lines;
}

std::int64_t PianoRollGeometry::beatTicksAt(std::int64_t tick) const
{
    return m_segments[segmentAt(tick)].beatTicks;
}

std::int64_t PianoRollGeometry::barTicksAt(std::int64_t tick) const
{
    const Segment &s = m_segments[segmentAt(tick)];
    return s.beatTicks * s.numerator;
}

std::int64_t PianoRollGeometry::snapToBeat(std::int64_t tick) const
{
    if (tick <= 0)
        return 0;
    const std::size_t i = segmentAt(tick);
    const Segment &s = m_segments[i];
    const std::int64_t before = s.tick + (tick - s.tick) / s.beatTicks * s.beatTicks;
    // The next segment's start is a bar line even when it cuts a beat short.
    const std::int64_t after = std::min(before + s.beatTicks, segmentEnd(i));
    return tick - before < after - tick ? before : after;
}

} // namespace continuo::ui
