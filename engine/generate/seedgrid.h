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

/// `score` read `factor` times as finely: its division's ticks per quarter divided by `factor`, its
/// ticks, tempo map, seconds and meter unchanged. The same score for factor 1.
Score readFiner(const Score &score, int factor);

} // namespace continuo
