// SPDX-License-Identifier: GPL-3.0-or-later
// The piano roll's copy of a score's notes, indexed so painting finds the visible ones quickly.
#include "ui/pianoroll/pianorollnoteindex.h"

#include <algorithm>

namespace continuo::ui {

void PianoRollNoteIndex::setNotes(const std::vector<Note> &notes)
{
    m_notes.clear();
    m_notes.reserve(notes.size());
    m_lowestPitch = m_highestPitch = -1;
    for (const Note &n : notes) {
        RollNote r;
        r.startTick = std::max<std::int64_t>(0, n.startTick);
        r.endTick = std::max(r.startTick, n.endTick);
        r.part = n.part;
        r.pitch = std::uint8_t(std::clamp(n.pitch, 0, 127));
        r.velocity = std::uint8_t(std::clamp(n.velocity, 1, 127));
        m_notes.push_back(r);
        m_lowestPitch = m_lowestPitch < 0 ? r.pitch : std::min<int>(m_lowestPitch, r.pitch);
        m_highestPitch = std::max<int>(m_highestPitch, r.pitch);
    }
    // Score::notes is sorted already; stable_sort on sorted input is one linear pass.
    std::stable_sort(m_notes.begin(), m_notes.end(),
                     [](const RollNote &a, const RollNote &b) { return a.startTick < b.startTick; });
    m_maxEnd.resize(m_notes.size());
    std::int64_t maxEnd = 0;
    for (std::size_t i = 0; i < m_notes.size(); ++i)
        m_maxEnd[i] = maxEnd = std::max(maxEnd, m_notes[i].endTick);
}

std::pair<std::size_t, std::size_t> PianoRollNoteIndex::candidates(std::int64_t fromTick,
                                                                   std::int64_t toTick) const
{
    const std::size_t first =
        std::size_t(std::lower_bound(m_maxEnd.begin(), m_maxEnd.end(), fromTick) - m_maxEnd.begin());
    const auto last = std::upper_bound(m_notes.begin(), m_notes.end(), toTick,
                                       [](std::int64_t t, const RollNote &n) { return t < n.startTick; });
    return { first, std::max(first, std::size_t(last - m_notes.begin())) };
}

} // namespace continuo::ui
