// SPDX-License-Identifier: GPL-3.0-or-later
// Holding drawn notes to the register, the key and the rhythm of the notes a model read before them.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace continuo {

/// The three parts of a register hold (RegisterHold): strengths in nats, or, for the holds
/// generation uses, multiples of GenerationSettings::holdRegister.
struct RegisterHoldParts
{
    double range = 0.0;
    double centre = 0.0;
    double reach = 0.0;
};

/// A continuation's: the range at four times the setting, the centre at it, the reach at twice it.
/// Chosen on bench continuation (validation files, three random seeds): with a note beyond the
/// range costing only until the continuation has been there, four times brings the span 5.87 to
/// 5.80 semitones from the real music's for 0.14 nats per note less than the range held at twice
/// the setting on every note outside it; the reach brings it to 5.61 (the seed played again: 5.64;
/// humanized seeds 5.93 to 5.83) for 0.10 nats per note more; register, pitch content, density and
/// rhythm unchanged.
constexpr RegisterHoldParts kContinuationRegisterHold { 4.0, 1.0, 2.0 };

/// Holds drawn pitches to the register of the notes a model read before them (the seed; in a fill,
/// the notes around the gap), in three parts, each at a strength in nats (RegisterHoldParts):
/// - the range: a pitch beyond the range reached so far (the prompt's lowest to
///   highest, widened by every note drawn) loses that many nats for every semitone it lies beyond,
///   so that a continuation pays for going higher or lower than the seed once, when it goes there,
///   and plays freely where it has been;
/// - the centre (c): once notes are drawn, their drift from the prompt's mean
///   pitch, d = sum(pitch - mean) / (notes + kPriorNotes), tilts every pitch p by
///   -c * d * (p - mean) / 12 nats, so that a continuation that has risen is drawn down again and
///   one that has sunk is drawn up (a drift of one semitone costs a pitch an octave further that
///   way c nats, and gives one an octave the other way as much);
/// - the reach: once notes are drawn, a pitch between the lowest drawn and the
///   prompt's lowest, or between the highest drawn and the prompt's highest, gains that many nats,
///   so that a continuation goes as low and as high as its seed did, its bass included.
/// Generation holds it as registerHoldAt says.
/// Reads compound tokens (time, pitch, duration, velocity, step after step; the pitch head's 0..127
/// are notes); only the prompt's notes from `lowest` to `highest` count (the pitches the draws may
/// take: below the split when a fill keeps the melody above it). A prompt without such notes, or
/// every strength 0, holds nothing. A value type; one per sequence; not thread-safe.
class RegisterHold
{
public:
    /// The prompt's mean counts as this many notes without drift, so that the first notes drawn
    /// tilt little.
    static constexpr double kPriorNotes = 8.0;

    RegisterHold(const std::vector<std::int64_t> &promptTokens, RegisterHoldParts strengths, int lowest = 0,
                 int highest = 127);

    bool isActive() const
    {
        return (m_strengths.range > 0 || m_strengths.centre > 0 || m_strengths.reach > 0)
            && m_lowest <= m_highest;
    }
    int lowest() const { return m_lowest; } ///< the prompt's
    int highest() const { return m_highest; }
    double mean() const { return m_mean; }
    /// Lowers the logits of pitches 0..127; entries from 128 on (not pitches) are left alone.
    void apply(float *pitchLogits) const;
    /// Records a drawn note's pitch (0..127; anything else is not a note and is ignored).
    void push(std::int64_t pitch);

private:
    RegisterHoldParts m_strengths;
    int m_lowest = 128;
    int m_highest = -1;
    int m_drawnLowest = 128; ///< of the notes drawn
    int m_drawnHighest = -1;
    double m_mean = 0.0;
    double m_drift = 0.0; ///< the sum of the drawn pitches' distances from m_mean
    int m_notes = 0;
};

/// The register hold generation uses at `setting` (GenerationSettings::holdRegister): its parts at
/// `factors` times it (a continuation's: kContinuationRegisterHold; a fill's: kFillRegisterHold);
/// only the prompt's notes from `lowest` to `highest` count.
RegisterHold registerHoldAt(const std::vector<std::int64_t> &promptTokens, double setting,
                            RegisterHoldParts factors = kContinuationRegisterHold, int lowest = 0,
                            int highest = 127);

