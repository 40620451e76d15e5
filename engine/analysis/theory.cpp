// SPDX-License-Identifier: GPL-3.0-or-later
// Key finding (Krumhansl-Schmuckler) and chord labels by templates over each beat's sound.
#include "analysis/theory.h"

#include "analysis/meter.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace continuo {

namespace {

using Profile = std::array<double, 12>;

// Krumhansl and Kessler (1982), probe-tone ratings from the tonic up (Krumhansl, "Cognitive
// Foundations of Musical Pitch", 1990, table 2.1).
constexpr Profile kMajorProfile = { 6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88 };
constexpr Profile kMinorProfile = { 6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17 };

double correlation(const Profile &x, const Profile &y, int rotation)
{
    double meanX = 0.0, meanY = 0.0;
    for (int i = 0; i < 12; ++i) {
        meanX += x[std::size_t(i)] / 12.0;
        meanY += y[std::size_t(i)] / 12.0;
    }
    double xy = 0.0, xx = 0.0, yy = 0.0;
    for (int pc = 0; pc < 12; ++pc) {
        // The profile is from the tonic: pitch class pc is degree pc - rotation.
        const double dx = x[std::size_t(pc)] - meanX, dy = y[std::size_t((pc - rotation + 12) % 12)] - meanY;
        xy += dx * dy;
        xx += dx * dx;
        yy += dy * dy;
    }
    return xx > 0.0 && yy > 0.0 ? xy / std::sqrt(xx * yy) : 0.0;
}

bool inRange(const Note &note, std::int64_t fromTick, std::int64_t toTick)
{
    return !note.isDrum() && note.startTick >= fromTick && note.startTick < toTick;
}

struct Template
{
    ChordQuality quality;
    std::vector<int> intervals; ///< semitones above the root
};

const std::vector<Template> &chordTemplates()
{
    static const std::vector<Template> templates = {
        { ChordQuality::Major, { 0, 4, 7 } },
        { ChordQuality::Minor, { 0, 3, 7 } },
        { ChordQuality::Diminished, { 0, 3, 6 } },
        { ChordQuality::Dominant7, { 0, 4, 7, 10 } },
        { ChordQuality::Major7, { 0, 4, 7, 11 } },
        { ChordQuality::Minor7, { 0, 3, 7, 10 } },
        { ChordQuality::HalfDiminished7, { 0, 3, 6, 10 } },
        { ChordQuality::Diminished7, { 0, 3, 6, 9 } },
    };
    return templates;
}

/// A pitch class sounds "for a fair part of the beat" when it weighs this much of the loudest one.
constexpr double kSignificantShare = 0.2;
/// Tones outside the chord may weigh at most this share of the beat's sound.
constexpr double kMaxForeignShare = 0.25;

/// The clear chord of a beat's pitch-class weights, if any.
bool labelBeat(const Profile &weights, int bassPitchClass, ChordLabel &label)
{
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    const double loudest = *std::max_element(weights.begin(), weights.end());
    if (!(total > 0.0))
        return false;
    bool found = false;
    std::size_t bestTones = 0;
    bool bestInBass = false;
    double bestWeight = 0.0;
    for (const Template &t : chordTemplates())
        for (int root = 0; root < 12; ++root) {
            double weight = 0.0;
            bool complete = true;
            for (const int interval : t.intervals) {
                const double w = weights[std::size_t((root + interval) % 12)];
                complete = complete && w >= kSignificantShare * loudest;
                weight += w;
            }
            if (!complete || total - weight > kMaxForeignShare * total)
                continue;
            const bool inBass = root == bassPitchClass;
            const bool better = !found || t.intervals.size() > bestTones
                             || (t.intervals.size() == bestTones
                                 && (inBass > bestInBass || (inBass == bestInBass && weight > bestWeight)));
            if (better) {
                found = true;
                bestTones = t.intervals.size();
                bestInBass = inBass;
                bestWeight = weight;
                label.root = root;
                label.quality = t.quality;
            }
        }
    if (found)
        label.name = chordName(label.root, label.quality);
    return found;
}

} // namespace

KeySignature KeyEstimate::keySignature() const
{
    // Sharps of the major key on each pitch class (six sharps, not six flats, for F#).
    static const int kSharps[12] = { 0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5 };
    KeySignature signature;
    signature.isMinor = isMinor;
    const int major = isMinor ? (tonic + 3) % 12 : tonic; // a minor key shares its relative major's
    signature.sharps = kSharps[((major % 12) + 12) % 12];
    return signature;
}

