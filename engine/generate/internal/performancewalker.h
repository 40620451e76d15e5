// SPDX-License-Identifier: GPL-3.0-or-later
// Walking the performance representation: NOTE_ON, NOTE_OFF, TIME_SHIFT and VELOCITY events.
#pragma once

#include "generate/internal/walker.h"

#include <array>

namespace continuo::generation {

/// Masks, before every draw: note-ons outside the constraints, of a key already down, beyond the
/// maximum polyphony or kMostKeysAtOnce at one instant, or once enough notes were played; note-offs of keys
/// not down or struck at this very step; a velocity right after a velocity; time shifts past the longest note
/// allowed. A note that reached the longest length leaves only its note-off, so nothing hangs. A time shift
/// that reaches the budget's end ends the continuation.
class PerformanceWalker : public Walker
{
public:
    /// Keys struck at one instant at most, as by two hands: a model that cannot count (the
    /// baseline) would otherwise strike clusters of dozens of keys.
    static constexpr int kMostKeysAtOnce = 10;

    /// @param seedEndStep  the time the seed's steps reach, in 10 ms steps
    PerformanceWalker(const WalkContext &context, int variation, const NoteStream &stream,
                      std::int64_t seedEndStep, int velocityBin);

    void choose(StepScores &scores, std::int64_t *tokens) override;

private:
    void mask(float *logits) const;
    void apply(int token);
    double timeProgress() const override;
    void closeSounding() override;
    std::int64_t tickOfStep(std::int64_t step) const;

    std::int64_t m_now; ///< 10 ms steps since the seed's start
    std::int64_t m_startStep;
    std::int64_t m_endStep; ///< the budget's end, in steps
    std::int64_t m_capSteps; ///< the longest note allowed, in steps
    int m_velocityBin;
    bool m_lastWasVelocity = false;
    std::array<std::int64_t, 128> m_downSince; ///< step each key went down, -1 when up
    std::array<int, 128> m_downVelocity {};
    int m_downCount = 0;
    int m_struckNow = 0; ///< keys struck since the last time shift
};

} // namespace continuo::generation
