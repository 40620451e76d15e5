// SPDX-License-Identifier: GPL-3.0-or-later
// The piano roll: keyboard, ruler, bar/beat grid, notes by role, playhead, time-range selection.
#include "ui/pianoroll/pianorollview.h"

#include "score/summary.h"

#include <QFontMetrics>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>

namespace continuo::ui {

namespace {

constexpr int kKeyboardWidth = 56;
constexpr int kRulerHeight = 26;
constexpr double kZoomStep = 1.25; ///< one wheel notch or one Ctrl+= / Ctrl+-
constexpr double kEdgeGrabPx = 5.0; ///< how close to a selection edge a press grabs it
constexpr double kFitFill = 0.97; ///< fitToWindow leaves this much of the roll's width to the score
constexpr int kFitPitchMargin = 2; ///< rows fitToWindow shows above the highest and below the lowest note
constexpr int kHorizontalStepPx = 20;
constexpr int kVelocityLevels = 8; ///< shades of one role's colour, soft to loud
constexpr int kRoleCount = 3;
/// Up to this many notes in view are drawn as anti-aliased rounded rectangles with an outline;
/// beyond it, as plain filled rectangles batched by colour (see paintNotes).
constexpr int kRoundedNoteLimit = 4000;

// A dark theme. Rows of black keys are a shade darker than rows of white keys; bar lines are
// brighter than beat lines.
const QColor kOutside(0x17, 0x18, 0x1b);
const QColor kWhiteRow(0x26, 0x28, 0x2d);
const QColor kBlackRow(0x1f, 0x21, 0x25);
const QColor kOctaveLine(0x33, 0x36, 0x3d);
const QColor kBeatLine(0x31, 0x34, 0x3b);
const QColor kBarLine(0x52, 0x57, 0x61);
const QColor kRulerBackground(0x2c, 0x2e, 0x34);
const QColor kRulerText(0xc9, 0xcc, 0xd3);
const QColor kRulerTick(0x70, 0x75, 0x7f);
const QColor kWhiteKey(0xec, 0xed, 0xef);
const QColor kBlackKey(0x2a, 0x2c, 0x31);
const QColor kKeyLine(0xb0, 0xb3, 0xba);
const QColor kKeyLabel(0x55, 0x59, 0x61);
const QColor kSelectionFill(255, 255, 255, 20);
const QColor kSelectionEdge(140, 210, 255, 220);
const QColor kRulerSelection(80, 160, 235, 120);
const QColor kPlayhead(0x37, 0xd6, 0x7a);
const QColor kHighlightFill(255, 70, 70, 34);
const QColor kHighlightEdge(255, 90, 90, 200);
const QColor kMarkedOutline(0xff, 0xd1, 0x66);
const QColor kLabelText(0xe6, 0xe8, 0xec);
const QColor kLabelBackground(0x17, 0x18, 0x1b, 190);
const std::array<QColor, kRoleCount> kRoleColours = {
    QColor(0x4c, 0x9b, 0xff), // NoteRole::Seed: blue
    QColor(0xff, 0x9a, 0x3c), // NoteRole::Generated: orange
    QColor(0xa6, 0xad, 0xbb), // NoteRole::Other: grey
};

bool isBlackKey(int pitch)
{
    const int pc = pitch % 12;
    return pc == 1 || pc == 3 || pc == 6 || pc == 8 || pc == 10;
}

QColor mix(const QColor &from, const QColor &to, double amount)
{
    return QColor::fromRgbF(float(from.redF() + (to.redF() - from.redF()) * amount),
                            float(from.greenF() + (to.greenF() - from.greenF()) * amount),
                            float(from.blueF() + (to.blueF() - from.blueF()) * amount));
}

/// The fill of a note of `role` at velocity level `level` (0..kVelocityLevels-1): soft notes
/// lean towards the row colour, loud ones are the role's full colour. Opaque, so overlapping
/// notes need no blending.
QColor noteFill(int role, int level)
{
    return mix(kWhiteRow, kRoleColours[std::size_t(role)], 0.35 + 0.65 * (level + 1) / kVelocityLevels);
}

int velocityLevel(int velocity)
{
    return std::clamp((velocity - 1) * kVelocityLevels / 127, 0, kVelocityLevels - 1);
}

/// Rounds to the nearest pixel for coordinates above -32768; much cheaper than std::lround,
/// which is a library call, in the per-note loop.
inline int toPixel(double v) { return int(v + 32768.5) - 32768; }

/// Smallest power of two k with k * spacing >= minSpacing: draw every k-th line or label.
int thinningStep(double spacing, double minSpacing)
{
    int k = 1;
    while (k < (1 << 20) && k * spacing < minSpacing)
        k *= 2;
    return k;
}

} // namespace

PianoRollView::PianoRollView(QWidget *parent) : QAbstractScrollArea(parent)
{
    m_geometry.setKeyboardWidth(kKeyboardWidth);
    m_geometry.setRulerHeight(kRulerHeight);
    // Open around middle C: C6 (84) in the top row.
    m_geometry.setScrollY((PianoRollGeometry::kPitchCount - 1 - 84) * m_geometry.pixelsPerKey());
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    // paintEvent covers every pixel, so Qt need not clear the background first.
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    viewport()->setMouseTracking(true);
    applyGeometryScroll();
}

PianoRollView::~PianoRollView() = default;

QSize PianoRollView::sizeHint() const { return { 960, 520 }; }

QSize PianoRollView::minimumSizeHint() const { return { kKeyboardWidth + 160, kRulerHeight + 120 }; }

void PianoRollView::setScore(const Score &score)
{
    m_notes.setNotes(score.notes);
    m_geometry.setTiming(score);
    m_timeSignatures = score.timeSignatures;
    m_scoreEndTick = std::max(score.endTick, m_notes.endTick());
    applyGeometryScroll();
    viewport()->update();
}

void PianoRollView::setPartRole(int part, NoteRole role)
{
    if (part < 0)
        return;
    if (std::size_t(part) >= m_partRoles.size())
        m_partRoles.resize(std::size_t(part) + 1, NoteRole::Other);
    m_partRoles[std::size_t(part)] = role;
    viewport()->update();
}

NoteRole PianoRollView::partRole(int part) const
{
    return part >= 0 && std::size_t(part) < m_partRoles.size() ? m_partRoles[std::size_t(part)]
                                                               : NoteRole::Other;
}

void PianoRollView::setSelection(TickRange range)
{
    if (range.isEmpty())
        range = {};
    range.startTick = std::max<std::int64_t>(0, range.startTick);
    if (range == m_selection)
        return;
    m_selection = range;
    viewport()->update();
    Q_EMIT selectionChanged(m_selection.startTick, m_selection.endTick);
}

void PianoRollView::setPlayheadTick(std::int64_t tick)
{
    tick = std::max<std::int64_t>(-1, tick);
    if (tick == m_playheadTick)
        return;
    const std::int64_t old = m_playheadTick;
    m_playheadTick = tick;
    if (tick > m_scoreEndTick)
        updateScrollBars(); // the scrollable width reaches past the score to the playhead
    if (m_followPlayhead && tick >= 0) {
        // Page along: once the playhead leaves the view, or nears its right edge, put it near the left.
        const double x = m_geometry.tickToX(double(tick));
        const int rollW = m_geometry.rollWidth();
        if (x < m_geometry.keyboardWidth() || x > m_geometry.keyboardWidth() + 0.9 * rollW) {
            m_geometry.setScrollX(double(tick) * m_geometry.pixelsPerTick() - 0.1 * rollW);
            applyGeometryScroll();
            viewport()->update();
            return;
        }
    }
    // Repaint only the strips of the old and the new playhead (the ruler marker is wider than the line).
    for (const std::int64_t t : { old, tick }) {
        if (t >= 0)
            viewport()->update(
                QRect(int(std::floor(m_geometry.tickToX(double(t)))) - 6, 0, 13, viewport()->height()));
    }
}

void PianoRollView::zoomHorizontally(double factor, double anchorX)
{
    m_geometry.zoomHorizontally(factor, anchorX);
    applyGeometryScroll();
    viewport()->update();
}

void PianoRollView::zoomVertically(double factor, double anchorY)
{
    m_geometry.zoomVertically(factor, anchorY);
    applyGeometryScroll();
    viewport()->update();
}

void PianoRollView::zoomIn()
{
    zoomHorizontally(kZoomStep, m_geometry.keyboardWidth() + m_geometry.rollWidth() / 2.0);
}

void PianoRollView::zoomOut()
{
    zoomHorizontally(1.0 / kZoomStep, m_geometry.keyboardWidth() + m_geometry.rollWidth() / 2.0);
}

void PianoRollView::fitToWindow()
{
    m_geometry.setViewportSize(viewport()->width(), viewport()->height());
    const int rollW = m_geometry.rollWidth();
    const int rollH = m_geometry.rollHeight();
    if (rollW <= 0 || rollH <= 0)
        return;
    std::int64_t endTick = std::max(m_scoreEndTick, m_notes.endTick());
    if (endTick <= 0)
        endTick = 16 * m_geometry.barTicksAt(0);
    m_geometry.setPixelsPerQuarter(kFitFill * rollW * m_geometry.ticksPerQuarter() / double(endTick));
    m_geometry.setScrollX(0.0);

    int low = 48, high = 84; // an empty score shows three octaves around middle C
    if (!m_notes.isEmpty()) {
        low = std::max(0, m_notes.lowestPitch() - kFitPitchMargin);
        high = std::min(PianoRollGeometry::kPitchCount - 1, m_notes.highestPitch() + kFitPitchMargin);
    }
    m_geometry.setPixelsPerKey(double(rollH) / (high - low + 1));
    // Centre the pitch range: it fills the height unless the zoom limit made the rows taller.
    const double middleRow = (PianoRollGeometry::kPitchCount - 1 - high) + (high - low + 1) / 2.0;
    m_geometry.setScrollY(middleRow * m_geometry.pixelsPerKey() - rollH / 2.0);
    applyGeometryScroll();
    viewport()->update();
}

std::int64_t PianoRollView::contentEndTick() const
{
    std::int64_t end = std::max({ m_scoreEndTick, m_notes.endTick(), m_selection.endTick, m_playheadTick });
    if (end <= 0)
        return 16 * m_geometry.barTicksAt(0);
    // One bar of room after the end, to select up to it comfortably.
    return end + m_geometry.barTicksAt(end);
}

void PianoRollView::updateScrollBars()
{
    m_geometry.setViewportSize(viewport()->width(), viewport()->height());
    const int rollW = m_geometry.rollWidth();
    const int rollH = m_geometry.rollHeight();
    const double widthPx = std::min(double(INT_MAX / 2), contentEndTick() * m_geometry.pixelsPerTick());
    horizontalScrollBar()->setRange(0, std::max(0, int(std::ceil(widthPx)) - rollW));
    horizontalScrollBar()->setPageStep(std::max(1, rollW));
    horizontalScrollBar()->setSingleStep(kHorizontalStepPx);
    verticalScrollBar()->setRange(0, std::max(0, int(std::ceil(m_geometry.contentHeight())) - rollH));
    verticalScrollBar()->setPageStep(std::max(1, rollH));
    verticalScrollBar()->setSingleStep(std::max(1, int(std::lround(m_geometry.pixelsPerKey()))));
}

void PianoRollView::applyGeometryScroll()
{
    // Setting the ranges may clamp the bars' values (and call scrollContentsBy), so remember
    // where the geometry wants to be first.
    const double wantX = m_geometry.scrollX();
    const double wantY = m_geometry.scrollY();
    updateScrollBars();
    horizontalScrollBar()->setValue(int(std::lround(wantX)));
    verticalScrollBar()->setValue(int(std::lround(wantY)));
    syncScrollFromBars();
}

void PianoRollView::syncScrollFromBars()
{
    m_geometry.setScrollX(horizontalScrollBar()->value());
    m_geometry.setScrollY(verticalScrollBar()->value());
}

void PianoRollView::scrollContentsBy(int, int)
{
    syncScrollFromBars();
    viewport()->update();
}

void PianoRollView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    applyGeometryScroll();
}

