// SPDX-License-Identifier: GPL-3.0-or-later
// Histograms of a score and Wasserstein-1 distances between them.
#include "analysis/statistics.h"

#include "analysis/meter.h"
#include "analysis/onsets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <queue>

namespace continuo {

namespace {

constexpr int kMaxInterval = 12;
constexpr int kLogBins = 17; ///< half-octave bins of 1/16 .. 16 quarters
constexpr int kLogCentre = 8; ///< the bin of one quarter
constexpr int kMaxPolyphony = 8;
constexpr int kDensitySteps = 2; ///< density bins per onset per quarter
constexpr int kDensityBins = 17;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t logBin(double quarters)
{
    if (!(quarters > 0.0))
        return 0;
    const long bin = std::lround(2.0 * std::log2(quarters)) + kLogCentre;
    return std::size_t(std::clamp<long>(bin, 0, kLogBins - 1));
}

/// "1/16", "1/8", "1/4", "3/8"-ish labels of the half-octave bins: the centre, rounded.
std::string logBinLabel(std::size_t bin)
{
    const double quarters = std::exp2((double(bin) - kLogCentre) / 2.0);
    char text[32];
    if (quarters >= 1.0)
        std::snprintf(text, sizeof text, "%.3g", quarters);
    else
        std::snprintf(text, sizeof text, "1/%.3g", 1.0 / quarters);
    return text;
}

/// The cumulative differences CDF_a - CDF_b of two normalised histograms; empty if either
/// cannot be compared.
std::vector<double> cdfDifferences(const std::vector<double> &a, const std::vector<double> &b)
{
    const Histogram ha { a }, hb { b };
    const double ta = ha.total(), tb = hb.total();
    if (a.size() != b.size() || a.empty() || !(ta > 0.0) || !(tb > 0.0))
        return {};
    std::vector<double> differences(a.size());
    double ca = 0.0, cb = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ca += a[i] / ta;
        cb += b[i] / tb;
        differences[i] = ca - cb;
    }
    return differences;
}

} // namespace

const char *featureKey(Feature feature)
{
    switch (feature) {
    case Feature::PitchClass: return "pitch_class";
    case Feature::Interval: return "interval";
    case Feature::Duration: return "duration";
    case Feature::InterOnset: return "inter_onset";
    case Feature::Polyphony: return "polyphony";
    case Feature::Density: return "density";
    }
    return "?";
}

const char *featureTitle(Feature feature)
{
    switch (feature) {
    case Feature::PitchClass: return "pitch class";
    case Feature::Interval: return "melodic interval";
    case Feature::Duration: return "note duration";
    case Feature::InterOnset: return "inter-onset interval";
    case Feature::Polyphony: return "polyphony";
    case Feature::Density: return "note density";
    }
    return "?";
}

std::size_t binCount(Feature feature)
{
    switch (feature) {
    case Feature::PitchClass: return 12;
    case Feature::Interval: return 2 * kMaxInterval + 1;
    case Feature::Duration:
    case Feature::InterOnset: return kLogBins;
    case Feature::Polyphony: return kMaxPolyphony;
    case Feature::Density: return kDensityBins;
    }
    return 0;
}

std::string binLabel(Feature feature, std::size_t bin)
{
    static const char *const kPitchClasses[12] = { "C",  "C#", "D",  "Eb", "E",  "F",
                                                   "F#", "G",  "Ab", "A",  "Bb", "B" };
    switch (feature) {
    case Feature::PitchClass: return bin < 12 ? kPitchClasses[bin] : "?";
    case Feature::Interval: {
        const int semitones = int(bin) - kMaxInterval;
        return (semitones > 0 ? "+" : "") + std::to_string(semitones);
    }
    case Feature::Duration:
    case Feature::InterOnset: return logBinLabel(bin);
    case Feature::Polyphony: return std::to_string(bin + 1) + (bin + 1 == kMaxPolyphony ? "+" : "");
    case Feature::Density: {
        char text[16];
        std::snprintf(text, sizeof text, "%g%s", double(bin) / kDensitySteps,
                      bin + 1 == kDensityBins ? "+" : "");
        return text;
    }
    }
    return "?";
}

double Histogram::total() const
{
    double sum = 0.0;
    for (const double count : counts)
        sum += count;
    return sum;
}

std::vector<double> Histogram::normalised() const
{
    const double sum = total();
    std::vector<double> result(counts.size(), 0.0);
    if (sum > 0.0)
        for (std::size_t i = 0; i < counts.size(); ++i)
            result[i] = counts[i] / sum;
    return result;
}

