// SPDX-License-Identifier: GPL-3.0-or-later
// The compound representation: one step per note, four attributes (time, pitch, duration, velocity).
#pragma once

#include "repr/grid.h"
#include "score/score.h"

#include <cstdint>
#include <vector>

namespace continuo {

namespace compoundrepr {
constexpr int kGridPerQuarter = 12; ///< 1/12 quarter (repr/grid.h): sixteenths and triplets
constexpr int kMaxTimeUnits = 96; ///< a step moves time by 0..8 quarters; longer rests take wait steps
constexpr int kMaxDurationUnits = 576; ///< a step's duration: 1..48 quarters; longer notes take hold steps
constexpr int kVelocityBins = 32; ///< velocity / 4

// The pitch head: every MIDI pitch, then control tokens.
constexpr int kWait = 128; ///< no note: time moves on (rests longer than kMaxTimeUnits)
constexpr int kHold = 129; ///< time 0: the previous note lasts `duration` units more (notes over 48 quarters)
constexpr int kFirstReserved = 130; ///< 130 and 131 are reserved for the infilling markers
constexpr int kReservedCount = 2;

constexpr int kTimeClasses = kMaxTimeUnits + 1; ///< class = grid units since the previous step
constexpr int kPitchClasses = kFirstReserved + kReservedCount;
constexpr int kDurationClasses = kMaxDurationUnits + 1; ///< class = grid units (0 only on wait steps)
constexpr int kVelocityClasses = kVelocityBins;
constexpr int kHeads = 4;
constexpr int kDecodeTicksPerQuarter = grid::kDecodeTicksPerQuarter;

/// The velocity class of a MIDI velocity, and the velocity a class plays at.
inline int velocityBin(int velocity) { return velocity < 1 ? 0 : (velocity > 127 ? 127 : velocity) / 4; }
inline int binVelocity(int bin) { return bin < 1 ? 2 : (bin > 31 ? 126 : bin * 4 + 2); }
} // namespace compoundrepr

/// One step: a note (or a wait) with its time since the previous step's onset, on the grid. The
/// further notes of a chord come low to high with time 0; every head has its own softmax.
struct CompoundStep
{
    int time = 0; ///< grid units since the previous step (0..kMaxTimeUnits)
    int pitch = 60; ///< MIDI pitch, kWait or kHold
    int duration = 1; ///< grid units (1..kMaxDurationUnits); 0 on a wait step
    int velocity = 20; ///< velocity bin
    bool operator==(const CompoundStep &o) const
    {
        return time == o.time && pitch == o.pitch && duration == o.duration && velocity == o.velocity;
    }
};

/// What quantization changed, for the scan report.
struct CompoundEncodingStats
{
    std::size_t notes = 0; ///< notes encoded
    std::size_t drumNotes = 0; ///< percussion notes left out
    std::size_t mergedNotes =
        0; ///< notes on the same pitch and grid onset as another (the longest, loudest kept)
    std::size_t lengthenedNotes = 0; ///< notes shorter than half a grid unit, lengthened to one
    std::size_t holdSteps = 0; ///< steps that lengthen a note beyond kMaxDurationUnits
};

/// Quantizes the score's non-drum notes (written durations) to the 1/12-quarter grid: one step per
/// distinct (onset, pitch), in onset order, low to high; rests longer than kMaxTimeUnits become wait
/// steps, notes longer than kMaxDurationUnits take hold steps after them. Nothing is unknown or
/// clamped. Any thread. Never throws.
std::vector<CompoundStep> compoundSteps(const Score &score, CompoundEncodingStats *stats = nullptr);

/// Steps as model tokens, step after step: time, pitch, duration, velocity.
std::vector<std::int32_t> flattenCompoundSteps(const std::vector<CompoundStep> &steps);
/// The steps of flattenCompoundSteps() output (any trailing partial step is ignored).
std::vector<CompoundStep> compoundStepsOf(const std::int32_t *tokens, std::size_t stepCount);

/// Decodes steps into a one-part score at 480 ticks per quarter and 120 bpm. Out-of-range values
/// are clamped; a hold lengthens the note before it; reserved tokens sound nothing but keep time.
/// Never throws.
Score decodeCompound(const std::vector<CompoundStep> &steps);

/// Shifts the pitch of every note step of flattened tokens; false (nothing changed) if a pitch
/// would leave 0..127.
bool transposeCompound(std::int32_t *tokens, std::size_t stepCount, int semitones);

} // namespace continuo
