// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/internal/noteswalker.h"

#include "core/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuo::generation {

using namespace notesrepr;

namespace {
constexpr float kMasked = -std::numeric_limits<float>::infinity();

/// The first grid unit at or after `tick`: a seed note counts as sounding until then.
std::int64_t unitAtOrAfter(std::int64_t tick, int ticksPerQuarter)
{
    return std::int64_t(std::ceil(double(tick) * kGridPerQuarter / ticksPerQuarter));
}
} // namespace

NotesTables::NotesTables(const std::vector<std::string> &texts, const PitchConstraints &constraints)
    : vocabulary(NotesVocabulary::fromPitchSetsText(texts))
{
    const int count = vocabulary.size();
    pitches.resize(std::size_t(count));
    sizes.resize(std::size_t(count));
    allowed.resize(std::size_t(count));
    bool any = false;
    for (int token = 1; token < count; ++token) {
        const PitchSet &set = vocabulary.pitchSetOf(token);
        bool fits = !set.empty();
        for (int pitch : set) {
            pitches[std::size_t(token)].set(std::size_t(pitch));
            fits = fits && constraints.allows(pitch);
        }
        sizes[std::size_t(token)] = int(set.size());
        fits = fits && (constraints.maxPolyphony == 0 || int(set.size()) <= constraints.maxPolyphony);
        allowed[std::size_t(token)] = fits;
        any = any || fits;
    }
    if (!any)
        throw GenerationError("No note or chord the model knows fits the constraints ("
                              + constraints.describe() + "): widen the range or the scale.");
}

std::int64_t unitOfTick(std::int64_t tick, int ticksPerQuarter)
{
    return std::int64_t(std::llround(double(tick) * kGridPerQuarter / ticksPerQuarter));
}

std::int64_t lastOnsetUnit(const Score &seed)
{
    std::int64_t last = 0;
    for (const Note &note : seed.notes)
        if (!note.isDrum())
            last = std::max(last, unitOfTick(note.startTick, seed.ticksPerQuarter()));
    return last;
}

NotesWalker::NotesWalker(const WalkContext &context, int variation, const NoteStream &stream,
                         std::shared_ptr<const NotesTables> tables)
    : Walker(context, variation, stream), m_tables(std::move(tables))
{
    const Score &seed = *context.seed;
    const int tpq = seed.ticksPerQuarter();
    m_onset = m_startUnit = lastOnsetUnit(seed);
    m_endUnit = context.budget.endTick == INT64_MAX ? INT64_MAX : unitOfTick(context.budget.endTick, tpq);
    for (const Note &note : seed.notes)
        if (!note.isDrum())
            m_sounding.push_back(
                { std::min(unitAtOrAfter(note.endTick, tpq), m_onset + kMaxOffsetUnits), note.pitch });
}

std::int64_t NotesWalker::tickOfUnit(std::int64_t unit) const
{
    return std::int64_t(std::llround(double(unit) * m_context.seed->ticksPerQuarter() / kGridPerQuarter));
}

int NotesWalker::soundingAt(std::int64_t unit, std::bitset<128> *keys) const
{
    int count = 0;
    for (const Sounding &note : m_sounding)
        if (note.endUnit > unit) {
            ++count;
            if (keys)
                keys->set(std::size_t(note.pitch));
        }
    return count;
}

int NotesWalker::drawOffset(float *logits)
{
    const int maxPolyphony = m_context.settings->constraints.maxPolyphony;
    // Offsets past the end stay drawable: drawing one ends the continuation (see Walker). Masking
    // them instead forced every last step onto the last onset, a cluster of the whole keyboard.
    if (maxPolyphony > 0)
        for (int offset = 0; offset < kOffsetClasses; ++offset)
            if (soundingAt(m_onset + offset) >= maxPolyphony)
                logits[offset] = kMasked;
    return m_sampler.sample(logits, kOffsetClasses);
}

int NotesWalker::drawPitchSet(float *logits, std::int64_t onset)
{
    const NotesTables &tables = *m_tables;
    const int count = tables.vocabulary.size();
    std::bitset<128> keysDown;
    const int maxPolyphony = m_context.settings->constraints.maxPolyphony;
    const int down = soundingAt(onset, &keysDown);
    const int room = maxPolyphony > 0 ? maxPolyphony - down : 128;
    const std::int64_t notesLeft = m_context.budget.maxNotes - m_notes;
    m_repetition.apply(logits, count);
    bool anyFits = false;
    for (int token = 0; token < count; ++token) {
        const std::size_t t = std::size_t(token);
        const bool fits =
            tables.allowed[t] && tables.sizes[t] <= room && (tables.pitches[t] & keysDown).none();
        if (!fits)
            logits[token] = kMasked;
        else if (tables.sizes[t] <= notesLeft)
            anyFits = true;
    }
    if (anyFits) // the notes asked for exactly, when a small enough pitch set fits
        for (int token = 0; token < count; ++token)
            if (tables.sizes[std::size_t(token)] > notesLeft)
                logits[token] = kMasked;
    return m_sampler.sample(logits, count);
}

void NotesWalker::choose(StepScores &scores, std::int64_t *tokens)
{
    const std::vector<float *> logits { scores.head(0), scores.head(1), scores.head(2) };
    if (m_notes >= m_context.budget.maxNotes || m_steps >= m_context.budget.maxSteps) {
        m_done = true;
        return;
    }
    const int offset = drawOffset(logits[1]);
    if (offset < 0 || m_onset + offset >= m_endUnit) { // the model moves past the end: it ends here
        m_done = true;
        return;
    }
    std::int64_t onset = m_onset + offset;
    const int count = m_tables->vocabulary.size();
    m_pitchSetScores.assign(logits[0], logits[0] + count);
    int token = drawPitchSet(logits[0], onset);
    if (token < 0) {
        // Every pitch set that fits the constraints collides with keys still down: wait until
        // they are all up (at most kMaxOffsetUnits), if that is before the end.
        int wait = 0;
        while (soundingAt(m_onset + wait) > 0)
            ++wait;
        onset = m_onset + std::max(wait, offset);
        if (onset >= m_endUnit) {
            m_done = true;
            return;
        }
        token = drawPitchSet(m_pitchSetScores.data(), onset);
        if (token < 0)
            nothingToDraw("pitch set");
        tokens[1] = onset - m_onset;
    } else {
        tokens[1] = offset;
    }
    logits[2][0] = kMasked; // duration class 0 is not a duration
    const int duration = m_sampler.sample(logits[2], kDurationClasses);
    if (duration < 1)
        nothingToDraw("duration");

    m_onset = onset;
    for (int pitch : m_tables->vocabulary.pitchSetOf(token)) {
        m_sounding.push_back({ onset + duration, pitch });
        emit(pitch, m_context.style.velocity, tickOfUnit(onset), tickOfUnit(onset + duration));
        ++m_notes;
    }
    m_repetition.push(token);
    // Notes that ended before this onset can no longer matter.
    m_sounding.erase(std::remove_if(m_sounding.begin(), m_sounding.end(),
                                    [onset](const Sounding &note) { return note.endUnit <= onset; }),
                     m_sounding.end());
    tokens[0] = token;
    tokens[2] = duration;
    ++m_steps;
}

double NotesWalker::timeProgress() const { return spanProgress(m_onset, m_startUnit, m_endUnit); }

} // namespace continuo::generation