// --- input ---------------------------------------------------------------------------------

void PianoRollView::wheelEvent(QWheelEvent *event)
{
    const QPoint angle = event->angleDelta();
    const int delta = angle.y() != 0 ? angle.y() : angle.x();
    const Qt::KeyboardModifiers mods = event->modifiers();
    if (mods & Qt::ControlModifier) {
        const double factor = std::pow(kZoomStep, delta / 120.0); // 120 = one notch (QWheelEvent)
        if (mods & Qt::ShiftModifier)
            zoomVertically(factor, event->position().y());
        else
            zoomHorizontally(factor, event->position().x());
        event->accept();
        return;
    }
    if (mods & Qt::ShiftModifier) {
        QScrollBar *bar = horizontalScrollBar();
        bar->setValue(bar->value() - int(std::lround(delta / 120.0 * 3 * bar->singleStep())));
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void PianoRollView::keyPressEvent(QKeyEvent *event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        switch (event->key()) {
        case Qt::Key_Equal:
        case Qt::Key_Plus: zoomIn(); return;
        case Qt::Key_Minus: zoomOut(); return;
        case Qt::Key_0: fitToWindow(); return;
        default: break;
        }
    }
    // Arrows and Page Up/Down step the scroll bars.
    QAbstractScrollArea::keyPressEvent(event);
}

std::int64_t PianoRollView::tickAtMouse(double x, Qt::KeyboardModifiers modifiers) const
{
    const std::int64_t tick = std::max<std::int64_t>(0, std::llround(m_geometry.xToTick(x)));
    if (modifiers & (Qt::ShiftModifier | Qt::AltModifier))
        return tick;
    return m_geometry.snapToBeat(tick);
}

bool PianoRollView::isNearSelectionEdge(double x, std::int64_t *otherEdge) const
{
    if (m_selection.isEmpty())
        return false;
    const double toStart = std::abs(x - m_geometry.tickToX(double(m_selection.startTick)));
    const double toEnd = std::abs(x - m_geometry.tickToX(double(m_selection.endTick)));
    if (std::min(toStart, toEnd) > kEdgeGrabPx)
        return false;
    *otherEdge = toStart < toEnd ? m_selection.endTick : m_selection.startTick;
    return true;
}

void PianoRollView::mousePressEvent(QMouseEvent *event)
{
    const QPointF pos = event->position();
    if (event->button() != Qt::LeftButton || pos.x() < m_geometry.keyboardWidth()) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_selectionBeforeDrag = m_selection;
    std::int64_t otherEdge = 0;
    if (isNearSelectionEdge(pos.x(), &otherEdge)) {
        m_dragAnchorTick = otherEdge;
    } else {
        m_dragAnchorTick = tickAtMouse(pos.x(), event->modifiers());
        m_selection = { m_dragAnchorTick, m_dragAnchorTick };
    }
    m_dragging = true;
    viewport()->update();
    event->accept();
}

void PianoRollView::mouseMoveEvent(QMouseEvent *event)
{
    const double x = event->position().x();
    if (!m_dragging) {
        std::int64_t otherEdge = 0;
        viewport()->setCursor(isNearSelectionEdge(x, &otherEdge) ? Qt::SizeHorCursor : Qt::ArrowCursor);
        return;
    }
    const std::int64_t tick = tickAtMouse(x, event->modifiers());
    m_selection = { std::min(m_dragAnchorTick, tick), std::max(m_dragAnchorTick, tick) };
    viewport()->update();
    event->accept();
}

void PianoRollView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragging || event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mouseReleaseEvent(event);
        return;
    }
    m_dragging = false;
    const std::int64_t tick = tickAtMouse(event->position().x(), event->modifiers());
    m_selection = { std::min(m_dragAnchorTick, tick), std::max(m_dragAnchorTick, tick) };
    if (m_selection.isEmpty())
        m_selection = {}; // a click without a drag clears the selection
    viewport()->update();
    event->accept();
    if (m_selection != m_selectionBeforeDrag) {
        Q_EMIT selectionChanged(m_selection.startTick, m_selection.endTick);
        Q_EMIT selectionEdited(m_selectionBeforeDrag, m_selection);
    }
}

