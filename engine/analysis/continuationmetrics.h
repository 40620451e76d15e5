// SPDX-License-Identifier: GPL-3.0-or-later
// Figures that compare a generated continuation of a seed with the piece's true continuation.
#pragma once

#include "score/score.h"

#include <array>
#include <cstddef>
#include <limits>
#include <vector>

namespace continuo {

/// Onsets of notes less than this far apart are one onset (a chord played loosely), in seconds.
constexpr double kContinuationOnsetToleranceSec = 0.020;

/// Inter-onset interval bins of ContinuationFigures::rhythm: bin b is centred on 2^((b - 10) / 2)
/// seconds, b = 0..14, so the centres run from 1/32 s to 4 s in half-octave (factor sqrt 2) steps.
/// An interval falls in the bin nearest on a log scale, clamped at both ends.
constexpr std::size_t kContinuationIoiBins = 15;

/// The figures of one continuation against the true one. Every input is a list of notes with
/// times in seconds (startSec, endSec), because seed, truth and continuation may come from files
/// with different tempi; drum notes are left out everywhere. A field is NaN where it is undefined
/// (see each); a default-constructed value is all NaN.
struct ContinuationFigures
{
    static constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();

    /// Overlap of the two normalised pitch-class histograms (continuation, truth): the sum over the
    /// 12 classes of min(a, b), 0..1, 1 for the same distribution. NaN if either has no notes.
    double pitchContent = kUndefined;
    /// Share of the continuation's notes whose pitch class is among the seed's most frequent
    /// classes, minus the same share of the truth's notes: -1..1, 0 ideal, negative when the
    /// continuation leaves the seed's scale more often than the piece does. The seed's classes are
    /// its 7 most frequent that occur at all (fewer if it uses fewer), ties broken by the lower
    /// pitch class (C = 0). NaN if the seed, the continuation or the truth has no notes.
    double key = kUndefined;
    /// |log2(continuation notes / truth notes)|: 0 for as many notes, 1 for twice or half as many.
    /// NaN if either has no notes.
    double density = kUndefined;
    /// |mean pitch - the truth's mean pitch|, in semitones. NaN if either has no notes.
    double registerMean = kUndefined;
    /// |(highest - lowest pitch) - the truth's (highest - lowest)|, in semitones. NaN if either has
    /// no notes.
    double registerSpan = kUndefined;
    /// Overlap (sum of min, 0..1) of the normalised histograms of inter-onset intervals, in seconds
    /// between successive distinct onsets (see kContinuationOnsetToleranceSec), in the
    /// kContinuationIoiBins log-spaced bins. NaN if either has fewer than two onsets.
    double rhythm = kUndefined;
    /// loopShare(seed, continuation): 0..1, 1 for a verbatim loop of the seed.
    double loop = kUndefined;
};

/// The number of fields of ContinuationFigures.
constexpr std::size_t kContinuationFigureCount = 7;

/// The fields of ContinuationFigures in declaration order, for code that treats them alike.
constexpr std::array<double ContinuationFigures::*, kContinuationFigureCount> kContinuationFigureFields = {
    &ContinuationFigures::pitchContent, &ContinuationFigures::key,          &ContinuationFigures::density,
    &ContinuationFigures::registerMean, &ContinuationFigures::registerSpan, &ContinuationFigures::rhythm,
    &ContinuationFigures::loop,
};

/// The longest run of consecutive continuation pitches that occurs verbatim (same pitches, same
/// order, not transposed) as consecutive pitches of the seed, divided by the continuation's note
/// count: 0..1. Both lists are put in onset order (startSec, onsets less than
/// kContinuationOnsetToleranceSec apart taken as one) with the notes of one onset ordered by pitch;
/// drum notes are left out. A continuation that replays the seed, or any stretch of it, once
/// scores 1.0; one that plays the whole seed twice in a row scores 0.5 (the run cannot be longer
/// than the seed). Returns 0 for an empty continuation or seed. O(seed × continuation) time,
/// O(continuation) memory. Any thread; never throws but bad_alloc.
double loopShare(const std::vector<Note> &seed, const std::vector<Note> &continuation);

/// The figures of `continuation` against `truth`, the notes that really follow `seed` in the piece
/// (see ContinuationFigures). Times in seconds, each list from its own zero; the order of the
/// notes does not matter. Any thread; never throws but bad_alloc.
ContinuationFigures compareContinuation(const std::vector<Note> &seed, const std::vector<Note> &continuation,
                                        const std::vector<Note> &truth);

/// The means of many ContinuationFigures, field by field, each over the values that are not NaN.
/// A value type; one thread at a time (distinct objects: any thread).
class ContinuationSummary
{
public:
    /// Adds one continuation's figures; its NaN fields count only in count().
    void add(const ContinuationFigures &figures);
    /// Figures added.
    std::size_t count() const { return m_count; }
    /// Figures added whose `field` (for example &ContinuationFigures::rhythm) was not NaN.
    std::size_t definedCount(double ContinuationFigures::*field) const;
    /// The mean of each field over its defined values; NaN for a field that was never defined
    /// (and for every field before the first add).
    ContinuationFigures average() const;

private:
    std::array<double, kContinuationFigureCount> m_sums {};
    std::array<std::size_t, kContinuationFigureCount> m_defined {};
    std::size_t m_count = 0;
};

/// The means of `figures`, field by field (ContinuationSummary::average). Any thread.
ContinuationFigures averageFigures(const std::vector<ContinuationFigures> &figures);

/// The pitched notes of `score` whose onset lies in [fromSec, toSec), in the score's note order,
/// with startSec and endSec moved back by fromSec so that fromSec becomes 0. Durations are kept:
/// a note that rings past toSec is not cut. Ticks, channel, part and the rest are left as in the
/// score. Reads the notes' startSec/endSec as they are (call Score::updateSeconds after editing
/// ticks). Empty when toSec <= fromSec. Any thread; never throws but bad_alloc.
std::vector<Note> notesInSeconds(const Score &score, double fromSec, double toSec);

} // namespace continuo
