// SPDX-License-Identifier: GPL-3.0-or-later
// The score model: notes with ticks and seconds, parts, tempo map, meter, key, sustain pedal.
#pragma once

#include "midi/smffile.h"
#include "midi/tempomap.h"

#include <cstdint>
#include <string>
#include <vector>

namespace continuo {

/// MIDI channel 10 (index 9) is the General MIDI percussion channel.
constexpr int kDrumChannel = 9;

/// One sounding note. Ticks are the score's own (see Score::division); seconds follow the tempo map.
struct Note
{
    int pitch = 60; ///< MIDI key number, 0..127 (60 = middle C, C4)
    int velocity = 64; ///< 1..127
    std::int64_t startTick = 0;
    std::int64_t endTick = 0; ///< >= startTick
    double startSec = 0.0;
    double endSec = 0.0;
    int channel = 0; ///< 0..15
    int program = 0; ///< General MIDI program 0..127 in effect on the channel at the onset
    int part = 0; ///< index into Score::parts

    bool isDrum() const { return channel == kDrumChannel; }
    std::int64_t durationTicks() const { return endTick - startTick; }
    bool operator!=(const Note &o) const { return !(*this == o); }
    bool operator==(const Note &o) const
    {
        return pitch == o.pitch && velocity == o.velocity && startTick == o.startTick && endTick == o.endTick
            && channel == o.channel && program == o.program && part == o.part;
    }
};

/// A part: the notes of one track of the source file.
struct Part
{
    std::string name; ///< track name meta, may be empty
    std::string instrumentName; ///< instrument name meta, may be empty
    int sourceTrack = -1; ///< index of the MTrk chunk it came from, -1 if made by the program
    bool isDrum = false; ///< every note of the part is on the percussion channel
};

/// Time signature from `tick` on: numerator / denominator (denominator is 2, 4, 8, ..., not a power).
struct TimeSignature
{
    std::int64_t tick = 0;
    int numerator = 4;
    int denominator = 4;
    bool operator==(const TimeSignature &o) const
    {
        return tick == o.tick && numerator == o.numerator && denominator == o.denominator;
    }
};

/// Key signature from `tick` on: sharps (> 0) or flats (< 0), -7..7, and major or minor.
struct KeySignature
{
    std::int64_t tick = 0;
    int sharps = 0;
    bool isMinor = false;
    /// "C major", "F# minor", "Bb major", ...
    std::string name() const;
    bool operator==(const KeySignature &o) const
    {
        return tick == o.tick && sharps == o.sharps && isMinor == o.isMinor;
    }
};

/// A change of the sustain pedal (controller 64) on a channel of a part.
struct PedalEvent
{
    std::int64_t tick = 0;
    int channel = 0;
    int part = 0;
    bool isDown = false;
};

/// A text meta event (text, copyright, marker, lyric, ...) kept so exports can carry it.
struct TextEvent
{
    std::int64_t tick = 0;
    std::uint8_t type = meta::kText;
    int part = -1; ///< -1: the conductor track
    std::string text;
};

/// The order of Score::notes: onset, then pitch, part, channel, end, velocity, program.
bool noteOrder(const Note &a, const Note &b);

/// A whole piece: a value type, cheap enough to copy between threads.
struct Score
{
    Division division; ///< timing base of every tick in the score
    TempoMap tempoMap;
    std::vector<TimeSignature> timeSignatures; ///< sorted by tick; empty means 4/4
    std::vector<KeySignature> keySignatures; ///< sorted by tick; may be empty
    std::vector<Part> parts;
    std::vector<Note> notes; ///< sorted by noteOrder
    std::vector<PedalEvent> pedals; ///< sorted by tick
    std::vector<TextEvent> texts; ///< sorted by tick
    std::int64_t endTick = 0; ///< end of the piece (last note end or End of Track)
    std::vector<std::string> warnings; ///< from reading, one sentence each

    /// Ticks per quarter note; for SMPTE division, the ticks of half a second (120 bpm).
    int ticksPerQuarter() const;
    double durationSec() const { return tempoMap.tickToSeconds(endTick); }
    /// Recomputes every note's startSec/endSec from the tempo map (after editing ticks).
    void updateSeconds();
    /// Sorts notes, pedals and texts into their documented order.
    void sortEvents();
    /// Time signature in effect at `tick` (4/4 when there is none).
    TimeSignature timeSignatureAt(std::int64_t tick) const;
};

} // namespace continuo
