// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/internal/compoundwalker.h"

#include "generate/internal/noteswalker.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace continuo::generation {

using namespace compoundrepr;

namespace {
constexpr float kMasked = -std::numeric_limits<float>::infinity();
} // namespace

CompoundWalker::CompoundWalker(const WalkContext &context, int variation, const NoteStream &stream,
                               RegisterHold hold, KeyHold key, RhythmHold rhythm, DrawFloor floor)
    : Walker(context, variation, stream)
    , m_hold(std::move(hold))
    , m_key(std::move(key))
    , m_rhythm(std::move(rhythm))
    , m_floor(std::move(floor))
{
    const Score &seed = *context.seed;
    const int tpq = seed.ticksPerQuarter();
    const PitchConstraints &constraints = context.settings->constraints;
    for (int pitch = 0; pitch < 128; ++pitch)
        m_allowed.set(std::size_t(pitch), constraints.allows(pitch));
    m_endUnit = context.budget.endTick == INT64_MAX ? INT64_MAX : unitOfTick(context.budget.endTick, tpq);
    if (context.gap)
        startInGap(*context.gap, tpq);
    else
        startAfterSeed(seed);
}

void CompoundWalker::startAfterSeed(const Score &seed)
{
    const int tpq = seed.ticksPerQuarter();
    m_onset = m_startUnit = lastOnsetUnit(seed);
    m_earliestUnit = unitOfTick(seed.endTick, tpq); // rounded, as continuationSteps reads a truth
    for (const Note &note : seed.notes) {
        if (note.isDrum())
            continue;
        const std::int64_t onset = unitOfTick(note.startTick, tpq);
        const std::int64_t end = std::max(onset + 1, unitOfTick(note.endTick, tpq));
        m_sounding.push_back({ end, note.pitch });
        if (onset == m_onset) {
            m_chordTop = std::max(m_chordTop, note.pitch);
            ++m_chordSize;
        }
    }
}

void CompoundWalker::startInGap(const GapToFill &gap, int ticksPerQuarter)
{
    m_onset = m_startUnit = m_earliestUnit = gap.startUnit;
    m_endUnit = std::min(m_endUnit, gap.endUnit);
    for (const Note &note : gap.staying) {
        const std::int64_t onset = unitOfTick(note.startTick, ticksPerQuarter);
        m_sounding.push_back(
            { std::max(onset + 1, unitOfTick(note.endTick, ticksPerQuarter)), note.pitch, onset });
        const PitchConstraints &constraints = m_context.settings->constraints;
        if (onset >= m_startUnit && note.pitch >= constraints.lowest && note.pitch <= constraints.highest)
            m_keptOnsets.push_back(onset); // a kept note the new ones could have played counts as played
    }
    std::sort(m_keptOnsets.begin(), m_keptOnsets.end());
}

std::int64_t CompoundWalker::tickOfUnit(std::int64_t unit) const
{
    return std::int64_t(std::llround(double(unit) * m_context.seed->ticksPerQuarter() / kGridPerQuarter));
}

std::bitset<128> CompoundWalker::strikable(std::int64_t unit) const
{
    std::bitset<128> keys = m_allowed;
    int down = 0;
    for (const Sounding &note : m_sounding)
        if (note.startUnit <= unit && note.endUnit > unit) {
            keys.reset(std::size_t(note.pitch));
            ++down;
        }
    const int maxPolyphony = m_context.settings->constraints.maxPolyphony;
    if (maxPolyphony > 0 && down >= maxPolyphony)
        keys.reset();
    if (unit == m_onset) {
        if (m_chordSize >= kMaxChord)
            keys.reset();
        for (int pitch = 0; pitch <= m_chordTop; ++pitch)
            keys.reset(std::size_t(pitch));
    }
    return keys;
}

