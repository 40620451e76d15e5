// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/generator.h"

#include "core/error.h"
#include "generate/internal/seedrecall.h"
#include "generate/internal/stepsource.h"
#include "generate/internal/walker.h"
#include "jobs/jobcontext.h"
#include "nn/computeinfo.h"
#include "nn/model.h"

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

/// One sequence's view of the step source, with its recall of the piece mixed in.
class SequenceScores : public generation::StepScores
{
public:
    SequenceScores(generation::StepSource &source, std::int64_t sequence, const std::int64_t *tokens,
                   const generation::SeedRecall &recall, const std::vector<int> &headSizes)
        : m_source(source), m_sequence(sequence), m_tokens(tokens), m_recall(recall), m_headSizes(headSizes)
    { }
    float *head(std::size_t h) override
    {
        float *logits = m_source.headLogits(m_sequence, h, m_tokens);
        m_recall.mix(h, logits, m_headSizes[h]);
        return logits;
    }

private:
    generation::StepSource &m_source;
    std::int64_t m_sequence;
    const std::int64_t *m_tokens;
    const generation::SeedRecall &m_recall;
    const std::vector<int> &m_headSizes;
};

} // namespace

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
    if (!(stayClose >= 0.0 && stayClose <= 1.0))
        throw GenerationError("Stay close to the seed must be from 0 (off) to 1.");
    if (variations < 1 || variations > 8)
        throw GenerationError("The number of variations must be 1 to 8.");
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
         << " variations=" << variations << " rng=" << rngSeed << " constraints=" << constraints.describe();
    return text.str();
}

SeedAndContinuationSteps modelSteps(const ModelSpec &spec, const Score &seed, const Score &continuation)
{
    SeedAndContinuationSteps steps;
    steps.seed = generation::seedSteps(seed, spec.representation, spec.vocabulary);
    steps.continuation =
        generation::continuationSteps(seed, steps.seed, continuation, spec.representation, spec.vocabulary);
    return steps;
}

Generation generateContinuations(Model &model, const Score &seed, const GenerationSettings &settings,
                                 JobContext &context, const NoteStream &stream)
{
    settings.validate();
    const auto started = std::chrono::steady_clock::now();
    const ModelSpec &spec = model.spec();
    const auto heads = std::size_t(spec.headSizes.size());
    const std::vector<std::int64_t> seedSteps =
        generation::seedSteps(seed, spec.representation, spec.vocabulary);

    generation::WalkContext walk;
    walk.seed = &seed;
    walk.settings = &settings;
    walk.budget = generation::budgetOf(seed, settings);
    walk.style = generation::noteStyleOf(seed);
    auto walkers = generation::makeWalkers(walk, spec.representation, spec.vocabulary, seedSteps,
                                           settings.variations, stream);

    const SingleThreadedBlas singleThreaded; // one step's small products gain nothing from threads
    const auto batch = std::int64_t(walkers.size());
    auto source = generation::StepSource::forModel(model, batch);
    // Every sequence starts from the seed's last step; a finished one keeps repeating its last.
    std::vector<std::int64_t> tokens;
    for (std::int64_t b = 0; b < batch; ++b)
        tokens.insert(tokens.end(), seedSteps.end() - std::ptrdiff_t(heads), seedSteps.end());
    source->prime(seedSteps);
    std::vector<generation::SeedRecall> recalls;
    recalls.reserve(std::size_t(batch));
    for (std::int64_t b = 0; b < batch; ++b)
        recalls.emplace_back(model, settings.stayClose, seedSteps);
    std::int64_t steps = 0;
    for (;;) {
        bool anyActive = false;
        for (std::int64_t b = 0; b < batch; ++b) {
            generation::Walker &walker = *walkers[std::size_t(b)];
            if (walker.isDone())
                continue;
            std::int64_t *sequenceTokens = tokens.data() + b * std::int64_t(heads);
            SequenceScores scores(*source, b, sequenceTokens, recalls[std::size_t(b)], spec.headSizes);
            walker.choose(scores, sequenceTokens);
            if (!walker.isDone())
                recalls[std::size_t(b)].append(sequenceTokens);
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
    }

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
