// SPDX-License-Identifier: GPL-3.0-or-later
// The piano roll's copy of a score's notes, indexed so painting finds the visible ones quickly.
#pragma once

#include "score/score.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace continuo::ui {

/// What the piano roll needs of a note: 24 bytes instead of Note's 64.
struct RollNote
{
    std::int64_t startTick = 0;
    std::int64_t endTick = 0;
    std::int32_t part = 0;
    std::uint8_t pitch = 60;
    std::uint8_t velocity = 64;
};

/// Notes sorted by onset with a running maximum of their end ticks. The running maximum never
/// decreases, so a binary search over it skips every note that ends before a window, and a
/// binary search over the onsets skips every note that starts after it: a paint visits the
/// notes of its window (plus the earlier ones that a long held note keeps alive), not the whole score.
/// Not thread-safe; build it on the thread that reads it.
class PianoRollNoteIndex
{
public:
    /// Replaces the notes (any order; pitches and velocities are clamped to MIDI ranges).
    void setNotes(const std::vector<Note> &notes);
    const std::vector<RollNote> &notes() const { return m_notes; }
    std::size_t size() const { return m_notes.size(); }
    bool isEmpty() const { return m_notes.empty(); }

    /// Index range [first, last) of notes() holding every note with startTick <= toTick and
    /// endTick >= fromTick; notes inside the range may still fall outside the window.
    std::pair<std::size_t, std::size_t> candidates(std::int64_t fromTick, std::int64_t toTick) const;

    /// The latest end tick, and the lowest and highest pitch (-1 when there are no notes).
    std::int64_t endTick() const { return m_maxEnd.empty() ? 0 : m_maxEnd.back(); }
    int lowestPitch() const { return m_lowestPitch; }
    int highestPitch() const { return m_highestPitch; }

private:
    std::vector<RollNote> m_notes;
    std::vector<std::int64_t> m_maxEnd; ///< m_maxEnd[i] = max endTick of m_notes[0..i]
    int m_lowestPitch = -1;
    int m_highestPitch = -1;
};

} // namespace continuo::ui
