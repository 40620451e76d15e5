// SPDX-License-Identifier: GPL-3.0-or-later
// Walking the notes representation: a pitch set, its offset from the previous onset, its duration.
#pragma once

#include "generate/internal/walker.h"
#include "repr/notes.h"

#include <bitset>
#include <memory>

namespace continuo::generation {

/// What every notes walker of a generation shares: the vocabulary's pitch sets as bit sets and
/// which tokens the constraints allow at all.
struct NotesTables
{
    /// @throws ModelError for a malformed vocabulary; GenerationError when no pitch set fits.
    NotesTables(const std::vector<std::string> &vocabulary, const PitchConstraints &constraints);

    NotesVocabulary vocabulary;
    std::vector<std::bitset<128>> pitches; ///< per token; empty for the unknown token
    std::vector<int> sizes; ///< notes per token
    std::vector<bool> allowed; ///< fits key, range and polyphony on its own (never the unknown token)
};

/// Masks, before every draw: offsets at which the maximum polyphony is already reached, then pitch
/// sets the constraints forbid, that would strike a key still sounding, that
/// exceed the polyphony left or the notes left; duration class 0. The offset is drawn first, then
/// the pitch set, then the duration, all from the same step's scores. An offset that reaches the
/// budget's end ends the continuation.
class NotesWalker : public Walker
{
public:
    NotesWalker(const WalkContext &context, int variation, const NoteStream &stream,
                std::shared_ptr<const NotesTables> tables);

    void choose(StepScores &scores, std::int64_t *tokens) override;

private:
    struct Sounding
    {
        std::int64_t endUnit;
        int pitch;
    };
    int soundingAt(std::int64_t unit, std::bitset<128> *keys = nullptr) const;
    int drawOffset(float *logits);
    int drawPitchSet(float *logits, std::int64_t onset);
    std::int64_t tickOfUnit(std::int64_t unit) const;
    double timeProgress() const override;
    void closeSounding() override { }

    std::shared_ptr<const NotesTables> m_tables;
    std::int64_t m_onset; ///< grid units since the seed's start of the last onset
    std::int64_t m_startUnit;
    std::int64_t m_endUnit; ///< the budget's end in grid units
    std::vector<Sounding> m_sounding; ///< seed and generated notes that may still sound
    std::vector<float> m_pitchSetScores; ///< the pitch-set scores before masking, for a second draw
};

/// The nearest grid unit (1/12 quarter) to `tick`.
std::int64_t unitOfTick(std::int64_t tick, int ticksPerQuarter);

/// The seed's last onset in grid units, and its notes as sounding intervals (cut 8 quarters
/// after that onset, so that waiting always frees every key).
std::int64_t lastOnsetUnit(const Score &seed);

} // namespace continuo::generation