// --- painting ------------------------------------------------------------------------------

void PianoRollView::paintEvent(QPaintEvent *event)
{
    m_geometry.setViewportSize(viewport()->width(), viewport()->height());
    QPainter p(viewport());
    const int w = viewport()->width();
    const int h = viewport()->height();
    const int kbw = m_geometry.keyboardWidth();
    const int rh = m_geometry.rulerHeight();
    const QRect dirty = event->rect();

    const QRect roll = QRect(kbw, rh, w - kbw, h - rh).intersected(dirty);
    if (!roll.isEmpty()) {
        p.save();
        p.setClipRect(roll);
        paintRows(p, roll);
        paintGrid(p, roll);
        paintHighlight(p, roll);
        paintNotes(p, roll);
        paintMarkedNotes(p, roll);
        paintSelection(p, roll);
        paintLabels(p, roll);
        paintPlayhead(p, roll);
        p.restore();
    }
    const QRect ruler = QRect(kbw, 0, w - kbw, rh).intersected(dirty);
    if (!ruler.isEmpty()) {
        p.save();
        p.setClipRect(ruler);
        paintRuler(p, ruler);
        p.restore();
    }
    const QRect keyboard = QRect(0, rh, kbw, h - rh).intersected(dirty);
    if (!keyboard.isEmpty()) {
        p.save();
        p.setClipRect(keyboard);
        paintKeyboard(p, keyboard);
        p.restore();
    }
    const QRect corner = QRect(0, 0, kbw, rh).intersected(dirty);
    if (!corner.isEmpty()) {
        p.fillRect(QRect(0, 0, kbw, rh), kRulerBackground);
        p.fillRect(QRect(0, rh - 1, kbw, 1), kOutside);
    }
}

