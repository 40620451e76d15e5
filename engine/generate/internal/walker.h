// SPDX-License-Identifier: GPL-3.0-or-later
// One sequence of a generation in one representation: masking, drawing, and notes out.
// Internal to engine/generate. Knows nothing of LibTorch: it sees logits as plain floats.
#pragma once

#include "generate/generator.h"
#include "generate/seedhold.h"
#include "repr/representation.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace continuo::generation {

/// When a continuation is long enough. Unused limits are at their maximum.
struct Budget
{
    std::int64_t maxSteps = 100000; ///< model steps (always bounded, so nothing runs forever)
    std::int64_t maxNotes = INT64_MAX;
    std::int64_t endTick = INT64_MAX; ///< in the seed's ticks; notes are cut here
};

/// Limits of `settings` for `seed`: Seconds and Bars become an end tick after seed.endTick.
Budget budgetOf(const Score &seed, const GenerationSettings &settings);

/// How generated notes sound: the seed's first channel and program, its mean velocity.
struct NoteStyle
{
    int channel = 0;
    int program = 0;
    int velocity = 80;
};
NoteStyle noteStyleOf(const Score &seed);

/// A fill's register hold: its range and centre both at twice the setting, no reach. The centre
/// twice as firmly as a continuation's: the notes on both sides of a gap say where it lies better
/// than a seed says where a continuation goes. The range at half a continuation's factor: at four
/// times, bench fill (validation files) finds the true notes after the gap less likely (3.78 to
/// 3.81 nats); the reach at a continuation's widens a fill's span from the real bars' (7.02 to
/// 7.47 semitones off) and makes them less likely too (3.781 to 3.793).
constexpr RegisterHoldParts kFillRegisterHold { 2.0, 2.0, 0.0 };

/// A gap to fill instead of a seed to continue (compound walkers only): time runs from the gap's
/// start to its end, in grid units from the score's start, and the notes that sound in it and stay
/// (kept ones, and those ringing into it) hold their keys while they sound. The register hold
/// reads `registerSteps` (compound tokens of the notes nearest the gap, or the whole prompt), at
/// kFillRegisterHold.
struct GapToFill
{
    std::int64_t startUnit = 0;
    std::int64_t endUnit = 0;
    std::vector<Note> staying;
    std::vector<std::int64_t> registerSteps;
};

/// Everything a walker needs besides the model. Shared by the walkers of one generation.
struct WalkContext
{
    const Score *seed = nullptr; ///< the seed, or the score whose gap is filled
    const GenerationSettings *settings = nullptr;
    Budget budget;
    NoteStyle style;
    const GapToFill *gap = nullptr; ///< set when filling a gap
};

/// The model's logits for one sequence's next step, head by head. head(h) may depend on the tokens
/// the walker has already written for heads 0..h-1 (the Transformer's heads read them), so a walker
/// that draws in head order writes each token before it asks for the next head. Rows may be modified.
class StepScores
{
public:
    virtual ~StepScores() = default;
    virtual float *head(std::size_t h) = 0;
    /// Head h's logits unfollowed: the network's (and a blend model's), with the piece memory mixed
    /// in, the seed not followed (DrawFloor); valid after head(h), until the next step. Rows may be
    /// modified.
    virtual float *network(std::size_t h) = 0;
};

/// One variation's continuation. The generator calls choose() with the model's logits for the
/// next step until isDone(), then finish().
///
/// The end of a length in bars or seconds is never masked: the model may always move time past it,
/// and a step it draws that would start at or after the end ends the continuation there, without
/// writing that step. (Masking the way past the end would force every remaining step onto the
/// last onsets before it, as a cluster.) Every walker, of every representation, keeps this rule.
class Walker
{
public:
    Walker(const WalkContext &context, int variation, const NoteStream &stream);
    virtual ~Walker() = default;

    bool isDone() const { return m_done; }
    /// Masks what may not come next, draws the step from `scores` and writes its tokens, one per
    /// head. May instead decide the continuation is complete (isDone); the tokens it leaves then
    /// are not read. @throws GenerationError if nothing can be drawn.
    virtual void choose(StepScores &scores, std::int64_t *tokens) = 0;
    /// Ends what still sounds (at the end tick at the latest) and returns every generated note in
    /// onset order, in part kContinuationPart.
    std::vector<Note> finish();
    /// How far along the budget, 0..1.
    double progress() const;

protected:
    /// Records a finished note (ticks), cut at the budget's end tick, and streams it.
    void emit(int pitch, int velocity, std::int64_t startTick, std::int64_t endTick);
    /// Ends notes still sounding at the end of the continuation.
    virtual void closeSounding() = 0;
    /// How far the time has come towards the budget's end (0 when it has none).
    virtual double timeProgress() const = 0;
    /// (now - start) / (end - start), or 0 when end is unlimited.
    static double spanProgress(std::int64_t now, std::int64_t start, std::int64_t end);
    [[noreturn]] void nothingToDraw(const char *what) const;

    const WalkContext &m_context;
    TokenSampler m_sampler;
    RepetitionControl m_repetition;
    std::int64_t m_steps = 0;
    std::int64_t m_notes = 0; ///< notes begun
    bool m_done = false;

private:
    int m_variation;
    const NoteStream &m_stream;
    std::vector<Note> m_generated;
};

/// The seed as model steps (step-major, one token per head) for `representation` (performance:
/// its tokens, then time shifts up to seed.endTick; notes: pitch set, offset, duration).
/// @throws GenerationError if the seed has no notes the representation can read.
std::vector<std::int64_t> seedSteps(const Score &seed, Representation representation,
                                    const std::vector<std::string> &vocabulary);

/// The steps `continuation` would take after `seedSteps` (those of `seed`): the representation's
/// encoding of its notes, which start at the seed's end (its tick 0; notes of the seed that ring
/// past its end are not in it, as the seed is cut there). Performance: its events after the seed's
/// final time shifts, without a first velocity the seed already set. Notes: its chord steps, the
/// first one's offset counted from the seed's last onset. Empty when it has no notes.
std::vector<std::int64_t> continuationSteps(const Score &seed, const std::vector<std::int64_t> &seedSteps,
                                            const Score &continuation, Representation representation,
                                            const std::vector<std::string> &vocabulary);

/// One walker per variation for the model's representation, to continue `seedSteps`. @throws GenerationError
/// when the constraints leave the model nothing to play (no pitch set of its vocabulary fits).
std::vector<std::unique_ptr<Walker>> makeWalkers(const WalkContext &context, Representation representation,
                                                 const std::vector<std::string> &vocabulary,
                                                 const std::vector<std::int64_t> &seedSteps, int count,
                                                 const NoteStream &stream);

} // namespace continuo::generation