/// Holds the pitch classes of drawn notes to those of the notes a model read before them, at a
/// strength K (GenerationSettings::holdKey): with q(c) the share the prompt gives pitch class c (see
/// below) and n(c) of the N notes drawn so far of class c, each pitch of class c gains
/// K * (ln q(c) - ln((n(c) + 8 q(c)) / (N + 8))) nats: a class played more often than q says loses,
/// one played less gains, and nothing changes before the first note (the shares count as
/// kPriorNotes notes drawn). So the continuation keeps the seed's key, and how much each of its
/// classes is used, without sharpening it. q(c) is the prompt's count of class c raised to
/// kShareExponent, plus kCountedMore so that none is ruled out, over the sum of the twelve: the
/// music that follows a passage uses its rarer classes more than the passage does. Reads compound
/// tokens; only the prompt's notes from `lowest` to `highest` count (see RegisterHold). A prompt
/// without such notes, or strength 0, holds nothing. A value type; one per sequence; not
/// thread-safe.
class KeyHold
{
public:
    /// The prompt's shares count as this many notes drawn, so that the first notes tilt little.
    static constexpr double kPriorNotes = 8.0;
    /// The prompt's counts are flattened so: over 280 training files, a seed's (10-20 s) counts so
    /// raised share 0.758 of the next 10 s' pitch classes (histogram overlap) against 0.748 as they
    /// are; 0.7: 0.758, 0.5: 0.755; chosen on bench continuation (validation: pitch content 0.723
    /// against 0.717 over three random seeds).
    static constexpr double kShareExponent = 0.6;
    /// Added to every class's flattened count.
    static constexpr double kCountedMore = 0.1;

    KeyHold(const std::vector<std::int64_t> &promptTokens, double strength, int lowest = 0,
            int highest = 127);

    bool isActive() const { return m_strength > 0 && m_promptNotes > 0; }
    /// q(c): the share the prompt gives pitch class c (C = 0), flattened and smoothed.
    double share(int pitchClass) const { return m_shares[std::size_t(pitchClass)]; }
    /// Tilts the logits of pitches 0..127; entries from 128 on (not pitches) are left alone.
    void apply(float *pitchLogits) const;
    /// Records a drawn note's pitch (0..127; anything else is not a note and is ignored).
    void push(std::int64_t pitch);

private:
    double m_strength;
    int m_promptNotes = 0;
    std::array<double, 12> m_shares {};
    std::array<double, 12> m_drawn {};
    int m_notes = 0;
};

/// Holds a continuation to the rhythm of the notes a model read before it (the seed; in a fill, the
/// notes before the gap), at a strength R (GenerationSettings::holdRhythm), in its two parts:
/// - the steps it takes: each time class t (grid units to the next step; 0 for another note of the
///   same chord) gains R / 8 * ln p(t), p the share of the prompt's note steps after its first
///   that take t (each class counted 0.1 times more, so that none is ruled out);
/// - its pace: with the prompt's rate ρ (notes per grid unit, from its first step to its last
///   onset), the notes played so far n after E grid units are ahead of the pace by
///   r = ln((n + kPriorNotes) / (ρE + kPriorNotes)), and t gains R * r * ln(1 + max(t, 1)) nats:
///   ahead of the pace, longer steps gain; behind it, shorter ones. Another note of the same chord
///   counts as the shortest step, so that falling behind does not make chords fuller;
/// - its chords: after k notes of an onset, with g(k) the share of the prompt's onsets of k notes
///   or more that have another (counted with kChordPriorOnsets more that have one as often as a
///   step is 0, p0; past its largest chord, g of its largest), a step of 0 gains
///   R * kChordWeight * ln(g(k) / p0) and any other R * kChordWeight * ln((1 - g(k)) / (1 - p0)):
///   a chord grows as the prompt's chords do, and seldom past its largest.
/// Reads compound tokens (see RegisterHold); in a fill's prompt, the steps before its first
/// marker. Only the prompt's notes from `lowest` to `highest` count, their steps taken from one
/// such note to the next (under a kept melody, the accompaniment's rhythm). A prompt without such
/// notes or without time, or strength 0, holds nothing. Any thread.
class RhythmHold
{
public:
    /// The prompt's pace counts as this many notes on time, so that the first steps tilt little.
    static constexpr double kPriorNotes = 8.0;

