// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers for the analysis tests: small scores from (pitch, start, length) lists, excerpts of real files.
#pragma once

#include "analysis/meter.h"
#include "score/score.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace continuo::test {

/// A note for makeScore: pitch and times in quarters.
struct QNote
{
    int pitch;
    double startQuarters;
    double lengthQuarters;
};

/// A 4/4 score at 480 ticks per quarter (or the given time signature) with the notes on channel 0.
inline Score makeScore(const std::vector<QNote> &notes, int numerator = 4, int denominator = 4)
{
    Score score;
    score.division.ticksPerQuarter = 480;
    score.timeSignatures.push_back({ 0, numerator, denominator });
    score.parts.push_back({});
    for (const QNote &q : notes) {
        Note note;
        note.pitch = q.pitch;
        note.startTick = std::int64_t(q.startQuarters * 480 + 0.5);
        note.endTick = note.startTick + std::int64_t(q.lengthQuarters * 480 + 0.5);
        score.notes.push_back(note);
        score.endTick = std::max(score.endTick, note.endTick);
    }
    score.sortEvents();
    score.updateSeconds();
    return score;
}

/// A melody: one note a quarter from tick 0.
inline Score melody(std::initializer_list<int> pitches, double lengthQuarters = 1.0)
{
    std::vector<QNote> notes;
    double at = 0.0;
    for (const int pitch : pitches) {
        notes.push_back({ pitch, at, lengthQuarters });
        at += lengthQuarters;
    }
    return makeScore(notes);
}

/// The start tick of a 1-based bar of a score.
inline std::int64_t barStartTick(const Score &score, int bar)
{
    BarPosition position = barAt(score, 0);
    while (position.bar < bar)
        position = barAt(score, position.startTick + position.lengthTicks);
    return position.startTick;
}

/// The notes of bars [firstBar, lastBar] (by onset), moved by `shiftTicks` and `semitones`, in a
/// score with the source's division and time signatures.
inline Score excerpt(const Score &source, int firstBar, int lastBar, std::int64_t shiftTicks = 0,
                     int semitones = 0)
{
    Score result;
    result.division = source.division;
    result.timeSignatures = source.timeSignatures;
    result.parts.push_back({});
    const std::int64_t from = barStartTick(source, firstBar), to = barStartTick(source, lastBar + 1);
    for (Note note : source.notes)
        if (!note.isDrum() && note.startTick >= from && note.startTick < to) {
            note.startTick += shiftTicks - from;
            note.endTick += shiftTicks - from;
            note.pitch += semitones;
            note.part = 0;
            result.notes.push_back(note);
            result.endTick = std::max(result.endTick, note.endTick);
        }
    result.sortEvents();
    result.updateSeconds();
    return result;
}

} // namespace continuo::test
