// SPDX-License-Identifier: GPL-3.0-or-later
// Pitch, key, density, register, rhythm and loop figures of a continuation against the true one.
#include "analysis/continuationmetrics.h"

#include "analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace continuo {

namespace {

constexpr double kNaN = ContinuationFigures::kUndefined;
constexpr int kIoiCentreBin = 10; ///< the bin of 2^0 = 1 second
constexpr std::size_t kScaleClasses = 7; ///< pitch classes of a diatonic scale

std::vector<const Note *> pitchedNotes(const std::vector<Note> &notes)
{
    std::vector<const Note *> pitched;
    pitched.reserve(notes.size());
    for (const Note &note : notes)
        if (!note.isDrum())
            pitched.push_back(&note);
    return pitched;
}

Histogram pitchClassHistogram(const std::vector<const Note *> &notes)
{
    Histogram histogram { std::vector<double>(12, 0.0) };
    for (const Note *note : notes)
        histogram.counts[std::size_t(note->pitch % 12)] += 1.0;
    return histogram;
}

/// Sum over bins of min(a, b) of two normalised histograms: 1 for equal distributions, 0 for
/// disjoint ones.
double overlap(const Histogram &a, const Histogram &b)
{
    const std::vector<double> na = a.normalised(), nb = b.normalised();
    double sum = 0.0;
    for (std::size_t i = 0; i < na.size() && i < nb.size(); ++i)
        sum += std::min(na[i], nb[i]);
    return sum;
}

/// The notes sorted by onset, those of one onset (kContinuationOnsetToleranceSec) by pitch, and
/// where each onset begins: onsetStarts[k] is the index of onset k's first note.
struct OnsetOrder
{
    std::vector<const Note *> notes;
    std::vector<double> onsetSec; ///< time of each onset: its first note's startSec
    std::vector<std::size_t> onsetStarts;
};

OnsetOrder onsetOrder(const std::vector<Note> &notes)
{
    OnsetOrder order;
    order.notes = pitchedNotes(notes);
    std::stable_sort(order.notes.begin(), order.notes.end(),
                     [](const Note *a, const Note *b) { return a->startSec < b->startSec; });
    // An onset is measured from its first note, so a run of notes 15 ms apart does not chain
    // into one long onset.
    for (std::size_t i = 0; i < order.notes.size(); ++i) {
        const double at = order.notes[i]->startSec;
        if (order.onsetSec.empty() || at - order.onsetSec.back() >= kContinuationOnsetToleranceSec) {
            order.onsetSec.push_back(at);
            order.onsetStarts.push_back(i);
        }
    }
    for (std::size_t k = 0; k < order.onsetStarts.size(); ++k) {
        const auto first = order.notes.begin() + std::ptrdiff_t(order.onsetStarts[k]);
        const auto last = k + 1 < order.onsetStarts.size()
                            ? order.notes.begin() + std::ptrdiff_t(order.onsetStarts[k + 1])
                            : order.notes.end();
        std::stable_sort(first, last, [](const Note *a, const Note *b) { return a->pitch < b->pitch; });
    }
    return order;
}

std::size_t ioiBin(double seconds)
{
    if (!(seconds > 0.0))
        return 0;
    const long bin = std::lround(2.0 * std::log2(seconds)) + kIoiCentreBin;
    return std::size_t(std::clamp<long>(bin, 0, long(kContinuationIoiBins) - 1));
}

Histogram ioiHistogram(const std::vector<Note> &notes)
{
    const std::vector<double> onsets = onsetOrder(notes).onsetSec;
    Histogram histogram { std::vector<double>(kContinuationIoiBins, 0.0) };
    for (std::size_t i = 1; i < onsets.size(); ++i)
        histogram.counts[ioiBin(onsets[i] - onsets[i - 1])] += 1.0;
    return histogram;
}

/// Share of the notes whose pitch class is marked in `scale`.
double shareInScale(const std::vector<const Note *> &notes, const std::array<bool, 12> &scale)
{
    std::size_t inside = 0;
    for (const Note *note : notes)
        inside += scale[std::size_t(note->pitch % 12)] ? 1 : 0;
    return double(inside) / double(notes.size());
}

/// The seed's (up to) kScaleClasses most frequent pitch classes that occur, ties to the lower class.
std::array<bool, 12> seedScale(const Histogram &seedClasses)
{
    std::array<std::size_t, 12> classes;
    std::iota(classes.begin(), classes.end(), std::size_t(0));
    // Stable on the ascending classes: equal counts keep the lower class first.
    std::stable_sort(classes.begin(), classes.end(), [&](std::size_t a, std::size_t b) {
        return seedClasses.counts[a] > seedClasses.counts[b];
    });
    std::array<bool, 12> scale {};
    for (std::size_t i = 0; i < kScaleClasses; ++i)
        if (seedClasses.counts[classes[i]] > 0.0)
            scale[classes[i]] = true;
    return scale;
}

double meanPitch(const std::vector<const Note *> &notes)
{
    double sum = 0.0;
    for (const Note *note : notes)
        sum += note->pitch;
    return sum / double(notes.size());
}

int pitchSpan(const std::vector<const Note *> &notes)
{
    const auto [low, high] = std::minmax_element(
        notes.begin(), notes.end(), [](const Note *a, const Note *b) { return a->pitch < b->pitch; });
    return (*high)->pitch - (*low)->pitch;
}

std::size_t fieldIndex(double ContinuationFigures::*field)
{
    for (std::size_t i = 0; i < kContinuationFigureCount; ++i)
        if (kContinuationFigureFields[i] == field)
            return i;
    return kContinuationFigureCount;
}

} // namespace

