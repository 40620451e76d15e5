// SPDX-License-Identifier: GPL-3.0-or-later
// Continuing a seed with a model: sampling controls, hard constraints, variations, streaming.
#pragma once

#include "generate/pitchconstraints.h"
#include "generate/sampling.h"
#include "repr/representation.h"
#include "score/score.h"
#include "score/scoreparts.h" // partNamed(generation, "Seed" or "Continuation")

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace continuo {

class JobContext;
class Model;
struct ModelSpec;

/// What the length of a continuation counts.
enum class LengthUnit { Events, Notes, Seconds, Bars };

/// Which heads of two blended models are mixed (GenerationSettings::blendWeight); the others are the
/// first model's alone. Pitch: the pitch set (notes) or pitch (compound); Timing: offset and duration
/// (notes) or time and duration (compound). A performance model has one head: only All.
enum class BlendHeads { All, Pitch, Timing };
/// "all", "pitch" or "timing". Any thread.
const char *blendHeadsName(BlendHeads heads);
/// @throws GenerationError naming the text and the names there are.
BlendHeads blendHeadsFromName(const std::string &name);

/// The latest steps that GenerationSettings::followSeed contrasts the whole context with.
constexpr std::int64_t kFollowSeedRecentSteps = 16;

struct GenerationSettings
{
    double length = 64; ///< in `unit`; Events are model steps, Notes the notes generated
    LengthUnit unit = LengthUnit::Notes;
    SamplingControls sampling;
    double repetitionPenalty = 1.0; ///< >= 1; divides the probability of recently played pitches
    int noRepeatNgram = 0; ///< never repeat an n-gram of pitches (or chords); 0: off
    /// 0..1: how much the model's piece memory, reading the seed and what follows, is mixed into
    /// each draw, so that the seed's figures and motifs come back (0: the network alone)
    double stayClose = 0.5;
    /// 0..4: how much more the whole context (the seed, and what came before) counts than the
    /// latest few notes (Transformer models): each draw's log-probabilities become
    /// (1 + w) log p(whole context) - w log p(latest kFollowSeedRecentSteps steps only), renormalised, which
    /// holds the seed's key, register and texture where a model would drift with its latest notes
    /// (contrastive, "context-aware" decoding), in the heads that say when and which note (the
    /// pitch head alone in a fill, whose latest prompt steps are the notes after the gap). 0: off.
    double followSeed = 2.0;
    /// 0..4: how firmly drawn pitches keep the register of the notes the model read first (the
    /// seed; in a fill, the notes within the span's length of the gap): its range (four times this
    /// many nats lost per semitone beyond the range reached so far; a fill twice), its reach (a
    /// continuation's pitches toward the seed's lowest and highest that it has not reached yet gain
    /// twice this many nats; a fill's none) and its centre (a continuation that drifts from it is
    /// tilted back; a fill twice as firmly), so that the music keeps the seed's register and span
    /// instead of wandering off (compound models; RegisterHold). 0: off.
    double holdRegister = 0.5;
    /// 0..4: how firmly drawn notes keep the pitch classes of the notes the model read first, each
    /// about as often as those play it (their rarer ones a little more): a class the continuation
    /// has played more often loses, one it has played less gains (compound models; KeyHold). 0: off.
    double holdKey = 1.0;
    /// 0..4: how firmly the continuation keeps the rhythm of the notes the model read first (the
    /// seed; in a fill, the notes before the gap, the kept notes counting as played): the steps it
    /// takes between notes, and its pace, notes per beat (compound models; RhythmHold). 0: off.
    double holdRhythm = 2.0;
    /// Blending with a second model (generateContinuations' `blend`): its share of each mixed head's
    /// distribution, 0..1, as a geometric mixture p ~ pA^(1 - w) pB^w; and which heads it mixes.
    double blendWeight = 0.5;
    BlendHeads blendHeads = BlendHeads::All;
    std::string blendModelName; ///< recorded in the result when blending
    int variations = 1; ///< 1..8, sampled together
    /// Fills only (fillSpan), 1..4: fills drawn for each variation, of which the one after which the
    /// notes that follow the span are likeliest is kept; 1: the one drawn.
    int fillCandidates = 2;
    std::uint64_t rngSeed = 0;
    PitchConstraints constraints;
    std::string modelName; ///< recorded in the result, e.g. the checkpoint's file name

    /// @throws GenerationError with one sentence for a value out of range.
    void validate() const;
    /// One line for the MIDI file: "Continuo: model=... representation=... temperature=..."
    std::string describe(Representation representation) const;
};

/// A finished generation: one score per variation, each with the seed as part 0 ("Seed") and the
/// continuation as part 1 ("Continuation"), the seed's tempo map, meter and key, and the settings
/// as a text meta event at tick 0.
struct Generation
{
    std::vector<Score> variations;
    std::string settingsText; ///< the text event's contents
    std::int64_t seedEndTick = 0; ///< where the continuation starts
    std::int64_t steps = 0; ///< model steps taken (per variation)
    double seconds = 0.0; ///< wall time of sampling
};

constexpr int kSeedPart = 0;
constexpr int kContinuationPart = 1;

/// The score of a generation: `seed` (its tempo map, meter, key and pedal) with every note in part
/// kSeedPart ("Seed") and `continuation` in part kContinuationPart ("Continuation"), and
/// `settingsText` as a text event at tick 0 when not empty. Any thread.
Score generationScore(const Score &seed, std::vector<Note> continuation,
                      const std::string &settingsText = {});

/// Receives each generated note as soon as it is complete, on the generating thread, in the
/// result's ticks (part kContinuationPart).
using NoteStream = std::function<void(int variation, const Note &note)>;

/// A seed and a continuation of it as the model reads them: model steps, step-major, one token per
/// head.
struct SeedAndContinuationSteps
{
    std::vector<std::int64_t> seed; ///< as generation reads the seed
    std::vector<std::int64_t> continuation; ///< the steps that would follow it; empty for no notes
    /// Compound models: grid units from the seed's last onset to its end, before which generation
    /// draws no note (a continuation writes nothing inside its seed); 0 for the others.
    std::int64_t unitsToSeedEnd = 0;
};

/// The steps of `seed` and of `continuation`, a score that starts where the seed ends (its tick 0
/// is the seed's end), as a model of `spec` reads them when it continues the seed (both on the grid
/// fitted to the seed: readAsGenerated), so that a model can score how likely the continuation is.
/// Any thread. @throws GenerationError if the seed has no notes to read.
SeedAndContinuationSteps modelSteps(const ModelSpec &spec, const Score &seed, const Score &continuation);

/// `seed` as a model of `spec` reads it to continue it: on the grid fitted to it (seedGridFactor),
/// a person's playing snapped to its steps (snappedToPlayedSteps); as it is for a performance model.
Score readAsGenerated(const ModelSpec &spec, const Score &seed);

/// Continues `seed` (everything in it up to seed.endTick) with `model`. The seed is read by the
/// model once; then one event at a time is sampled with the state carried forward, for all
/// variations in one batch (LSTM models; other networks re-read a window each step). Constraints
/// are applied by masking before every draw, so every note satisfies them. The same model, seed,
/// settings and rngSeed give the same notes on the CPU. Checks context.isCancelled() at every step
/// and returns what it has when cancelled. Reports progress in steps.
/// With `blend`, a second model that reads music as `model` does, both read the seed and every
/// step, and the heads settings.blendHeads names are drawn from their geometric mixture at
/// settings.blendWeight (renormalised); constraints, variations, streaming and reproducibility are
/// as for one model. The continuation goes on at the seed's steady pace (seedWithSteadyPace): the
/// variations' tempo maps carry that tempo change at the seed's end. The model reads the seed, and
/// draws, on the grid fitted to it (readAsGenerated).
/// @throws GenerationError for bad settings, a seed without notes, constraints that leave nothing
/// the model can play, or a blend model that reads music otherwise; ModelError if the model cannot
/// generate.
Generation generateContinuations(Model &model, const Score &seed, const GenerationSettings &settings,
                                 JobContext &context, const NoteStream &stream = {}, Model *blend = nullptr);

} // namespace continuo
