// SPDX-License-Identifier: GPL-3.0-or-later
// Pixel mapping of the piano roll: tick <-> x, pitch <-> y, zoom, scroll, bar and beat lines, snapping.
#pragma once

#include "score/score.h"

#include <cstdint>
#include <vector>

namespace continuo::ui {

/// One line of the piano roll's grid: a bar line or a beat line inside a bar.
struct GridLine
{
    std::int64_t tick = 0;
    int bar = 1; ///< 1-based bar number
    int beat = 1; ///< 1-based beat in the bar; beat 1 is the bar line
    bool isBar() const { return beat == 1; }
};

/// The piano roll's coordinate system, as a plain value with no widget behind it.
///
/// The viewport is laid out as
///
///     +----------+--------------------------------+
///     | corner   | ruler             rulerHeight  |
///     +----------+--------------------------------+
///     | keyboard | roll: ticks to the right,      |
///     | keyboard | pitch 127 at the top           |
///     +----------+--------------------------------+
///      keyboardWidth
///
/// x and y are viewport pixels. Horizontal zoom is pixels per quarter note, vertical zoom pixels
/// per key (the height of one pitch row). Scroll offsets are the roll-content pixels hidden to
/// the left of and above the roll. A beat is one unit of the time signature's denominator (a
/// quarter in 3/4, an eighth in 6/8); a time-signature change starts a new bar.
/// Not thread-safe; cheap to copy.
class PianoRollGeometry
{
public:
    static constexpr int kPitchCount = 128;
    static constexpr double kMinPixelsPerQuarter = 0.02;
    static constexpr double kMaxPixelsPerQuarter = 2000.0;
    static constexpr double kMinPixelsPerKey = 3.0;
    static constexpr double kMaxPixelsPerKey = 64.0;

    PianoRollGeometry();

    /// Sets the timing base (ticks per quarter, clamped to >= 1) and the meter: time signatures
    /// in tick order, as in Score::timeSignatures (empty means 4/4 throughout).
    void setTiming(int ticksPerQuarter, const std::vector<TimeSignature> &timeSignatures);
    /// Takes the timing of `score` (Score::ticksPerQuarter and Score::timeSignatures).
    void setTiming(const Score &score) { setTiming(score.ticksPerQuarter(), score.timeSignatures); }
    int ticksPerQuarter() const { return m_ticksPerQuarter; }

    double pixelsPerQuarter() const { return m_pixelsPerQuarter; }
    /// Clamped to [kMinPixelsPerQuarter, kMaxPixelsPerQuarter].
    void setPixelsPerQuarter(double pixels);
    double pixelsPerTick() const { return m_pixelsPerQuarter / m_ticksPerQuarter; }
    double pixelsPerKey() const { return m_pixelsPerKey; }
    /// Clamped to [kMinPixelsPerKey, kMaxPixelsPerKey].
    void setPixelsPerKey(double pixels);

    double scrollX() const { return m_scrollX; }
    void setScrollX(double pixels) { m_scrollX = pixels; }
    double scrollY() const { return m_scrollY; }
    void setScrollY(double pixels) { m_scrollY = pixels; }

    int keyboardWidth() const { return m_keyboardWidth; }
    void setKeyboardWidth(int pixels) { m_keyboardWidth = pixels; }
    int rulerHeight() const { return m_rulerHeight; }
    void setRulerHeight(int pixels) { m_rulerHeight = pixels; }
    int viewportWidth() const { return m_viewportWidth; }
    int viewportHeight() const { return m_viewportHeight; }
    void setViewportSize(int widthPx, int heightPx);
    /// Size of the roll area (the viewport less the keyboard and the ruler), >= 0.
    int rollWidth() const;
    int rollHeight() const;

    /// x of `tick` (fractional ticks allowed).
    double tickToX(double tick) const;
    /// The (fractional) tick at `x`; inverse of tickToX.
    double xToTick(double x) const;
    /// y of the top edge of `pitch`'s row; the row is pixelsPerKey() high.
    double pitchToY(int pitch) const;
    /// The pitch whose row contains `y`; may lie outside 0..127 above or below the keyboard.
    int yToPitch(double y) const;
    /// Height of all 128 rows in pixels.
    double contentHeight() const { return kPitchCount * m_pixelsPerKey; }

    /// The tick range [first, last] the roll area shows, clamped at tick 0.
    std::int64_t firstVisibleTick() const;
    std::int64_t lastVisibleTick() const;
    /// The pitch range [lowest, highest] with a row at least partly in the roll area, within 0..127.
    int lowestVisiblePitch() const;
    int highestVisiblePitch() const;

    /// Multiplies the horizontal zoom by `factor`, keeping the tick under `anchorX` in place.
    void zoomHorizontally(double factor, double anchorX);
    /// Multiplies the vertical zoom by `factor`, keeping the pitch position under `anchorY` in place.
    void zoomVertically(double factor, double anchorY);

    /// Bar and beat lines with fromTick <= tick <= toTick, in tick order. With `withBeats`
    /// false only the bar lines.
    std::vector<GridLine> gridLines(std::int64_t fromTick, std::int64_t toTick, bool withBeats = true) const;
    /// Length in ticks of a beat and of a bar under the time signature in effect at `tick`.
    std::int64_t beatTicksAt(std::int64_t tick) const;
    std::int64_t barTicksAt(std::int64_t tick) const;
    /// The beat line nearest to `tick` (ties go to the later one); ticks below 0 snap to 0.
    std::int64_t snapToBeat(std::int64_t tick) const;

private:
    /// A stretch of constant meter: from `tick` up to the next segment's tick.
    struct Segment
    {
        std::int64_t tick = 0;
        int numerator = 4;
        std::int64_t beatTicks = 480;
        int firstBar = 1; ///< bar number of the bar that starts at `tick`
    };
    std::size_t segmentAt(std::int64_t tick) const;
    std::int64_t segmentEnd(std::size_t segment) const;

    int m_ticksPerQuarter = 480;
    std::vector<Segment> m_segments;
    double m_pixelsPerQuarter = 40.0;
    double m_pixelsPerKey = 12.0;
    double m_scrollX = 0.0;
    double m_scrollY = 0.0;
    int m_keyboardWidth = 56;
    int m_rulerHeight = 26;
    int m_viewportWidth = 800;
    int m_viewportHeight = 600;
};

} // namespace continuo::ui