    RhythmHold(const std::vector<std::int64_t> &promptTokens, double strength, int lowest = 0,
               int highest = 127);

    bool isActive() const { return m_strength > 0 && m_notesPerUnit > 0; }
    double notesPerUnit() const { return m_notesPerUnit; }
    /// ln p(t) of the prompt's steps, time class by class (kTimeClasses of them).
    const std::vector<double> &stepLogShares() const { return m_stepLogShares; }
    /// Tilts the logits of time classes 0..classes-1 (at most kTimeClasses) after `notes` notes in
    /// `elapsedUnits` grid units of the continuation, `chordNotes` of them at its latest onset.
    void apply(float *timeLogits, int classes, std::int64_t elapsedUnits, std::int64_t notes,
               int chordNotes) const;

private:
    /// The weight of the chords' part against the steps' prior (1/8): chosen on bench continuation
    /// (at 1/8 chords outgrow the seed's largest as often as without it; at 1 and 2 the
    /// continuations' note counts stray further from the real music's).
    static constexpr double kChordWeight = 0.5;
    static constexpr double kChordPriorOnsets = 2.0;
    static constexpr int kLargestChordCounted = 12; ///< larger onsets count as this large
    double m_strength;
    double m_notesPerUnit = 0.0;
    std::vector<double> m_stepLogShares;
    std::array<double, kLargestChordCounted + 1> m_moreTilt {}; ///< [k]: for a step of 0 after k notes
    std::array<double, kLargestChordCounted + 1> m_stopTilt {}; ///< [k]: for any other step
};

/// A floor under a continuation's shaped draws: each note's time and pitch are drawn from the
/// mixture of the distribution every setting shapes (*Follow the seed*, *Stay close to the seed*,
/// the three holds), at 1 - share, and the unfollowed one, at `share`: the network with the piece
/// memory mixed in at *Stay close to the seed* (the rows StepScores::network gives), its times held
/// to the rhythm, its pitches only to the range reached (the register hold's range part, at
/// kContinuationRegisterHold's factor) and to the key. The shaped distribution's sharpest parts
/// (the seed's contrast, the register's centre) all but rule out music the real continuations
/// play; the floor keeps it possible without letting a continuation leave its register, key or
/// rhythm (its times unheld, a Bach prelude's continuations put 2.5% of their onsets off its
/// sixteenth-note grid). Reads compound tokens (see RegisterHold). Share 0: no floor. A value type;
/// one per sequence; not thread-safe.
class DrawFloor
{
public:
    /// A continuation's share, chosen on bench continuation (validation files, `--rng 7/8/9`, plain
    /// and humanized seeds): the real continuation 0.42 nats per note likelier as generated (0.47
    /// humanized), every figure within what a random seed moves it; at 0.1 (times unheld), 0.59
    /// nats, but the density 0.01 further from the real music's in all six runs and humanized
    /// pitch content 0.003 lower in all three. A fill has none.
    static constexpr double kContinuationShare = 0.05;

    /// The range as held with GenerationSettings::holdRegister at `holdRegister`, from the prompt's
    /// notes from `lowest` to `highest`.
    DrawFloor(const std::vector<std::int64_t> &promptTokens, double share, double holdRegister,
              int lowest = 0, int highest = 127);

    bool isActive() const { return m_share > 0; }
    /// Holds the unfollowed time logits `network` to `rhythm` (as RhythmHold::apply with
    /// `elapsedUnits`, `notes` and `chordNotes`) and mixes them into the shaped `logits` (both
    /// `classes` long, unmasked); `logits` become log-probabilities, `network` is modified.
    void mixTimes(float *logits, float *network, int classes, const RhythmHold &rhythm,
                  std::int64_t elapsedUnits, std::int64_t notes, int chordNotes) const;
    /// Holds the unfollowed pitch logits `network` to the range reached and to `key`, and mixes
    /// them into the shaped `logits` (both `classes` long, unmasked: the pitches 0..127 and the
    /// tokens after them); `logits` become log-probabilities, `network` is modified.
    void mixPitches(float *logits, float *network, int classes, const KeyHold &key) const;
    /// Records a drawn note's pitch (as RegisterHold::push).
    void push(std::int64_t pitch) { m_range.push(pitch); }

private:
    double m_share;
    RegisterHold m_range;
};

} // namespace continuo