double loopShare(const std::vector<Note> &seed, const std::vector<Note> &continuation)
{
    const std::vector<const Note *> a = onsetOrder(seed).notes;
    const std::vector<const Note *> b = onsetOrder(continuation).notes;
    if (a.empty() || b.empty())
        return 0.0;
    // Longest common substring: run[j] is the length of the common run ending at seed note i and
    // continuation note j - 1, one row of the classic table at a time.
    std::vector<std::size_t> run(b.size() + 1, 0);
    std::size_t longest = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        // Right to left, so run[j - 1] still holds the previous row's value.
        for (std::size_t j = b.size(); j > 0; --j) {
            run[j] = a[i]->pitch == b[j - 1]->pitch ? run[j - 1] + 1 : 0;
            longest = std::max(longest, run[j]);
        }
    }
    return double(longest) / double(b.size());
}

ContinuationFigures compareContinuation(const std::vector<Note> &seed, const std::vector<Note> &continuation,
                                        const std::vector<Note> &truth)
{
    ContinuationFigures figures;
    const std::vector<const Note *> seedNotes = pitchedNotes(seed);
    const std::vector<const Note *> generated = pitchedNotes(continuation);
    const std::vector<const Note *> real = pitchedNotes(truth);

    if (!generated.empty() && !real.empty()) {
        const Histogram generatedClasses = pitchClassHistogram(generated);
        const Histogram realClasses = pitchClassHistogram(real);
        figures.pitchContent = overlap(generatedClasses, realClasses);
        if (!seedNotes.empty()) {
            const std::array<bool, 12> scale = seedScale(pitchClassHistogram(seedNotes));
            figures.key = shareInScale(generated, scale) - shareInScale(real, scale);
        }
        figures.density = std::abs(std::log2(double(generated.size()) / double(real.size())));
        figures.registerMean = std::abs(meanPitch(generated) - meanPitch(real));
        figures.registerSpan = std::abs(double(pitchSpan(generated) - pitchSpan(real)));
    }

    const Histogram generatedIois = ioiHistogram(continuation);
    const Histogram realIois = ioiHistogram(truth);
    if (generatedIois.total() > 0.0 && realIois.total() > 0.0)
        figures.rhythm = overlap(generatedIois, realIois);

    figures.loop = loopShare(seed, continuation);
    return figures;
}

void ContinuationSummary::add(const ContinuationFigures &figures)
{
    ++m_count;
    for (std::size_t i = 0; i < kContinuationFigureCount; ++i) {
        const double value = figures.*kContinuationFigureFields[i];
        if (std::isnan(value))
            continue;
        m_sums[i] += value;
        ++m_defined[i];
    }
}

std::size_t ContinuationSummary::definedCount(double ContinuationFigures::*field) const
{
    const std::size_t i = fieldIndex(field);
    return i < kContinuationFigureCount ? m_defined[i] : 0;
}

ContinuationFigures ContinuationSummary::average() const
{
    ContinuationFigures mean;
    for (std::size_t i = 0; i < kContinuationFigureCount; ++i)
        mean.*kContinuationFigureFields[i] = m_defined[i] > 0 ? m_sums[i] / double(m_defined[i]) : kNaN;
    return mean;
}

ContinuationFigures averageFigures(const std::vector<ContinuationFigures> &figures)
{
    ContinuationSummary summary;
    for (const ContinuationFigures &f : figures)
        summary.add(f);
    return summary.average();
}

std::vector<Note> notesInSeconds(const Score &score, double fromSec, double toSec)
{
    std::vector<Note> notes;
    for (const Note &note : score.notes) {
        if (note.isDrum() || !(note.startSec >= fromSec && note.startSec < toSec))
            continue;
        Note moved = note;
        moved.startSec -= fromSec;
        moved.endSec -= fromSec;
        notes.push_back(moved);
    }
    return notes;
}

} // namespace continuo
