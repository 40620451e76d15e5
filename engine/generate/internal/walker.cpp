// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/internal/walker.h"

#include "analysis/meter.h"
#include "core/error.h"
#include "generate/internal/compoundwalker.h"
#include "generate/internal/noteswalker.h"
#include "generate/internal/performancewalker.h"
#include "generate/seed.h"
#include "repr/compound.h"
#include "repr/notes.h"
#include "repr/performance.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace continuo::generation {

namespace {
/// 10 ms steps a performance token advances time by.
std::int64_t shiftOf(std::int64_t token)
{
    const bool isShift = token >= performance::kTimeShiftBase && token < performance::kVelocityBase;
    return isShift ? token - performance::kTimeShiftBase + 1 : 0;
}
} // namespace

Budget budgetOf(const Score &seed, const GenerationSettings &settings)
{
    Budget budget;
    const double length = settings.length;
    switch (settings.unit) {
    case LengthUnit::Events: budget.maxSteps = std::int64_t(std::llround(length)); break;
    case LengthUnit::Notes: budget.maxNotes = std::int64_t(std::llround(length)); break;
    case LengthUnit::Seconds:
        budget.endTick = std::int64_t(std::floor(seed.tempoMap.secondsToTick(seed.durationSec() + length)));
        break;
    case LengthUnit::Bars: {
        // Whole bars in the meter in effect where the seed ends (bars count on from there).
        const double barTicks = double(barAt(seed, seed.endTick).lengthTicks);
        budget.endTick = seed.endTick + std::int64_t(std::llround(length * barTicks));
        break;
    }
    }
    return budget;
}

NoteStyle noteStyleOf(const Score &seed)
{
    NoteStyle style;
    double velocitySum = 0;
    int count = 0;
    for (const Note &note : seed.notes) {
        if (note.isDrum())
            continue;
        if (count == 0) {
            style.channel = note.channel;
            style.program = note.program;
        }
        velocitySum += note.velocity;
        ++count;
    }
    if (count > 0)
        style.velocity = std::clamp(int(std::lround(velocitySum / count)), 1, 127);
    return style;
}

Walker::Walker(const WalkContext &context, int variation, const NoteStream &stream)
    : m_context(context)
    , m_sampler(context.settings->sampling, variationSeed(context.settings->rngSeed, variation))
    , m_repetition(context.settings->repetitionPenalty, context.settings->noRepeatNgram)
    , m_variation(variation)
    , m_stream(stream)
{ }

void Walker::emit(int pitch, int velocity, std::int64_t startTick, std::int64_t endTick)
{
    const std::int64_t end = std::min(endTick, m_context.budget.endTick);
    if (end <= startTick)
        return;
    Note note;
    note.pitch = pitch;
    note.velocity = velocity;
    note.startTick = startTick;
    note.endTick = end;
    note.channel = m_context.style.channel;
    note.program = m_context.style.program;
    note.part = kContinuationPart;
    note.startSec = m_context.seed->tempoMap.tickToSeconds(startTick);
    note.endSec = m_context.seed->tempoMap.tickToSeconds(end);
    m_generated.push_back(note);
    if (m_stream)
        m_stream(m_variation, note);
}

double Walker::progress() const
{
    const Budget &budget = m_context.budget;
    double done = std::max(double(m_steps) / double(budget.maxSteps), timeProgress());
    if (budget.maxNotes != INT64_MAX)
        done = std::max(done, double(m_notes) / double(budget.maxNotes));
    return std::min(done, 1.0);
}

double Walker::spanProgress(std::int64_t now, std::int64_t start, std::int64_t end)
{
    return end == INT64_MAX ? 0.0 : double(now - start) / double(std::max<std::int64_t>(1, end - start));
}

std::vector<Note> Walker::finish()
{
    closeSounding();
    m_done = true;
    std::vector<Note> notes = std::move(m_generated);
    std::stable_sort(notes.begin(), notes.end(), noteOrder);
    return notes;
}

void Walker::nothingToDraw(const char *what) const
{
    throw GenerationError(std::string("The constraints (") + m_context.settings->constraints.describe()
                          + ") leave the model no " + what
                          + " it may play next: widen the range or the scale, "
                          + "or allow more notes at once.");
}

std::vector<std::int64_t> seedSteps(const Score &seed, Representation representation,
                                    const std::vector<std::string> &vocabulary)
{
    std::vector<std::int64_t> steps;
    if (representation == Representation::Performance) {
        const std::vector<int> tokens = encodePerformance(seed);
        std::int64_t now = 0;
        for (int token : tokens) {
            steps.push_back(token);
            now += shiftOf(token);
        }
        // The seed lasts to its end tick, even when that is after its last note ends.
        std::int64_t end = std::llround(seed.durationSec() * performance::kStepsPerSecond);
        while (end > now) {
            const std::int64_t shift = std::min<std::int64_t>(end - now, performance::kMaxShiftSteps);
            steps.push_back(performance::kTimeShiftBase + shift - 1);
            now += shift;
        }
    } else if (representation == Representation::Compound) {
        for (const std::int32_t token : flattenCompoundSteps(compoundSteps(seed)))
            steps.push_back(token);
    } else {
        const NotesVocabulary notesVocabulary = NotesVocabulary::fromPitchSetsText(vocabulary);
        for (const NoteStep &step : tokenizeNotes(chordSteps(seed), notesVocabulary)) {
            steps.push_back(step.pitchSet);
            steps.push_back(step.offset);
            steps.push_back(step.duration);
        }
    }
    if (steps.empty())
        throw GenerationError("The seed has no notes to continue: choose a range where something is played.");
    return steps;
}

