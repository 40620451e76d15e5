// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/generator.h"

#include "core/error.h"
#include "core/names.h"
#include "generate/internal/noteswalker.h"
#include "generate/internal/seedrecall.h"
#include "generate/internal/stepsource.h"
#include "generate/internal/walker.h"
#include "generate/internal/walkloop.h"
#include "generate/seed.h"
#include "generate/seedgrid.h"
#include "jobs/jobcontext.h"
#include "nn/computeinfo.h"
#include "nn/model.h"
#include "repr/compound.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

namespace continuo {

namespace {

const char *unitName(LengthUnit unit)
{
    switch (unit) {
    case LengthUnit::Events: return "events";
    case LengthUnit::Notes: return "notes";
    case LengthUnit::Seconds: return "seconds";
    case LengthUnit::Bars: return "bars";
    }
    return "";
}

/// The second model of a blend, or the model reading only its latest steps (followSeed): its step
/// source, and the weight it has in each head (0: none; negative: contrasted).
struct BlendSource
{
    std::unique_ptr<generation::StepSource> source;
    std::vector<double> weights; ///< by head

    /// Replaces `logits` of head h of sequence b by the log-probabilities of the geometric mixture
    /// with the source's, p ~ p^(1 - w) q^w.
    void mix(std::int64_t b, std::size_t h, const std::int64_t *drawn, float *logits, int classes) const
    {
        const double w = source ? weights[h] : 0.0;
        if (w == 0)
            return;
        mixGeometric(logits, source->headLogits(b, h, drawn), classes, w);
    }
};

/// Which heads of a model of `spec` that `heads` names: the pitch head (pitchHeadOf), or the
/// timing heads (the others but a compound note's velocity), or all.
std::vector<bool> headsNamed(const ModelSpec &spec, BlendHeads heads)
{
    const std::size_t count = spec.headSizes.size();
    if (heads == BlendHeads::All)
        return std::vector<bool>(count, true);
    if (spec.representation == Representation::Performance)
        throw GenerationError("A performance model draws pitch and timing in one head: blend all of it.");
    const auto pitch = std::size_t(pitchHeadOf(spec.representation));
    const std::size_t velocity = // a compound note's last head
        spec.representation == Representation::Compound ? std::size_t(compoundrepr::kHeads - 1) : count;
    std::vector<bool> named(count);
    for (std::size_t h = 0; h < count; ++h)
        named[h] = heads == BlendHeads::Pitch ? h == pitch : h != pitch && h != velocity;
    return named;
}

/// The blend model's source, primed with the seed, or none without a blend model.
/// @throws GenerationError if it reads music otherwise than `spec`.
BlendSource blendSourceFor(Model *blend, const ModelSpec &spec, const GenerationSettings &settings,
                           std::int64_t batch, const std::vector<std::int64_t> &seedSteps)
{
    BlendSource result;
    if (!blend)
        return result;
    const ModelSpec &other = blend->spec();
    if (other.representation != spec.representation || other.headSizes != spec.headSizes
        || other.vocabulary != spec.vocabulary)
        throw GenerationError(std::string("The two models read music differently (")
                              + representationName(spec.representation) + " and "
                              + representationName(other.representation)
                              + ", or other vocabularies): blend models of the same representation, such as "
                                "one fine-tuned from the other.");
    for (const bool mixed : headsNamed(spec, settings.blendHeads))
        result.weights.push_back(mixed ? settings.blendWeight : 0.0);
    result.source = generation::StepSource::forModel(*blend, batch);
    result.source->prime(seedSteps);
    return result;
}

/// The model reading only its latest kFollowSeedRecentSteps steps, weighted by followSeedWeights,
/// primed with the prompt's last steps; none when followSeed is 0 or the network is not a
/// Transformer.
BlendSource contrastSourceFor(Model &model, const GenerationSettings &settings, generation::PromptKind kind,
                              std::int64_t batch, const std::vector<std::int64_t> &promptSteps)
{
    BlendSource result;
    if (settings.followSeed <= 0)
        return result;
    result.source = generation::StepSource::recentOnly(model, batch, kFollowSeedRecentSteps);
    if (!result.source)
        return result;
    result.weights = generation::followSeedWeights(model.spec(), settings.followSeed, kind);
    result.source->prime(promptSteps);
    return result;
}

/// One sequence's view of the step source, with the blend model and its recall of the piece mixed in;
/// the rows unfollowed (StepScores::network) kept in `networkRows` (one per head, reused from step
/// to step).
class SequenceScores : public generation::StepScores
{
public:
    SequenceScores(generation::StepSource &source, const BlendSource &blend, const BlendSource &contrast,
                   std::int64_t sequence, const std::int64_t *tokens, const generation::SeedRecall &recall,
                   const std::vector<int> &headSizes, std::vector<std::vector<float>> &networkRows)
        : m_source(source)
        , m_blend(blend)
        , m_contrast(contrast)
        , m_sequence(sequence)
        , m_tokens(tokens)
        , m_recall(recall)
        , m_headSizes(headSizes)
        , m_network(networkRows)
    { }
    float *head(std::size_t h) override
    {
        float *logits = m_source.headLogits(m_sequence, h, m_tokens);
        m_blend.mix(m_sequence, h, m_tokens, logits, m_headSizes[h]);
        m_network[h].assign(logits, logits + m_headSizes[h]);
        m_recall.mix(m_sequence, h, m_network[h].data(), m_headSizes[h]);
        m_contrast.mix(m_sequence, h, m_tokens, logits, m_headSizes[h]);
        m_recall.mix(m_sequence, h, logits, m_headSizes[h]);
        return logits;
    }
    float *network(std::size_t h) override { return m_network[h].data(); }

private:
    generation::StepSource &m_source;
    const BlendSource &m_blend;
    const BlendSource &m_contrast;
    std::int64_t m_sequence;
    const std::int64_t *m_tokens;
    const generation::SeedRecall &m_recall;
    const std::vector<int> &m_headSizes;
    std::vector<std::vector<float>> &m_network; ///< head by head
};

} // namespace

const char *blendHeadsName(BlendHeads heads)
{
    switch (heads) {
    case BlendHeads::All: return "all";
    case BlendHeads::Pitch: return "pitch";
    case BlendHeads::Timing: return "timing";
    }
    return "";
}

BlendHeads blendHeadsFromName(const std::string &name)
{
    return valueNamed<BlendHeads, GenerationError>(name,
                                                   { BlendHeads::All, BlendHeads::Pitch, BlendHeads::Timing },
                                                   blendHeadsName, "choice of heads to blend");
}

Score generationScore(const Score &seed, std::vector<Note> continuation, const std::string &settingsText)
{
    Score result = seed;
    result.parts = { Part { "Seed", {}, -1, false }, Part { "Continuation", {}, -1, false } };
    for (Note &note : result.notes)
        note.part = kSeedPart;
    for (PedalEvent &pedal : result.pedals)
        pedal.part = kSeedPart;
    result.texts.clear();
    if (!settingsText.empty())
        result.texts.push_back(TextEvent { 0, meta::kText, -1, settingsText });
    result.warnings.clear();
    for (const Note &note : continuation)
        result.endTick = std::max(result.endTick, note.endTick);
    result.notes.insert(result.notes.end(), continuation.begin(), continuation.end());
    result.sortEvents();
    return result;
}

void GenerationSettings::validate() const
{
    const double maxLength[] = { 100000, 10000, 600, 256 }; // events, notes, seconds, bars
    if (!(length > 0) || length > maxLength[int(unit)])
        throw GenerationError("The length must be more than 0 and at most "
                              + std::to_string(int(maxLength[int(unit)])) + " " + unitName(unit) + ".");
    if (unit != LengthUnit::Seconds && length < 1)
        throw GenerationError(std::string("The length must be at least 1 ") + unitName(unit) + ".");
    if (!(sampling.temperature > 0.0 && sampling.temperature <= 10.0))
        throw GenerationError("The temperature must be more than 0 and at most 10.");
    if (sampling.topK < 0)
        throw GenerationError("Top-k must be 0 (off) or more.");
    if (!(sampling.topP > 0.0 && sampling.topP <= 1.0))
        throw GenerationError("Top-p must be more than 0 and at most 1.");
    if (!(repetitionPenalty >= 1.0 && repetitionPenalty <= 10.0))
        throw GenerationError("The repetition penalty must be from 1 (off) to 10.");
    if (noRepeatNgram < 0 || noRepeatNgram == 1 || noRepeatNgram > 32)
        throw GenerationError("The no-repeat n-gram size must be 0 (off) or 2 to 32.");
    if (!(blendWeight >= 0.0 && blendWeight <= 1.0))
        throw GenerationError("The blend weight must be from 0 (the first model) to 1 (the second).");
    if (!(stayClose >= 0.0 && stayClose <= 1.0))
        throw GenerationError("Stay close to the seed must be from 0 (off) to 1.");
    if (!(followSeed >= 0.0 && followSeed <= 4.0))
        throw GenerationError("Follow the seed must be from 0 (off) to 4.");
    if (!(holdRegister >= 0.0 && holdRegister <= 4.0))
        throw GenerationError("Hold the register must be from 0 (off) to 4.");
    if (!(holdKey >= 0.0 && holdKey <= 4.0))
        throw GenerationError("Hold the key must be from 0 (off) to 4.");
    if (!(holdRhythm >= 0.0 && holdRhythm <= 4.0))
        throw GenerationError("Hold the rhythm must be from 0 (off) to 4.");
    if (variations < 1 || variations > 8)
        throw GenerationError("The number of variations must be 1 to 8.");
    if (fillCandidates < 1 || fillCandidates > 4)
        throw GenerationError("The fills drawn for each variation must be 1 to 4.");
    constraints.validate();
}

std::string GenerationSettings::describe(Representation representation) const
{
    std::ostringstream text;
    text << "Continuo generation: model=" << (modelName.empty() ? "unnamed" : modelName)
         << " representation=" << representationName(representation) << " length=" << length << " "
         << unitName(unit) << " temperature=" << sampling.temperature << " top-k=" << sampling.topK
         << " top-p=" << sampling.topP << " repetition-penalty=" << repetitionPenalty
         << " no-repeat-ngram=" << noRepeatNgram << " stay-close=" << stayClose
         << " follow-seed=" << followSeed << " hold-register=" << holdRegister << " hold-key=" << holdKey
         << " hold-rhythm=" << holdRhythm << " variations=" << variations << " rng=" << rngSeed
         << " constraints=" << constraints.describe();
    if (!blendModelName.empty())
        text << " blend=" << blendModelName << " blend-weight=" << blendWeight
             << " blend-heads=" << blendHeadsName(blendHeads);
    return text.str();
}

namespace {

/// How many times more finely than its division a model of `spec` reads `seed` (seedGridFactor;
/// 1 for a performance model, which reads time in milliseconds).
int gridFactorFor(const ModelSpec &spec, const Score &seed)
{
    return spec.representation == Representation::Performance ? 1 : seedGridFactor(seed);
}

/// `seed` read `factor` times as finely, a person's playing snapped to its steps; as it is for a
/// performance model.
Score readOnGrid(const ModelSpec &spec, const Score &seed, int factor)
{
    if (spec.representation == Representation::Performance)
        return seed;
    return snappedToPlayedSteps(readFiner(seed, factor));
}

} // namespace

Score readAsGenerated(const ModelSpec &spec, const Score &seed)
{
    return readOnGrid(spec, seed, gridFactorFor(spec, seed));
}

SeedAndContinuationSteps modelSteps(const ModelSpec &spec, const Score &seed, const Score &continuation)
{
    const int factor = gridFactorFor(spec, seed);
    const Score read = readOnGrid(spec, seed, factor);
    SeedAndContinuationSteps steps;
    steps.seed = generation::seedSteps(read, spec.representation, spec.vocabulary);
    steps.continuation = generation::continuationSteps(read, steps.seed, readFiner(continuation, factor),
                                                       spec.representation, spec.vocabulary);
    if (spec.representation == Representation::Compound)
        steps.unitsToSeedEnd =
            std::max<std::int64_t>(0, generation::unitOfTick(read.endTick, read.ticksPerQuarter())
                                          - generation::lastOnsetUnit(read));
    return steps;
}

namespace generation {

std::vector<double> followSeedWeights(const ModelSpec &spec, double followSeed, PromptKind kind)
{
    const auto pitch = std::size_t(pitchHeadOf(spec.representation));
    std::vector<double> weights;
    for (std::size_t h = 0; h < spec.headSizes.size(); ++h) {
        const bool contrasted = kind == PromptKind::Seed ? h <= pitch : h == pitch;
        weights.push_back(contrasted ? -followSeed : 0.0);
    }
    return weights;
}

std::int64_t walkToTheEnd(Model &model, Model *blend, const std::vector<std::int64_t> &promptSteps,
                          PromptKind kind, const std::vector<std::unique_ptr<Walker>> &walkers,
                          const GenerationSettings &settings, JobContext &context)
{
    const ModelSpec &spec = model.spec();
    const auto heads = std::size_t(spec.headSizes.size());
    const SingleThreadedBlas singleThreaded; // one step's small products gain nothing from threads
    const auto batch = std::int64_t(walkers.size());
    auto source = StepSource::forModel(model, batch);
    // Every sequence starts from the prompt's last step; a finished one keeps repeating its last.
    std::vector<std::int64_t> tokens;
    for (std::int64_t b = 0; b < batch; ++b)
        tokens.insert(tokens.end(), promptSteps.end() - std::ptrdiff_t(heads), promptSteps.end());
    source->prime(promptSteps);
    const BlendSource blendSource = blendSourceFor(blend, spec, settings, batch, promptSteps);
    const BlendSource contrast = contrastSourceFor(model, settings, kind, batch, promptSteps);
    SeedRecall recall(model, settings.stayClose, promptSteps, batch);
    std::vector<std::vector<float>> networkRows(heads);
    std::int64_t steps = 0;
    for (;;) {
        bool anyActive = false;
        for (std::int64_t b = 0; b < batch; ++b) {
            Walker &walker = *walkers[std::size_t(b)];
            if (walker.isDone())
                continue;
            std::int64_t *sequenceTokens = tokens.data() + b * std::int64_t(heads);
            SequenceScores scores(*source, blendSource, contrast, b, sequenceTokens, recall, spec.headSizes,
                                  networkRows);
            walker.choose(scores, sequenceTokens);
            if (!walker.isDone())
                recall.append(b, sequenceTokens);
            anyActive = anyActive || !walker.isDone();
        }
        if (!anyActive || context.isCancelled())
            break;
        ++steps;
        double progress = 1.0;
        for (const auto &walker : walkers)
            progress = std::min(progress, walker->progress());
        context.reportProgress(std::llround(progress * 1000), 1000, "Generating");
        source->step(tokens.data());
        if (blendSource.source)
            blendSource.source->step(tokens.data());
        if (contrast.source)
            contrast.source->step(tokens.data());
    }
    return steps;
}

} // namespace generation

Generation generateContinuations(Model &model, const Score &givenSeed, const GenerationSettings &settings,
                                 JobContext &context, const NoteStream &stream, Model *blend)
{
    settings.validate();
    requireSeedDuration(givenSeed);
    const auto started = std::chrono::steady_clock::now();
    const Score seed = seedWithSteadyPace(givenSeed);
    const ModelSpec &spec = model.spec();
    const Score read = readAsGenerated(spec, seed);
    const std::vector<std::int64_t> seedSteps =
        generation::seedSteps(read, spec.representation, spec.vocabulary);

    generation::WalkContext walk;
    walk.seed = &read;
    walk.settings = &settings;
    walk.budget = generation::budgetOf(seed, settings);
    walk.style = generation::noteStyleOf(seed);
    auto walkers = generation::makeWalkers(walk, spec.representation, spec.vocabulary, seedSteps,
                                           settings.variations, stream);

    const std::int64_t steps = generation::walkToTheEnd(model, blend, seedSteps, generation::PromptKind::Seed,
                                                        walkers, settings, context);

    Generation result;
    result.settingsText = settings.describe(spec.representation);
    result.seedEndTick = seed.endTick;
    result.steps = steps;
    for (std::size_t v = 0; v < walkers.size(); ++v) {
        const std::string text = result.settingsText + " variation=" + std::to_string(v + 1);
        result.variations.push_back(generationScore(seed, walkers[v]->finish(), text));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace continuo