void PianoRollView::paintRows(QPainter &p, const QRect &roll) const
{
    // Each pixel is filled once: this covers the whole roll, so overdraw would cost a full-screen fill.
    const double rowH = m_geometry.pixelsPerKey();
    const int low = std::clamp(m_geometry.yToPitch(roll.bottom()), 0, 127);
    const int high = std::clamp(m_geometry.yToPitch(roll.top()), 0, 127);
    const int above = toPixel(m_geometry.pitchToY(high));
    const int below = toPixel(m_geometry.pitchToY(low) + rowH);
    if (above > roll.top()) // beyond pitch 127
        p.fillRect(QRect(roll.left(), roll.top(), roll.width(), above - roll.top()), kOutside);
    if (below <= roll.bottom()) // beyond pitch 0
        p.fillRect(QRect(roll.left(), below, roll.width(), roll.bottom() + 1 - below), kOutside);
    for (int pitch = low; pitch <= high; ++pitch) {
        const int top = toPixel(m_geometry.pitchToY(pitch));
        const int bottom = toPixel(m_geometry.pitchToY(pitch) + rowH);
        if (isBlackKey(pitch)) {
            p.fillRect(QRect(roll.left(), top, roll.width(), bottom - top), kBlackRow);
        } else if (pitch % 12 == 0 && bottom - top >= 3) {
            // The line between B and C marks the octave.
            p.fillRect(QRect(roll.left(), top, roll.width(), bottom - top - 1), kWhiteRow);
            p.fillRect(QRect(roll.left(), bottom - 1, roll.width(), 1), kOctaveLine);
        } else {
            p.fillRect(QRect(roll.left(), top, roll.width(), bottom - top), kWhiteRow);
        }
    }
}

