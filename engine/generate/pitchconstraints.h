// SPDX-License-Identifier: GPL-3.0-or-later
// Hard limits on what generation may play: scale, pitch range, polyphony, note length.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace continuo {

/// A set of pitch classes as 12 bits: bit 0 is C, bit 1 C#, ... bit 11 B.
using PitchClassMask = std::uint16_t;
constexpr PitchClassMask kChromatic = 0xFFF;

/// "C4" = 60 (middle C), "F#3", "Bb2", "C-1" = 0. @throws GenerationError naming the text.
int parseNoteName(const std::string &text);
/// 60 -> "C4"; sharps for black keys.
std::string noteName(int pitch);

/// A scale by name: "D minor", "C major", "A dorian" (every church mode), "E harmonic minor",
/// "G melodic minor", "F major pentatonic", "A minor pentatonic", "C blues", "chromatic"; or a
/// custom set of pitch classes as note letters ("C D Eb G A") or numbers ("0 2 3 7 9"), separated
/// by spaces or commas. Case does not matter. @throws GenerationError naming the text.
PitchClassMask parseScale(const std::string &text);
/// The scales to offer a user, each as parseScale reads it: "chromatic"; every major, minor,
/// harmonic minor, melodic minor, pentatonic and blues scale on the 12 tonics (flats on black
/// keys, as keys are named); the other church modes on the 7 natural tonics. Any thread.
std::vector<std::string> scaleChoices();
/// Pitch classes as text: "C D E F G A B".
std::string pitchClassesText(PitchClassMask mask);

/// Every note a generation plays must satisfy all of these. Masking before sampling enforces them.
struct PitchConstraints
{
    PitchClassMask pitchClasses = kChromatic;
    std::string scaleName = "chromatic"; ///< as the user gave it, for the record
    int lowest = 0; ///< MIDI pitch, inclusive
    int highest = 127; ///< MIDI pitch, inclusive
    int maxPolyphony = 0; ///< notes sounding at once; 0: no limit
    double maxNoteSeconds = 4.0; ///< performance representation: notes end after this at the latest

    /// Parses "C3-C6" into lowest and highest. @throws GenerationError.
    void setRange(const std::string &text);
    /// Parses a scale (see parseScale) into pitchClasses and scaleName. @throws GenerationError.
    void setScale(const std::string &text);
    bool allows(int pitch) const
    {
        return pitch >= lowest && pitch <= highest && (pitchClasses >> (pitch % 12) & 1);
    }
    /// @throws GenerationError with one sentence when the constraints contradict themselves
    /// (empty range, no pitch of the scale inside the range, negative polyphony, ...).
    void validate() const;
    /// "key D minor, range C3-C6, at most 3 notes at once" (only what limits anything).
    std::string describe() const;
};

} // namespace continuo