bool KeyEstimate::contains(int pitchClass) const
{
    static const bool kMajor[12] = { 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1 };
    static const bool kMinor[12] = { 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1 };
    const int degree = (((pitchClass - tonic) % 12) + 12) % 12;
    return isMinor ? kMinor[degree] : kMajor[degree];
}

KeyEstimate estimateKey(const Score &score, std::int64_t fromTick, std::int64_t toTick)
{
    Profile histogram {};
    const double tpq = score.ticksPerQuarter();
    bool any = false;
    for (const Note &note : score.notes)
        if (inRange(note, fromTick, toTick)) {
            // A zero-length note still counts a little: it was played.
            histogram[std::size_t(note.pitch % 12)] += std::max(double(note.durationTicks()) / tpq, 1.0 / 16);
            any = true;
        }
    KeyEstimate best;
    if (!any)
        return best;
    best.correlation = -2.0;
    for (int tonic = 0; tonic < 12; ++tonic)
        for (const bool minor : { false, true }) {
            const double r = correlation(histogram, minor ? kMinorProfile : kMajorProfile, tonic);
            if (r > best.correlation) {
                best.tonic = tonic;
                best.isMinor = minor;
                best.correlation = r;
            }
        }
    return best;
}

std::vector<std::size_t> notesOutsideKey(const Score &score, const KeyEstimate &key, std::int64_t fromTick,
                                         std::int64_t toTick)
{
    std::vector<std::size_t> outside;
    for (std::size_t i = 0; i < score.notes.size(); ++i)
        if (inRange(score.notes[i], fromTick, toTick) && !key.contains(score.notes[i].pitch % 12))
            outside.push_back(i);
    return outside;
}

std::string chordName(int root, ChordQuality quality)
{
    static const char *const kRoots[12] = { "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B" };
    const char *suffix = "";
    switch (quality) {
    case ChordQuality::Major: suffix = ""; break;
    case ChordQuality::Minor: suffix = "m"; break;
    case ChordQuality::Diminished: suffix = "dim"; break;
    case ChordQuality::Dominant7: suffix = "7"; break;
    case ChordQuality::Major7: suffix = "maj7"; break;
    case ChordQuality::Minor7: suffix = "m7"; break;
    case ChordQuality::HalfDiminished7: suffix = "m7b5"; break;
    case ChordQuality::Diminished7: suffix = "dim7"; break;
    }
    return std::string(kRoots[((root % 12) + 12) % 12]) + suffix;
}

std::vector<ChordLabel> chordLabels(const Score &score, std::int64_t fromTick, std::int64_t toTick)
{
    std::vector<ChordLabel> labels;
    std::int64_t firstTick = -1, lastTick = 0;
    for (const Note &note : score.notes)
        if (!note.isDrum()) {
            if (firstTick < 0)
                firstTick = note.startTick;
            lastTick = std::max(lastTick, note.endTick);
        }
    if (firstTick < 0)
        return labels;
    const std::int64_t begin = std::max(firstTick, fromTick), end = std::min(lastTick, toTick);
    if (begin >= end)
        return labels;

    BarPosition bar = barAt(score, begin);
    std::int64_t beatStart = bar.startTick + (begin - bar.startTick) / bar.beatTicks() * bar.beatTicks();
    std::vector<std::size_t> active; // notes that may still sound in the current beat
    std::size_t next = 0;
    while (beatStart < end) {
        const std::int64_t barEnd = bar.startTick + bar.lengthTicks;
        const std::int64_t beatEnd = std::min(beatStart + bar.beatTicks(), barEnd);
        for (; next < score.notes.size() && score.notes[next].startTick < beatEnd; ++next)
            if (!score.notes[next].isDrum())
                active.push_back(next);
        active.erase(std::remove_if(active.begin(), active.end(),
                                    [&](std::size_t i) { return score.notes[i].endTick <= beatStart; }),
                     active.end());
        Profile weights {};
        int bass = 128;
        for (const std::size_t i : active) {
            const Note &note = score.notes[i];
            const std::int64_t overlap =
                std::min(note.endTick, beatEnd) - std::max(note.startTick, beatStart);
            if (overlap <= 0)
                continue;
            weights[std::size_t(note.pitch % 12)] += double(overlap);
            bass = std::min(bass, note.pitch);
        }
        ChordLabel label;
        label.startTick = beatStart;
        label.endTick = beatEnd;
        if (bass < 128 && labelBeat(weights, bass % 12, label))
            labels.push_back(label);
        beatStart = beatEnd;
        if (beatStart >= barEnd)
            bar = barAt(score, barEnd);
    }
    return labels;
}

} // namespace continuo
