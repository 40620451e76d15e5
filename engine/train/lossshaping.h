// SPDX-License-Identifier: GPL-3.0-or-later
// Tables that shape the training loss: inverse-frequency class weights and the pitch neighbours of
// interval-aware label smoothing.
#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <iterator>
#include <vector>

namespace continuo {

/// Inverse-frequency class weights per head, from the targets in `files`: a class seen n times
/// among N targets of a head with K classes seen gets N / (K n), capped at `maxWeight` (so a class
/// seen once cannot dominate); classes never seen get 1 (they are never a training target).
std::vector<std::vector<float>> inverseFrequencyWeights(const TokenCorpus &corpus,
                                                        const std::vector<std::size_t> &files,
                                                        const std::vector<int> &headSizes,
                                                        float maxWeight = 50.0f);

/// The intervals of label smoothing and their weights: an octave counts twice as much as a
/// fifth, a fourth, a whole step or a half step, up or down.
struct SmoothingInterval
{
    int semitones;
    float weight;
};
inline constexpr SmoothingInterval kSmoothingIntervals[] = { { 12, 2 }, { -12, 2 }, { 7, 1 }, { -7, 1 },
                                                             { 5, 1 },  { -5, 1 },  { 2, 1 }, { -2, 1 },
                                                             { 1, 1 },  { -1, 1 } };
inline constexpr int kSmoothingWidth = int(std::size(kSmoothingIntervals));

/// For every class of head `pitchHead` (pitchHeadOf), the classes an interval of kSmoothingIntervals
/// away, found with the representation's transposer, and their weights normalised to sum 1. A class the
/// transposer leaves as it is (not a pitch: time shifts, velocities, the unknown chord) or cannot move has
/// weight 0 for that interval; a class with no neighbour at all has a row of zeros.
struct PitchNeighbours
{
    std::vector<std::int64_t> classes; ///< [classes][kSmoothingWidth]
    std::vector<float> weights; ///< [classes][kSmoothingWidth]
};
PitchNeighbours intervalNeighbours(int classes, int heads, int pitchHead, const Transposer &transposer);

} // namespace continuo
