// SPDX-License-Identifier: GPL-3.0-or-later
// How finely a seed's time is read: the grid of the notes and compound representations, fitted to
// a seed that moves in steps it cannot hold.
#pragma once

#include "score/score.h"

namespace continuo {

/// A seed's steps between onsets, in units of the model's 1/12-quarter grid, whose distance from
/// the nearest unit averages at least this are not on the grid (a step of 1.5 units is 0.5 off)...
constexpr double kOffGridError = 0.2;
/// ...and, read twice as finely, they are on it when their distance averages at most this.
constexpr double kOnFinerGridError = 0.12;

/// How many times more finely than its division says the model reads `seed`: 2 when its steps
/// between onsets fall between the 1/12-quarter grid's units and on the units of half of them
/// (thirty-second notes, 1/8 of a quarter, which the grid would play as 1/12 and 2/12 by turns; or a
/// file whose MIDI quarter is the music's eighth), else 1. Steps shorter than a quarter of a grid
/// unit (a chord's notes played a little apart) are not counted; a seed played by a person, whose
/// steps sit on no grid, stays at 1. Always 1 for an SMPTE or odd division.
int seedGridFactor(const Score &seed);

/// Steps of a seed on the grid average at most this far from its units (a performance's tempo map
/// leaves its notes a little off)...
constexpr double kOnGridError = 0.1;
/// ...and a seed played by a person in sixteenths (3 units) or triplets (4) takes steps whose
/// distance from that step's multiples averages at most this, in those steps.
constexpr double kOnPlayedStepsError = 0.2;

/// `seed` as the model reads one played by a person: when its steps between onsets are off the
/// grid (kOnGridError) but near multiples of a sixteenth or of a triplet eighth (3 or 4 grid
/// units; kOnPlayedStepsError, the closer of the two), each onset is moved onto those steps,
/// counted from the onset before it (so that a slowing or hurrying tempo does not add up), the
/// notes of a chord played a little apart onto one onset, and then all of them so that the last
/// onset stays where it was played (the continuation goes on from there); durations are kept.
/// Otherwise `seed`.
Score snappedToPlayedSteps(const Score &seed);

/// `score` read `factor` times as finely: its division's ticks per quarter divided by `factor`, its
/// ticks, tempo map, seconds and meter unchanged. The same score for factor 1.
Score readFiner(const Score &score, int factor);

} // namespace continuo
