// SPDX-License-Identifier: GPL-3.0-or-later
// The piano roll: keyboard, ruler, bar/beat grid, notes by role, playhead, time-range selection.
#pragma once

#include "ui/pianoroll/pianorollgeometry.h"
#include "ui/pianoroll/pianorollnoteindex.h"

#include <QAbstractScrollArea>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <vector>

namespace continuo::ui {

/// How a part's notes are drawn: the seed the user picked, what the model generated, or neither.
enum class NoteRole { Seed, Generated, Other };

/// A half-open tick range [startTick, endTick); empty when endTick <= startTick.
struct TickRange
{
    std::int64_t startTick = 0;
    std::int64_t endTick = 0;

    bool isEmpty() const { return endTick <= startTick; }
    bool operator==(const TickRange &o) const { return startTick == o.startTick && endTick == o.endTick; }
    bool operator!=(const TickRange &o) const { return !(*this == o); }
};

/// A note to mark on the roll (found by pitch and time, whatever part it is in).
struct MarkedNote
{
    int pitch = 60;
    std::int64_t startTick = 0;
    std::int64_t endTick = 0;
};

/// A text over a stretch of time, such as a chord name on a beat.
struct RollLabel
{
    std::int64_t startTick = 0;
    std::int64_t endTick = 0;
    QString text;
};

/// Shows a Score as a piano roll and lets the user select a time range on it.
///
/// Mouse: drag on the roll or the ruler to select a range, snapped to beats (hold Shift or Alt to
/// turn snapping off); drag an edge of the selection to move it; click without dragging to clear
/// it. Wheel scrolls vertically, Shift+wheel horizontally, Ctrl+wheel zooms time around the
/// cursor, Ctrl+Shift+wheel zooms pitch. Keys: arrows scroll, Ctrl+= / Ctrl+- zoom time,
/// Ctrl+0 fits the score into the window.
///
/// The view copies what it draws from the score, so the caller's Score may change or go away.
/// GUI thread only, like every widget.
class PianoRollView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit PianoRollView(QWidget *parent = nullptr);
    ~PianoRollView() override;

    /// Marks a stretch of time in red (e.g. a passage copied from a training file); empty: none.
    void setHighlightRange(TickRange range);
    TickRange highlightRange() const { return m_highlight; }
    /// Outlines these notes (e.g. notes outside the key); empty: none.
    void setMarkedNotes(std::vector<MarkedNote> notes);
    std::size_t markedNoteCount() const { return m_marked.size(); }
    /// Shows these labels along the top of the roll (e.g. chord names); where they would overlap,
    /// the later ones are left out. Empty: none.
    void setLabels(std::vector<RollLabel> labels);
    std::size_t labelCount() const { return m_labels.size(); }

    /// Shows `score`: its notes, meter and length. Keeps zoom, scroll, part roles, playhead and
    /// selection; call fitToWindow() to show the new score whole.
    void setScore(const Score &score);
    /// Sets how the notes of part `part` (an index into Score::parts) are coloured; parts without
    /// a role are NoteRole::Other. Roles outlive setScore().
    void setPartRole(int part, NoteRole role);
    NoteRole partRole(int part) const;

    /// The selected range, empty when nothing is selected.
    TickRange selection() const { return m_selection; }
    /// Selects `range` (an empty range clears the selection). Emits selectionChanged() when it
    /// differs from the current one, never selectionEdited(): use this to undo and redo.
    void setSelection(TickRange range);
    void clearSelection() { setSelection({}); }

    /// The playhead position in ticks; -1 hides it.
    std::int64_t playheadTick() const { return m_playheadTick; }
    void setPlayheadTick(std::int64_t tick);
    /// When on, moving the playhead out of view scrolls the roll so it stays visible.
    bool followsPlayhead() const { return m_followPlayhead; }
    void setFollowPlayhead(bool follow) { m_followPlayhead = follow; }

    /// The current coordinate mapping (zoom, scroll, viewport size), in viewport() coordinates.
    const PianoRollGeometry &rollGeometry() const { return m_geometry; }
    /// Zooms time by `factor` (> 1 zooms in) around viewport x `anchorX`.
    void zoomHorizontally(double factor, double anchorX);
    /// Zooms pitch by `factor` (> 1 zooms in) around viewport y `anchorY`.
    void zoomVertically(double factor, double anchorY);
    /// Notes drawn by the last paint: for tests and the painting benchmark.
    int paintedNoteCount() const { return m_paintedNoteCount; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    /// Zooms and scrolls so the whole score (every note, from tick 0 to its end) is in view.
    void fitToWindow();
    /// Zoom time in or out by one step around the middle of the roll.
    void zoomIn();
    void zoomOut();

Q_SIGNALS:
    /// The selection changed, by the user (once, when the mouse is released) or by
    /// setSelection(). (0, 0) when it was cleared. For views that mirror the selection.
    void selectionChanged(std::int64_t startTick, std::int64_t endTick);
    /// The user finished editing the selection with the mouse: it went from `before` to `after`
    /// (either may be empty). One signal per edit, only for user edits: this is what goes on the
    /// undo stack; undo and redo call setSelection(), which does not emit it again.
    void selectionEdited(continuo::ui::TickRange before, continuo::ui::TickRange after);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void updateScrollBars();
    void syncScrollFromBars();
    void applyGeometryScroll();
    std::int64_t contentEndTick() const;
    std::int64_t tickAtMouse(double x, Qt::KeyboardModifiers modifiers) const;
    bool isNearSelectionEdge(double x, std::int64_t *otherEdge) const;

    void paintRows(QPainter &p, const QRect &roll) const;
    void paintGrid(QPainter &p, const QRect &roll) const;
    void paintNotes(QPainter &p, const QRect &roll);
    void paintSelection(QPainter &p, const QRect &roll) const;
    void paintPlayhead(QPainter &p, const QRect &roll) const;
    void paintHighlight(QPainter &p, const QRect &roll) const;
    void paintMarkedNotes(QPainter &p, const QRect &roll) const;
    void paintLabels(QPainter &p, const QRect &roll) const;
    void paintRuler(QPainter &p, const QRect &ruler) const;
    void paintKeyboard(QPainter &p, const QRect &keyboard) const;

    PianoRollGeometry m_geometry;
    PianoRollNoteIndex m_notes;
    std::vector<NoteRole> m_partRoles;
    std::vector<TimeSignature> m_timeSignatures;
    std::int64_t m_scoreEndTick = 0;

    TickRange m_selection;
    TickRange m_selectionBeforeDrag;
    bool m_dragging = false;
    std::int64_t m_dragAnchorTick = 0; ///< the edge that stays put while dragging

    TickRange m_highlight;
    std::vector<MarkedNote> m_marked;
    std::vector<RollLabel> m_labels;

    std::int64_t m_playheadTick = -1;
    bool m_followPlayhead = false;
    int m_paintedNoteCount = 0;
};

} // namespace continuo::ui

Q_DECLARE_METATYPE(continuo::ui::TickRange)
