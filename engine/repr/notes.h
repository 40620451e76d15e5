// SPDX-License-Identifier: GPL-3.0-or-later
// The notes representation: one step per onset (and duration), a note-or-chord token, offset and duration.
#pragma once

#include "repr/grid.h"
#include "score/score.h"

#include <cstdint>
#include <string>
#include <vector>

namespace continuo {

/// Sorted, distinct MIDI pitches sounding together: one note or a chord.
using PitchSet = std::vector<int>;

namespace notesrepr {
constexpr int kGridPerQuarter = 12; ///< 1/12 quarter: sixteenths and triplets
constexpr int kMaxOffsetUnits = 96; ///< offsets of 0..8 quarters; longer rests are shortened
constexpr int kMaxDurationUnits = 96; ///< durations of 1..8 quarters; longer notes are shortened
constexpr int kOffsetClasses = kMaxOffsetUnits + 1; ///< class = offset in grid units
constexpr int kDurationClasses = kMaxDurationUnits + 1; ///< class = duration in grid units (0 unused)
constexpr int kUnknownToken = 0;
constexpr int kDecodeTicksPerQuarter = grid::kDecodeTicksPerQuarter;

/// "60" or "60.64.67".
std::string pitchSetText(const PitchSet &pitches);
} // namespace notesrepr

/// One step before tokenization: what sounds, when (after the previous step), for how long.
struct ChordStep
{
    PitchSet pitches;
    int offsetUnits = 0; ///< grid units since the previous step's onset (0..kMaxOffsetUnits)
    int durationUnits = 1; ///< grid units (1..kMaxDurationUnits)
};

/// One step as the model sees it: three categorical targets.
struct NoteStep
{
    int pitchSet = notesrepr::kUnknownToken; ///< vocabulary token
    int offset = 0; ///< class = grid units
    int duration = 1; ///< class = grid units
    bool operator==(const NoteStep &o) const
    {
        return pitchSet == o.pitchSet && offset == o.offset && duration == o.duration;
    }
};

/// What quantization changed, for the scan report.
struct NotesEncodingStats
{
    std::size_t notes = 0; ///< notes encoded
    std::size_t drumNotes = 0; ///< percussion notes left out
    std::size_t clampedOffsets = 0; ///< rests longer than kMaxOffsetUnits, shortened
    std::size_t clampedDurations = 0; ///< notes longer than kMaxDurationUnits, shortened
    std::size_t lengthenedNotes = 0; ///< notes shorter than half a grid unit, lengthened to one
    std::size_t unknownNotes = 0; ///< notes in steps whose pitch set is not in the vocabulary
};

/// Quantizes the score's non-drum notes (sustain pedal not applied: written durations) to the
/// 1/12-quarter grid and groups them by onset and duration; steps are ordered by onset, then
/// duration, then lowest pitch. Any thread. Never throws.
std::vector<ChordStep> chordSteps(const Score &score, NotesEncodingStats *stats = nullptr);

/// The pitch-set vocabulary, built from a training corpus: token 0 is "unknown", then every pitch
/// set seen at least `minCount` times, most frequent first (ties in pitch order), so the same
/// corpus always gives the same tokens. Immutable once built; any thread may read it.
class NotesVocabulary
{
public:
    NotesVocabulary() = default;
    /// @param steps  the chord steps of every training file
    static NotesVocabulary build(const std::vector<std::vector<ChordStep>> &steps, int minCount);
    /// Rebuilds a vocabulary from pitchSetsText() (for checkpoints). @throws ModelError if malformed.
    static NotesVocabulary fromPitchSetsText(const std::vector<std::string> &texts);

    int size() const { return int(m_sets.size()) + 1; }
    /// Token of a pitch set, or kUnknownToken.
    int tokenOf(const PitchSet &pitches) const;
    /// The pitch set of a token; empty for the unknown token or out of range.
    const PitchSet &pitchSetOf(int token) const;
    /// The known pitch sets in token order (token 1 first), as text.
    std::vector<std::string> pitchSetsText() const;

private:
    std::vector<PitchSet> m_sets; ///< m_sets[token - 1]
    std::vector<std::pair<PitchSet, int>> m_index; ///< sorted by pitch set, for lookups
};

/// Maps chord steps to tokens. Notes of steps with an unknown pitch set are counted in stats.
std::vector<NoteStep> tokenizeNotes(const std::vector<ChordStep> &steps, const NotesVocabulary &vocabulary,
                                    NotesEncodingStats *stats = nullptr);

/// Decodes steps into a one-part score at 480 ticks per quarter and 120 bpm: each known pitch set
/// sounds at its onset for its duration; unknown tokens sound nothing but keep time. Never throws.
Score decodeNotes(const std::vector<NoteStep> &steps, const NotesVocabulary &vocabulary);

} // namespace continuo
