// SPDX-License-Identifier: GPL-3.0-or-later
// Theory notes for the piano roll: the key of a passage, the notes outside it, chord labels per beat.
#pragma once

#include "score/score.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace continuo {

/// A key estimated from the notes.
struct KeyEstimate
{
    int tonic = 0; ///< pitch class 0..11 (0 = C)
    bool isMinor = false;
    /// Pearson correlation of the passage's pitch-class profile with the key's profile, -1..1;
    /// higher is clearer. 0 when there were no notes.
    double correlation = 0.0;

    /// The key as a key signature (sharps > 0, flats < 0; F# major and D# minor for six sharps).
    KeySignature keySignature() const;
    /// "D minor", "Bb major" (KeySignature::name()).
    std::string name() const { return keySignature().name(); }
    /// The pitch classes of the key: the major scale, or for minor the natural minor scale with
    /// the raised sixth and seventh of its melodic and harmonic forms (nine pitch classes).
    bool contains(int pitchClass) const;
};

/// Estimates the key of the pitched notes starting in [fromTick, toTick) by the
/// Krumhansl-Schmuckler method: the duration-weighted pitch-class histogram (in quarters) is
/// correlated with the 24 rotations of the Krumhansl-Kessler major and minor profiles and the best
/// wins. With no notes: C major, correlation 0. Any thread; never throws.
KeyEstimate estimateKey(const Score &score, std::int64_t fromTick = 0,
                        std::int64_t toTick = std::numeric_limits<std::int64_t>::max());

/// Indices into Score::notes of the pitched notes starting in [fromTick, toTick) whose pitch class
/// is outside `key` (see KeyEstimate::contains), in note order. Any thread.
std::vector<std::size_t> notesOutsideKey(const Score &score, const KeyEstimate &key,
                                         std::int64_t fromTick = 0,
                                         std::int64_t toTick = std::numeric_limits<std::int64_t>::max());

/// Chord qualities that get a label.
enum class ChordQuality { Major, Minor, Diminished, Dominant7, Major7, Minor7, HalfDiminished7, Diminished7 };

/// A chord heard during one beat.
struct ChordLabel
{
    std::int64_t startTick = 0; ///< the beat
    std::int64_t endTick = 0;
    int root = 0; ///< pitch class 0..11
    ChordQuality quality = ChordQuality::Major;
    std::string name; ///< "C", "Am", "G7", "Bdim", "Fmaj7", "Dm7", "Bm7b5", "C#dim7"
};

/// "C", "Am", "G7", ...: a root (sharps or flats as in common spellings: C# F# G# but Eb Ab Bb) and
/// a suffix ("", "m", "dim", "7", "maj7", "m7", "m7b5", "dim7").
std::string chordName(int root, ChordQuality quality);

/// Labels the beats (1/denominator notes of the time signature) from the first pitched note's
/// beat to the last note's end, in [fromTick, toTick), where a chord is clear: the pitch classes
/// that sound for a fair part of the beat (weighted by how long they sound in it) hold every tone
/// of one triad or seventh chord of ChordQuality, at least three distinct pitch classes sound,
/// and the tones outside the chord weigh at most a quarter of the beat's sound. Seventh chords win
/// over the triads they contain; among equals the root in the bass wins. Beats without a clear
/// chord get no label. Any thread; never throws.
std::vector<ChordLabel> chordLabels(const Score &score, std::int64_t fromTick = 0,
                                    std::int64_t toTick = std::numeric_limits<std::int64_t>::max());

} // namespace continuo