void PianoRollView::paintGrid(QPainter &p, const QRect &roll) const
{
    const std::int64_t from =
        std::max<std::int64_t>(0, std::int64_t(std::floor(m_geometry.xToTick(roll.left()))));
    const std::int64_t to = std::int64_t(std::ceil(m_geometry.xToTick(roll.right() + 1)));
    const double ppt = m_geometry.pixelsPerTick();
    const bool withBeats = m_geometry.beatTicksAt(from) * ppt >= 6.0;
    const int barStep = thinningStep(m_geometry.barTicksAt(from) * ppt, 6.0);
    QVector<QLine> bars, beats;
    for (const GridLine &line : m_geometry.gridLines(from, to, withBeats)) {
        const int x = int(std::floor(m_geometry.tickToX(double(line.tick))));
        if (!line.isBar())
            beats.append(QLine(x, roll.top(), x, roll.bottom()));
        else if ((line.bar - 1) % barStep == 0)
            bars.append(QLine(x, roll.top(), x, roll.bottom()));
    }
    p.setPen(kBeatLine);
    p.drawLines(beats);
    p.setPen(kBarLine);
    p.drawLines(bars);
}

void PianoRollView::paintNotes(QPainter &p, const QRect &roll)
{
    m_paintedNoteCount = 0;
    if (m_notes.isEmpty())
        return;
    // Local copies of the mapping: this loop runs once per note in view.
    const double ppt = m_geometry.pixelsPerTick();
    const double x0 = m_geometry.tickToX(0.0);
    const double rowH = m_geometry.pixelsPerKey();
    const double y127 = m_geometry.pitchToY(127);
    const double left = roll.left() - 4.0;
    const double right = roll.right() + 4.0;
    const std::int64_t from =
        std::max<std::int64_t>(0, std::int64_t(std::floor(m_geometry.xToTick(roll.left()))));
    const std::int64_t to = std::int64_t(std::ceil(m_geometry.xToTick(roll.right() + 1)));
    const int low = std::clamp(m_geometry.yToPitch(roll.bottom()), 0, 127);
    const int high = std::clamp(m_geometry.yToPitch(roll.top()), 0, 127);
    // Rows taller than 5 px leave a pixel free above and below each note.
    const int inset = rowH >= 5.0 ? 1 : 0;

    // One bucket per colour: role × velocity level. Drawing bucket by bucket costs one brush
    // change per colour instead of one per note. Integer rectangles take the raster engine's
    // solid-fill fast path; QRectF would go through the general path rasterizer.
    std::array<std::vector<QRect>, kRoleCount * kVelocityLevels> buckets;
    const auto [first, last] = m_notes.candidates(from, to);
    const std::vector<RollNote> &notes = m_notes.notes();
    for (std::size_t i = first; i < last; ++i) {
        const RollNote &n = notes[i];
        if (n.endTick < from || n.pitch < low || n.pitch > high)
            continue;
        const int xs = toPixel(std::max(left, x0 + n.startTick * ppt));
        const int xe = toPixel(std::min(right, x0 + n.endTick * ppt));
        const int top = toPixel(y127 + (127 - n.pitch) * rowH);
        const int bottom = toPixel(y127 + (128 - n.pitch) * rowH);
        // At least 2 px wide so a short note stays visible; a pixel free at the end so repeated
        // notes at one pitch stay apart.
        const QRect r(xs, top + inset, std::max(2, xe - xs - 1), bottom - top - 2 * inset);
        buckets[std::size_t(int(partRole(n.part)) * kVelocityLevels + velocityLevel(n.velocity))].push_back(
            r);
        ++m_paintedNoteCount;
    }

    if (m_paintedNoteCount <= kRoundedNoteLimit && rowH >= 5.0) {
        p.setRenderHint(QPainter::Antialiasing, true);
        const double radius = std::min(3.0, rowH / 3.0);
        for (std::size_t b = 0; b < buckets.size(); ++b) {
            if (buckets[b].empty())
                continue;
            const QColor fill = noteFill(int(b) / kVelocityLevels, int(b) % kVelocityLevels);
            p.setPen(QPen(fill.darker(170), 1.0));
            p.setBrush(fill);
            for (const QRect &r : buckets[b]) {
                // Half-pixel inset puts the 1 px outline on pixel centres.
                const QRectF a = QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5);
                p.drawRoundedRect(a, std::min(radius, a.width() / 2), std::min(radius, a.height() / 2));
            }
        }
        p.setRenderHint(QPainter::Antialiasing, false);
        return;
    }
    // Many notes: aliased rectangles in one drawRects call per colour.
    p.setPen(Qt::NoPen);
    for (std::size_t b = 0; b < buckets.size(); ++b) {
        if (buckets[b].empty())
            continue;
        p.setBrush(noteFill(int(b) / kVelocityLevels, int(b) % kVelocityLevels));
        p.drawRects(buckets[b].data(), int(buckets[b].size()));
    }
}

