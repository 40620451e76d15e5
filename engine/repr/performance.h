// SPDX-License-Identifier: GPL-3.0-or-later
// The performance representation (Performance RNN's 388 events): score <-> token sequence.
#pragma once

#include "score/score.h"

#include <cstdint>
#include <string>
#include <vector>

namespace continuo {

/// Performance RNN's event vocabulary: NOTE_ON x128, NOTE_OFF x128, TIME_SHIFT x100 (10 ms to
/// 1 s), VELOCITY x32 bins; 388 tokens. Times are quantized to 10 ms steps.
namespace performance {
constexpr int kNoteOnBase = 0;
constexpr int kNoteOffBase = 128;
constexpr int kTimeShiftBase = 256; ///< token kTimeShiftBase + s - 1 advances s steps (1..100)
constexpr int kVelocityBase = 356; ///< token kVelocityBase + b - 1 sets velocity bin b (1..32)
constexpr int kVocabularySize = 388;
constexpr int kStepsPerSecond = 100;
constexpr int kMaxShiftSteps = 100;
constexpr int kVelocityBins = 32;

/// Velocity 1..127 -> bin 1..32 (as Magenta: bins of 4 velocities).
int velocityToBin(int velocity);
/// Bin 1..32 -> the lowest velocity of the bin.
int binToVelocity(int bin);
/// "NOTE_ON(60)", "TIME_SHIFT(25)", "VELOCITY(20)", ... for logs and tests.
std::string tokenName(int token);
} // namespace performance

/// What encoding left out (reported to the user by the dataset scan).
struct PerformanceEncodingStats
{
    std::size_t notes = 0; ///< notes encoded
    std::size_t drumNotes = 0; ///< percussion notes left out
    std::size_t lengthenedNotes = 0; ///< notes shorter than one step, lengthened to 10 ms
    std::size_t cutNotes = 0; ///< notes ended early because the same key was struck again
    std::size_t duplicateNotes = 0; ///< notes dropped because another began on the same key at the same time
};

/// The notes as the performance encoding sees them, in seconds: the sustain pedal applied, drums
/// left out, all parts merged, and one note per key at a time (a note still sounding when its key
/// is struck again ends there, as on a piano; of two notes starting together on one key, the
/// longer stays). Sorted by onset. Any thread.
std::vector<Note> performanceNotes(const Score &score, PerformanceEncodingStats *stats = nullptr);

/// Encodes performanceNotes(score) as performance tokens. Note starts and ends are rounded to the
/// nearest 10 ms; a note that would last zero steps lasts one. At one instant, note-offs come
/// before note-ons; a VELOCITY token precedes a note-on whenever its bin differs from the last.
/// Any thread. Never throws.
std::vector<int> encodePerformance(const Score &score, PerformanceEncodingStats *stats = nullptr);

/// Decodes performance tokens into a one-part piano score at 120 bpm with 500 ticks per quarter
/// (one tick = 1 ms). NOTE_OFF closes the oldest sounding note of that pitch; a NOTE_OFF with
/// nothing sounding is ignored; notes still sounding at the end close there (at least one step
/// long). Tokens outside the vocabulary are ignored. Any thread. Never throws.
Score decodePerformance(const std::vector<int> &tokens);

} // namespace continuo