MusicStatistics::MusicStatistics()
{
    for (std::size_t f = 0; f < kFeatureCount; ++f)
        histograms[f].counts.assign(binCount(Feature(f)), 0.0);
}

void MusicStatistics::add(const MusicStatistics &other)
{
    for (std::size_t f = 0; f < kFeatureCount; ++f)
        for (std::size_t b = 0; b < histograms[f].counts.size() && b < other.histograms[f].counts.size(); ++b)
            histograms[f].counts[b] += other.histograms[f].counts[b];
    scoreCount += other.scoreCount;
    noteCount += other.noteCount;
    onsetCount += other.onsetCount;
}

MusicStatistics computeStatistics(const Score &score)
{
    MusicStatistics stats;
    stats.scoreCount = 1;
    const auto count = [&](Feature feature, std::size_t bin) {
        stats.histograms[std::size_t(feature)].counts[bin] += 1.0;
    };
    const double tpq = score.ticksPerQuarter();
    const std::vector<Onset> onsets = onsetsOf(score);
    stats.onsetCount = onsets.size();

    // Pitch classes, durations, and polyphony by a sweep: the ends of the sounding notes in a heap.
    std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> sounding;
    std::size_t next = 0;
    for (const Onset &onset : onsets) {
        while (!sounding.empty() && sounding.top() <= onset.tick)
            sounding.pop();
        for (; next < score.notes.size(); ++next) {
            const Note &note = score.notes[next];
            if (note.isDrum())
                continue;
            if (onsetGridUnit(note.startTick, score.ticksPerQuarter()) != onset.gridUnit)
                break;
            ++stats.noteCount;
            count(Feature::PitchClass, std::size_t(note.pitch % 12));
            count(Feature::Duration, logBin(double(note.durationTicks()) / tpq));
            sounding.push(note.endTick);
        }
        count(Feature::Polyphony, std::min<std::size_t>(sounding.size(), kMaxPolyphony) - 1);
    }

    for (std::size_t i = 1; i < onsets.size(); ++i) {
        const int interval =
            std::clamp(onsets[i].highestPitch - onsets[i - 1].highestPitch, -kMaxInterval, kMaxInterval);
        count(Feature::Interval, std::size_t(interval + kMaxInterval));
        const double quarters = double(onsets[i].gridUnit - onsets[i - 1].gridUnit) / kOnsetGridPerQuarter;
        count(Feature::InterOnset, logBin(quarters));
    }

    // Density: onsets per quarter in every bar from the first onset's to the last's.
    if (!onsets.empty()) {
        std::size_t at = 0;
        for (BarPosition bar = barAt(score, onsets.front().tick); at < onsets.size();
             bar = barAt(score, bar.startTick + bar.lengthTicks)) {
            std::size_t inBar = 0;
            for (; at < onsets.size() && onsets[at].tick < bar.startTick + bar.lengthTicks; ++at)
                ++inBar;
            const double perQuarter = double(inBar) / (double(bar.lengthTicks) / tpq);
            count(Feature::Density,
                  std::size_t(std::min<long>(std::lround(perQuarter * kDensitySteps), kDensityBins - 1)));
        }
    }
    return stats;
}

double wassersteinDistance(const std::vector<double> &a, const std::vector<double> &b)
{
    const std::vector<double> differences = cdfDifferences(a, b);
    if (differences.empty())
        return kNaN;
    double sum = 0.0;
    for (const double d : differences)
        sum += std::abs(d);
    return sum;
}

double circularWassersteinDistance(const std::vector<double> &a, const std::vector<double> &b)
{
    const std::vector<double> differences = cdfDifferences(a, b);
    if (differences.empty())
        return kNaN;
    // On a circle the cut point is free: shifting every CDF difference by c covers all cuts, and
    // the sum of |d - c| is least at a median of the d.
    std::vector<double> sorted = differences;
    std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    double sum = 0.0;
    for (const double d : differences)
        sum += std::abs(d - median);
    return sum;
}

StatisticsDistances statisticsDistances(const MusicStatistics &a, const MusicStatistics &b)
{
    StatisticsDistances distances {};
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
        const auto &ca = a.histograms[f].counts, &cb = b.histograms[f].counts;
        distances[f] = Feature(f) == Feature::PitchClass ? circularWassersteinDistance(ca, cb)
                                                         : wassersteinDistance(ca, cb);
    }
    return distances;
}

} // namespace continuo