void PianoRollView::paintSelection(QPainter &p, const QRect &roll) const
{
    if (m_selection.isEmpty())
        return;
    const double xs = m_geometry.tickToX(double(m_selection.startTick));
    const double xe = m_geometry.tickToX(double(m_selection.endTick));
    p.fillRect(QRectF(xs, roll.top(), xe - xs, roll.height()), kSelectionFill);
    p.fillRect(QRectF(std::floor(xs), roll.top(), 1, roll.height()), kSelectionEdge);
    p.fillRect(QRectF(std::floor(xe), roll.top(), 1, roll.height()), kSelectionEdge);
}

void PianoRollView::setHighlightRange(TickRange range)
{
    m_highlight = range;
    viewport()->update();
}

void PianoRollView::setMarkedNotes(std::vector<MarkedNote> notes)
{
    m_marked = std::move(notes);
    viewport()->update();
}

void PianoRollView::setLabels(std::vector<RollLabel> labels)
{
    m_labels = std::move(labels);
    std::sort(m_labels.begin(), m_labels.end(),
              [](const RollLabel &a, const RollLabel &b) { return a.startTick < b.startTick; });
    viewport()->update();
}

void PianoRollView::paintHighlight(QPainter &p, const QRect &roll) const
{
    if (m_highlight.isEmpty())
        return;
    const double xs = m_geometry.tickToX(double(m_highlight.startTick));
    const double xe = m_geometry.tickToX(double(m_highlight.endTick));
    p.fillRect(QRectF(xs, roll.top(), xe - xs, roll.height()), kHighlightFill);
    p.fillRect(QRectF(xs, m_geometry.rulerHeight(), xe - xs, 3), kHighlightEdge);
}

