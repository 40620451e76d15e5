// SPDX-License-Identifier: GPL-3.0-or-later
// Musical statistics of a score or a corpus (histograms) and the Wasserstein distances between them.
#pragma once

#include "score/score.h"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace continuo {

/// The statistics Continuo compares. Every histogram has fixed bins (see binCount, binLabel):
///
/// | feature     | what is counted                                         | bins                        |
/// | ----------- | ------------------------------------------------------- | --------------------------- |
/// | PitchClass  | each note's pitch class                                 | 12: C, C#, ..., B (circular) |
/// | Interval    | semitones from one onset's highest note to the next's  | 25: -12..+12, clamped       |
/// | Duration    | each note's written length in quarters                  | 17: 2^((b-8)/2) quarters    |
/// | InterOnset  | quarters from one onset to the next                     | 17: 2^((b-8)/2) quarters    |
/// | Polyphony   | notes sounding at each onset (held ones included)       | 8: 1..7, 8 or more          |
/// | Density     | onsets per quarter note, in each bar                    | 17: 0, 0.5, ..., 8 or more  |
///
/// Onsets are taken on the 1/12-quarter grid (see onsets.h). Durations and inter-onset intervals
/// fall in half-octave (factor sqrt 2) bins from 1/16 to 16 quarters, nearest on a log scale,
/// clamped at both ends. Density bars run from the first onset's bar to the last's, empty bars
/// included. Drum notes are left out; the sustain pedal is not applied (written durations).
enum class Feature { PitchClass, Interval, Duration, InterOnset, Polyphony, Density };
constexpr std::size_t kFeatureCount = 6;

/// "pitch_class", "interval", "duration", "inter_onset", "polyphony", "density" (JSON keys).
const char *featureKey(Feature feature);
/// "pitch class", "melodic interval", "note duration", "inter-onset interval", ... (for people).
const char *featureTitle(Feature feature);
/// Bins of a feature's histogram.
std::size_t binCount(Feature feature);
/// A bin's label for a plot axis: "C#", "-3", "1/4", "8+", "2.5".
std::string binLabel(Feature feature, std::size_t bin);

/// A histogram of counts (weights), one per bin.
struct Histogram
{
    std::vector<double> counts;
    double total() const;
    /// The counts divided by their total (all zeros when the total is 0).
    std::vector<double> normalised() const;
};

/// The histograms of one score, or of many added together (a corpus: the sum over its files).
struct MusicStatistics
{
    std::array<Histogram, kFeatureCount> histograms; ///< indexed by Feature, sized by binCount
    std::size_t scoreCount = 0; ///< scores added
    std::size_t noteCount = 0; ///< pitched notes counted
    std::size_t onsetCount = 0;

    MusicStatistics(); ///< empty histograms of the right sizes
    const Histogram &histogram(Feature feature) const { return histograms[std::size_t(feature)]; }
    /// Adds another's counts (to accumulate a corpus). Any thread (distinct objects).
    void add(const MusicStatistics &other);
    bool isEmpty() const { return noteCount == 0; }
};

/// The statistics of a score's pitched notes. Any thread; never throws.
MusicStatistics computeStatistics(const Score &score);

/// Wasserstein-1 (earth mover's) distance between two histograms on an ordinal axis with bins one
/// unit apart (so the distance is in bins: semitones for intervals, half-octaves for durations):
/// the sum over bins of |CDF_a - CDF_b|. Both are normalised first. Identical inputs give exactly
/// 0. Returns NaN if either is empty (total 0) or their sizes differ. Any thread.
double wassersteinDistance(const std::vector<double> &a, const std::vector<double> &b);

/// The same on a circle of bins (pitch classes: B is one step from C), after Rabin et al. (2011):
/// min over c of the sum of |CDF_a - CDF_b - c|, reached at c = the median of the differences.
/// At most half the number of bins (6 for pitch classes). NaN as above.
double circularWassersteinDistance(const std::vector<double> &a, const std::vector<double> &b);

/// One distance per feature (circular for PitchClass, ordinal for the rest), in Feature order;
/// NaN where either side has no data.
using StatisticsDistances = std::array<double, kFeatureCount>;

/// The distances between two sets of statistics. Any thread.
StatisticsDistances statisticsDistances(const MusicStatistics &a, const MusicStatistics &b);

} // namespace continuo
