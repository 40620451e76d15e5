// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/internal/performancewalker.h"

#include "repr/performance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuo::generation {

using namespace performance;

namespace {
constexpr float kMasked = -std::numeric_limits<float>::infinity();
}

PerformanceWalker::PerformanceWalker(const WalkContext &context, int variation, const NoteStream &stream,
                                     std::int64_t seedEndStep, int velocityBin)
    : Walker(context, variation, stream)
    , m_now(seedEndStep)
    , m_startStep(seedEndStep)
    , m_velocityBin(velocityBin)
{
    m_downSince.fill(-1);
    const TempoMap &tempo = context.seed->tempoMap;
    m_endStep = context.budget.endTick == INT64_MAX
                  ? INT64_MAX
                  : std::int64_t(std::llround(tempo.tickToSeconds(context.budget.endTick) * kStepsPerSecond));
    m_capSteps = std::max<std::int64_t>(
        1, std::llround(context.settings->constraints.maxNoteSeconds * kStepsPerSecond));
}

std::int64_t PerformanceWalker::tickOfStep(std::int64_t step) const
{
    return std::int64_t(std::llround(m_context.seed->tempoMap.secondsToTick(double(step) / kStepsPerSecond)));
}

void PerformanceWalker::mask(float *logits) const
{
    const PitchConstraints &limits = m_context.settings->constraints;
    const bool enoughNotes = m_notes >= m_context.budget.maxNotes;
    const bool polyphonyFull =
        (limits.maxPolyphony > 0 && m_downCount >= limits.maxPolyphony) || m_struckNow >= kMostKeysAtOnce;
    std::int64_t oldest = m_now;
    for (int pitch = 0; pitch < 128; ++pitch)
        if (m_downSince[pitch] >= 0)
            oldest = std::min(oldest, m_downSince[pitch]);
    const bool overdue = m_now - oldest >= m_capSteps;
    for (int pitch = 0; pitch < 128; ++pitch) {
        const bool down = m_downSince[pitch] >= 0;
        if (overdue || down || enoughNotes || polyphonyFull || !limits.allows(pitch))
            logits[kNoteOnBase + pitch] = kMasked;
        // A key goes up only after time passed since it went down (a note lasts a step at least).
        if (!down || m_downSince[pitch] == m_now || (overdue && m_now - m_downSince[pitch] < m_capSteps))
            logits[kNoteOffBase + pitch] = kMasked;
    }
    // A shift may not hold a note longer than allowed. One past the end stays drawable: drawing it
    // ends the continuation (see Walker).
    const std::int64_t longest = m_capSteps - (m_now - oldest);
    for (int shift = 1; shift <= kMaxShiftSteps; ++shift)
        if (overdue || shift > longest)
            logits[kTimeShiftBase + shift - 1] = kMasked;
    if (overdue || enoughNotes || m_lastWasVelocity)
        std::fill(logits + kVelocityBase, logits + kVocabularySize, kMasked);
}

void PerformanceWalker::choose(StepScores &stepScores, std::int64_t *tokens)
{
    if (m_now >= m_endStep || m_steps >= m_context.budget.maxSteps
        || (m_notes >= m_context.budget.maxNotes && m_downCount == 0)) {
        m_done = true;
        return;
    }
    float *scores = stepScores.head(0);
    m_repetition.apply(scores + kNoteOnBase, 128);
    mask(scores);
    const int token = m_sampler.sample(scores, kVocabularySize);
    if (token < 0)
        nothingToDraw("event");
    if (token >= kTimeShiftBase && token < kVelocityBase
        && m_now + (token - kTimeShiftBase + 1) >= m_endStep) {
        m_now = m_endStep; // the model moves past the end: it ends here, what sounds is cut there
        m_done = true;
        return;
    }
    apply(token);
    tokens[0] = token;
    ++m_steps;
}

void PerformanceWalker::apply(int token)
{
    m_lastWasVelocity = false;
    if (token < kNoteOffBase) {
        const int pitch = token - kNoteOnBase;
        m_downSince[pitch] = m_now;
        m_downVelocity[pitch] = binToVelocity(m_velocityBin);
        ++m_downCount;
        ++m_struckNow;
        ++m_notes;
        m_repetition.push(pitch);
    } else if (token < kTimeShiftBase) {
        const int pitch = token - kNoteOffBase;
        const std::int64_t since = m_downSince[pitch];
        emit(pitch, m_downVelocity[pitch], tickOfStep(since), tickOfStep(m_now));
        m_downSince[pitch] = -1;
        --m_downCount;
    } else if (token < kVelocityBase) {
        m_now += token - kTimeShiftBase + 1;
        m_struckNow = 0;
    } else {
        m_velocityBin = token - kVelocityBase + 1;
        m_lastWasVelocity = true;
    }
}

void PerformanceWalker::closeSounding()
{
    for (int pitch = 0; pitch < 128; ++pitch) {
        const std::int64_t since = m_downSince[pitch];
        if (since < 0)
            continue;
        emit(pitch, m_downVelocity[pitch], tickOfStep(since), tickOfStep(std::max(m_now, since + 1)));
        m_downSince[pitch] = -1;
    }
    m_downCount = 0;
}

double PerformanceWalker::timeProgress() const { return spanProgress(m_now, m_startStep, m_endStep); }

} // namespace continuo::generation