std::vector<std::int64_t> continuationSteps(const Score &seed, const std::vector<std::int64_t> &seedSteps,
                                            const Score &continuation, Representation representation,
                                            const std::vector<std::string> &vocabulary)
{
    std::vector<std::int64_t> steps;
    if (representation == Representation::Performance) {
        // A velocity token comes only when the bin changes: the seed's last one may still hold.
        std::int64_t velocity = -1;
        for (std::int64_t token : seedSteps)
            if (token >= performance::kVelocityBase)
                velocity = token;
        for (int token : encodePerformance(continuation))
            if (!(steps.empty() && token == velocity))
                steps.push_back(token);
        return steps;
    }
    // The encodings count the first step's time from the continuation's first onset; here it counts
    // from the seed's last onset, across the seed's end.
    std::int64_t firstTick = INT64_MAX;
    for (const Note &note : continuation.notes)
        if (!note.isDrum())
            firstTick = std::min(firstTick, note.startTick);
    if (firstTick == INT64_MAX)
        return steps;
    const std::int64_t firstOnset = unitOfTick(seed.endTick, seed.ticksPerQuarter())
                                  + unitOfTick(firstTick, continuation.ticksPerQuarter());
    if (representation == Representation::Compound) {
        std::vector<CompoundStep> notes = compoundSteps(continuation);
        std::int64_t gap = std::max<std::int64_t>(0, firstOnset - lastOnsetUnit(seed));
        std::vector<CompoundStep> waits;
        for (; gap > compoundrepr::kMaxTimeUnits; gap -= compoundrepr::kMaxTimeUnits)
            waits.push_back({ compoundrepr::kMaxTimeUnits, compoundrepr::kWait, 0, 0 });
        notes.front().time = int(gap);
        notes.insert(notes.begin(), waits.begin(), waits.end());
        for (const std::int32_t token : flattenCompoundSteps(notes))
            steps.push_back(token);
        return steps;
    }
    const NotesVocabulary notesVocabulary = NotesVocabulary::fromPitchSetsText(vocabulary);
    std::vector<ChordStep> chords = chordSteps(continuation);
    if (chords.empty())
        return steps;
    chords.front().offsetUnits =
        int(std::clamp<std::int64_t>(firstOnset - lastOnsetUnit(seed), 0, notesrepr::kMaxOffsetUnits));
    for (const NoteStep &step : tokenizeNotes(chords, notesVocabulary)) {
        steps.push_back(step.pitchSet);
        steps.push_back(step.offset);
        steps.push_back(step.duration);
    }
    return steps;
}

std::vector<std::unique_ptr<Walker>> makeWalkers(const WalkContext &context, Representation representation,
                                                 const std::vector<std::string> &vocabulary,
                                                 const std::vector<std::int64_t> &seedSteps, int count,
                                                 const NoteStream &stream)
{
    std::vector<std::unique_ptr<Walker>> walkers;
    if (representation == Representation::Performance) {
        // Where the seed's steps end, and the velocity they leave in effect.
        std::int64_t end = 0;
        int velocityBin = performance::velocityToBin(context.style.velocity);
        for (std::int64_t token : seedSteps) {
            end += shiftOf(token);
            if (token >= performance::kVelocityBase)
                velocityBin = int(token) - performance::kVelocityBase + 1;
        }
        for (int v = 0; v < count; ++v)
            walkers.push_back(std::make_unique<PerformanceWalker>(context, v, stream, end, velocityBin));
    } else if (representation == Representation::Compound) {
        const PitchConstraints &constraints = context.settings->constraints;
        const RegisterHold hold = registerHoldAt(context.gap ? context.gap->registerSteps : seedSteps,
                                                 context.settings->holdRegister,
                                                 context.gap ? kFillRegisterHold : kContinuationRegisterHold,
                                                 constraints.lowest, constraints.highest);
        const KeyHold key(seedSteps, context.settings->holdKey, constraints.lowest, constraints.highest);
        const RhythmHold rhythm(seedSteps, context.settings->holdRhythm, constraints.lowest,
                                constraints.highest);
        const DrawFloor floor(seedSteps, context.gap ? 0.0 : DrawFloor::kContinuationShare,
                              context.settings->holdRegister, constraints.lowest, constraints.highest);
        for (int v = 0; v < count; ++v)
            walkers.push_back(std::make_unique<CompoundWalker>(context, v, stream, hold, key, rhythm, floor));
    } else {
        const auto tables = std::make_shared<const NotesTables>(vocabulary, context.settings->constraints);
        for (int v = 0; v < count; ++v)
            walkers.push_back(std::make_unique<NotesWalker>(context, v, stream, tables));
    }
    return walkers;
}

} // namespace continuo::generation
