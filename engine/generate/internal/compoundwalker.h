// SPDX-License-Identifier: GPL-3.0-or-later
// Walking the compound representation: per note its time, pitch, duration and velocity, drawn in turn.
#pragma once

#include "generate/internal/walker.h"
#include "generate/seedhold.h"
#include "repr/compound.h"

#include <bitset>

namespace continuo::generation {

/// Draws the heads in order (time, pitch, duration, velocity), writing each token before asking for
/// the next head, as the Transformer conditions each head on those before it. Masks, before every
/// draw: times at which no pitch could be struck (the polyphony limit reached, every allowed key
/// still down, or, at time 0, no allowed key above the chord's last note, or kMaxChord notes struck
/// already; or before the seed's end: a continuation writes nothing inside its seed); then pitches the
/// constraints forbid, keys still down, at time 0 those not above the chord's last note, the wait token
/// except after a full-length time, holds and the reserved tokens; then duration 0. A time that reaches the
/// budget's end ends the continuation (see Walker). With a gap to fill (WalkContext::gap) it writes the gap's
/// notes instead, from its start to its end, and at least one of them (a time past the end is drawable only
/// after the first note). Pitches are held to the prompt's register (RegisterHold) and key (KeyHold), times
/// to its rhythm (RhythmHold), and a continuation's times and pitches mixed with the unfollowed ones
/// (DrawFloor), before the masks.
class CompoundWalker : public Walker
{
public:
    static constexpr int kMaxChord = 10; ///< notes struck at one onset at most

    /// `hold`, `key` and `rhythm`: the register, key and rhythm of the notes the model read before
    /// it, and `floor` under them, no note drawn yet.
    CompoundWalker(const WalkContext &context, int variation, const NoteStream &stream, RegisterHold hold,
                   KeyHold key, RhythmHold rhythm, DrawFloor floor);

    void choose(StepScores &scores, std::int64_t *tokens) override;

private:
    struct Sounding
    {
        std::int64_t endUnit;
        int pitch;
        std::int64_t startUnit = INT64_MIN; ///< a kept note of a gap holds its key from here
    };
    /// Starts after the seed's last onset, with the seed's notes that may still sound.
    void startAfterSeed(const Score &seed);
    /// Starts at the gap's start, with the notes that stay in it.
    void startInGap(const GapToFill &gap, int ticksPerQuarter);
    /// Keys that may be struck at `unit` (allowed, not down, above the chord's last note at this onset).
    std::bitset<128> strikable(std::int64_t unit) const;
    /// Draws from the shaped `logits` with the unfollowed `network` under them (DrawFloor; both
    /// modified).
    int drawTime(float *logits, float *network);
    int drawPitch(float *logits, float *network, int time);
    /// `duration`, shortened to end where a kept note of the gap strikes the same key.
    int untilKeyIsTaken(std::int64_t onset, int pitch, int duration) const;
    std::int64_t tickOfUnit(std::int64_t unit) const;
    double timeProgress() const override;
    void closeSounding() override { }

    std::bitset<128> m_allowed; ///< pitches the constraints allow
    RegisterHold m_hold; ///< the register draws are held to
    KeyHold m_key; ///< the pitch classes draws are held to
    RhythmHold m_rhythm; ///< the rhythm draws are held to
    DrawFloor m_floor; ///< under the held draws
    /// Of the notes kept in a gap that the new ones could have played (in the constraints' range), in order.
    std::vector<std::int64_t> m_keptOnsets;
    std::int64_t m_onset; ///< grid units since the seed's start of the last step
    std::int64_t m_startUnit;
    /// No note before this: the seed's end (a continuation writes nothing inside the seed), or the
    /// gap's start.
    std::int64_t m_earliestUnit = 0;
    std::int64_t m_endUnit; ///< the budget's end in grid units
    int m_chordTop = -1; ///< the highest pitch struck at m_onset; -1 after a wait
    int m_chordSize = 0; ///< notes struck at m_onset
    std::vector<Sounding> m_sounding; ///< seed and generated notes that may still sound
};

} // namespace continuo::generation