void PianoRollView::paintMarkedNotes(QPainter &p, const QRect &roll) const
{
    if (m_marked.empty())
        return;
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(kMarkedOutline, 1.5));
    p.setBrush(Qt::NoBrush);
    const double rowH = m_geometry.pixelsPerKey();
    for (const MarkedNote &note : m_marked) {
        const double xs = m_geometry.tickToX(double(note.startTick));
        const double xe = m_geometry.tickToX(double(note.endTick));
        if (xe < roll.left() || xs > roll.right())
            continue;
        const double top = m_geometry.pitchToY(note.pitch);
        p.drawRoundedRect(QRectF(xs - 1, top - 1, std::max(3.0, xe - xs + 1), rowH + 1), 3, 3);
    }
    p.setRenderHint(QPainter::Antialiasing, false);
}

void PianoRollView::paintLabels(QPainter &p, const QRect &roll) const
{
    if (m_labels.empty())
        return;
    QFont font = p.font();
    font.setPixelSize(11);
    font.setBold(true);
    p.setFont(font);
    const QFontMetrics metrics(font);
    const int top = m_geometry.rulerHeight() + 4;
    double freeFrom = -1e9; // labels never overlap: one that would is left out
    for (const RollLabel &label : m_labels) {
        const double x = m_geometry.tickToX(double(label.startTick)) + 2;
        if (x > roll.right())
            break;
        const int width = metrics.horizontalAdvance(label.text) + 8;
        if (x < freeFrom || x + width < roll.left())
            continue;
        const QRectF box(x, top, width, metrics.height() + 2);
        p.fillRect(box, kLabelBackground);
        p.setPen(kLabelText);
        p.drawText(box, Qt::AlignCenter, label.text);
        freeFrom = x + width + 2;
    }
}

void PianoRollView::paintPlayhead(QPainter &p, const QRect &roll) const
{
    if (m_playheadTick < 0)
        return;
    const double x = std::floor(m_geometry.tickToX(double(m_playheadTick)));
    p.fillRect(QRectF(x, roll.top(), 2, roll.height()), kPlayhead);
}