int CompoundWalker::drawTime(float *logits, float *network)
{
    const auto kept =
        std::upper_bound(m_keptOnsets.begin(), m_keptOnsets.end(), m_onset) - m_keptOnsets.begin();
    m_rhythm.apply(logits, kTimeClasses, m_onset - m_startUnit, m_notes + kept, m_chordSize);
    m_floor.mixTimes(logits, network, kTimeClasses, m_rhythm, m_onset - m_startUnit, m_notes + kept,
                     m_chordSize);
    // Times past the end stay drawable: drawing one ends the continuation (see Walker). A full-length
    // time can always be a wait, so it is never masked.
    for (int time = 0; time < kMaxTimeUnits; ++time)
        if (m_onset + time < m_earliestUnit
            || (m_onset + time < m_endUnit && strikable(m_onset + time).none()))
            logits[time] = kMasked;
    if (m_context.gap && m_notes == 0) // a fill writes at least one note: it may not end before one
        for (int time = 0; time < kTimeClasses; ++time)
            if (m_onset + time >= m_endUnit)
                logits[time] = kMasked;
    return m_sampler.sample(logits, kTimeClasses);
}

int CompoundWalker::drawPitch(float *logits, float *network, int time)
{
    // Before the seed's end only a full-length time's wait may be drawn.
    const std::bitset<128> keys =
        m_onset + time < m_earliestUnit ? std::bitset<128>() : strikable(m_onset + time);
    m_repetition.apply(logits, 128);
    m_hold.apply(logits);
    m_key.apply(logits);
    m_repetition.apply(network, 128);
    m_floor.mixPitches(logits, network, kPitchClasses, m_key);
    for (int pitch = 0; pitch < 128; ++pitch)
        if (!keys.test(std::size_t(pitch)))
            logits[pitch] = kMasked;
    if (time < kMaxTimeUnits)
        logits[kWait] = kMasked;
    logits[kHold] = kMasked; // notes of up to 48 quarters are long enough for a continuation
    std::fill(logits + kFirstReserved, logits + kPitchClasses, kMasked);
    return m_sampler.sample(logits, kPitchClasses);
}

void CompoundWalker::choose(StepScores &scores, std::int64_t *tokens)
{
    if (m_notes >= m_context.budget.maxNotes || m_steps >= m_context.budget.maxSteps) {
        m_done = true;
        return;
    }
    float *times = scores.head(0);
    const int time = drawTime(times, scores.network(0));
    if (time < 0 || m_onset + time >= m_endUnit) { // the model moves past the end: it ends here
        m_done = true;
        return;
    }
    tokens[0] = time;
    float *pitches = scores.head(1);
    const int pitch = drawPitch(pitches, scores.network(1), time);
    if (pitch < 0)
        nothingToDraw("note");
    tokens[1] = pitch;
    const std::int64_t onset = m_onset + time;
    if (time > 0) {
        m_chordTop = -1;
        m_chordSize = 0;
        // Notes that ended before this onset can no longer matter.
        m_sounding.erase(std::remove_if(m_sounding.begin(), m_sounding.end(),
                                        [onset](const Sounding &note) { return note.endUnit <= onset; }),
                         m_sounding.end());
    }
    m_onset = onset;
    ++m_steps;
    if (pitch == kWait) {
        tokens[2] = 0;
        tokens[3] = 0;
        return;
    }
    float *durations = scores.head(2);
    durations[0] = kMasked; // duration 0 belongs to wait steps
    int duration = m_sampler.sample(durations, kDurationClasses);
    if (duration < 1)
        nothingToDraw("duration");
    tokens[2] = duration = untilKeyIsTaken(onset, pitch, duration);
    const int velocity = std::max(0, m_sampler.sample(scores.head(3), kVelocityClasses));
    tokens[3] = velocity;

    m_chordTop = pitch;
    ++m_chordSize;
    m_sounding.push_back({ onset + duration, pitch });
    m_repetition.push(pitch);
    m_hold.push(pitch);
    m_key.push(pitch);
    m_floor.push(pitch);
    emit(pitch, binVelocity(velocity), tickOfUnit(onset), tickOfUnit(onset + duration));
    ++m_notes;
}

int CompoundWalker::untilKeyIsTaken(std::int64_t onset, int pitch, int duration) const
{
    std::int64_t end = onset + duration;
    for (const Sounding &note : m_sounding)
        if (note.pitch == pitch && note.startUnit > onset)
            end = std::min(end, note.startUnit);
    return int(end - onset);
}

double CompoundWalker::timeProgress() const { return spanProgress(m_onset, m_startUnit, m_endUnit); }

} // namespace continuo::generation