void PianoRollView::paintRuler(QPainter &p, const QRect &ruler) const
{
    const int rh = m_geometry.rulerHeight();
    p.fillRect(ruler, kRulerBackground);
    if (!m_selection.isEmpty()) {
        const double xs = m_geometry.tickToX(double(m_selection.startTick));
        const double xe = m_geometry.tickToX(double(m_selection.endTick));
        p.fillRect(QRectF(xs, rh / 2.0, xe - xs, rh / 2.0), kRulerSelection);
    }

    // Labels stand to the right of their bar line, so start far enough left to catch those that
    // reach into the dirty rectangle.
    const double ppt = m_geometry.pixelsPerTick();
    const std::int64_t from =
        std::max<std::int64_t>(0, std::int64_t(std::floor(m_geometry.xToTick(ruler.left() - 80.0))));
    const std::int64_t to = std::int64_t(std::ceil(m_geometry.xToTick(ruler.right() + 1)));
    const bool withBeats = m_geometry.beatTicksAt(from) * ppt >= 6.0;
    const double barPx = m_geometry.barTicksAt(from) * ppt;
    const int tickStep = thinningStep(barPx, 6.0);
    const int labelStep = thinningStep(barPx, 34.0);

    QFont font = p.font();
    font.setPixelSize(11);
    p.setFont(font);
    QVector<QLine> beatTicks, barTicks;
    for (const GridLine &line : m_geometry.gridLines(from, to, withBeats)) {
        const int x = int(std::floor(m_geometry.tickToX(double(line.tick))));
        if (!line.isBar()) {
            beatTicks.append(QLine(x, rh - 5, x, rh - 2));
            continue;
        }
        if ((line.bar - 1) % tickStep != 0)
            continue;
        const bool labelled = (line.bar - 1) % labelStep == 0;
        barTicks.append(QLine(x, labelled ? 3 : rh - 9, x, rh - 2));
        if (!labelled)
            continue;
        QString label = QString::number(line.bar);
        // Name the meter where it changes (and at the start), when there is room for it.
        const auto ts = std::find_if(m_timeSignatures.begin(), m_timeSignatures.end(),
                                     [&](const TimeSignature &t) { return t.tick == line.tick; });
        if (ts != m_timeSignatures.end() && barPx * labelStep >= 56.0)
            label += QStringLiteral("  %1/%2").arg(ts->numerator).arg(ts->denominator);
        p.setPen(kRulerText);
        p.drawText(QRect(x + 4, 1, 200, rh / 2 + 2), Qt::AlignLeft | Qt::AlignVCenter, label);
    }
    p.setPen(kRulerTick);
    p.drawLines(beatTicks);
    p.drawLines(barTicks);
    p.fillRect(QRect(ruler.left(), rh - 1, ruler.width(), 1), kOutside);

    if (m_playheadTick >= 0) {
        // A small downward triangle over the playhead line.
        const double x = std::floor(m_geometry.tickToX(double(m_playheadTick))) + 1.0;
        const QPointF marker[] = { { x - 5, rh - 9.0 }, { x + 5, rh - 9.0 }, { x, rh - 1.0 } };
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(Qt::NoPen);
        p.setBrush(kPlayhead);
        p.drawPolygon(marker, 3);
        p.setRenderHint(QPainter::Antialiasing, false);
    }
}

void PianoRollView::paintKeyboard(QPainter &p, const QRect &keyboard) const
{
    p.fillRect(keyboard, kOutside);
    const int kbw = m_geometry.keyboardWidth();
    const double rowH = m_geometry.pixelsPerKey();
    const double blackWidth = std::round(kbw * 0.6);
    const int low = std::clamp(m_geometry.yToPitch(keyboard.bottom()), 0, 127);
    const int high = std::clamp(m_geometry.yToPitch(keyboard.top()), 0, 127);
    const double top = m_geometry.pitchToY(high);
    p.fillRect(QRectF(0, top, kbw - 1, m_geometry.pitchToY(low) + rowH - top), kWhiteKey);

    QFont font = p.font();
    font.setPixelSize(std::clamp(int(rowH) - 2, 7, 11));
    p.setFont(font);
    for (int pitch = low; pitch <= high; ++pitch) {
        const double y = m_geometry.pitchToY(pitch);
        if (isBlackKey(pitch)) {
            p.fillRect(QRectF(0, y, blackWidth, rowH), kBlackKey);
            // The border between the two white keys either side runs through the black key's middle.
            p.fillRect(QRectF(blackWidth, std::floor(y + rowH / 2), kbw - 1 - blackWidth, 1), kKeyLine);
            continue;
        }
        // E-F and B-C meet without a black key between them: a full-width border.
        const int pc = pitch % 12;
        if (pc == 0 || pc == 5) // the bottom of C and F
            p.fillRect(QRectF(0, std::floor(y + rowH), kbw - 1, 1), kKeyLine);
        if (pc == 0 && rowH >= 7.0) {
            p.setPen(kKeyLabel);
            p.drawText(QRectF(0, y, kbw - 5, rowH), Qt::AlignRight | Qt::AlignVCenter,
                       QString::fromStdString(pitchName(pitch)));
        }
    }
    p.fillRect(QRect(kbw - 1, keyboard.top(), 1, keyboard.height()), kOutside);
}

} // namespace continuo::ui
