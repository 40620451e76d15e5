// SPDX-License-Identifier: GPL-3.0-or-later
// The raw contents of a Standard MIDI File: header fields and tracks of timed events.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace continuo {

/// Meta event types (the byte after 0xFF) the engine interprets.
namespace meta {
constexpr std::uint8_t kSequenceNumber = 0x00;
constexpr std::uint8_t kText = 0x01;
constexpr std::uint8_t kCopyright = 0x02;
constexpr std::uint8_t kTrackName = 0x03;
constexpr std::uint8_t kInstrumentName = 0x04;
constexpr std::uint8_t kLyric = 0x05;
constexpr std::uint8_t kMarker = 0x06;
constexpr std::uint8_t kCuePoint = 0x07;
constexpr std::uint8_t kChannelPrefix = 0x20;
constexpr std::uint8_t kEndOfTrack = 0x2F;
constexpr std::uint8_t kTempo = 0x51;
constexpr std::uint8_t kSmpteOffset = 0x54;
constexpr std::uint8_t kTimeSignature = 0x58;
constexpr std::uint8_t kKeySignature = 0x59;
constexpr std::uint8_t kSequencerSpecific = 0x7F;
} // namespace meta

/// Kinds of event held in a track.
enum class EventKind : std::uint8_t {
    Channel, ///< a channel voice message: status 0x80..0xEF, data1, data2
    Meta, ///< 0xFF type length bytes; `metaType` and the payload are set
    SysEx, ///< 0xF0 or 0xF7 length bytes; the payload holds the bytes after the length
};

/// One event at an absolute tick. Small and trivially copyable: variable-length payloads
/// (meta text, SysEx) live in the owning track's `payloads` buffer.
struct MidiEvent
{
    std::int64_t tick = 0; ///< absolute ticks from the start of the track
    EventKind kind = EventKind::Channel;
    std::uint8_t status = 0; ///< full status byte (0x80..0xEF, 0xF0, 0xF7 or 0xFF)
    std::uint8_t data1 = 0; ///< first data byte (channel events), or the meta type
    std::uint8_t data2 = 0; ///< second data byte (channel events with two data bytes)
    std::uint32_t payloadOffset = 0; ///< start of the payload in SmfTrack::payloads
    std::uint32_t payloadSize = 0; ///< payload length in bytes

    std::uint8_t channel() const { return status & 0x0F; }
    std::uint8_t command() const { return status & 0xF0; }
    std::uint8_t metaType() const { return data1; }
    bool isNoteOn() const { return kind == EventKind::Channel && command() == 0x90 && data2 > 0; }
    /// Note-off, or note-on with velocity 0 (which the SMF specification defines as note-off).
    bool isNoteOff() const
    {
        return kind == EventKind::Channel && (command() == 0x80 || (command() == 0x90 && data2 == 0));
    }
    bool isMeta(std::uint8_t type) const { return kind == EventKind::Meta && data1 == type; }
};

/// One MTrk chunk.
struct SmfTrack
{
    std::vector<MidiEvent> events; ///< in file order (non-decreasing ticks)
    std::vector<std::uint8_t> payloads; ///< meta and SysEx payload bytes, referenced by events
    std::int64_t endTick = 0; ///< tick of End of Track, or of the last event if it was missing

    /// The payload of a meta or SysEx event as raw bytes (text metas: usually Latin-1 or UTF-8).
    std::string_view payload(const MidiEvent &event) const
    {
        return { reinterpret_cast<const char *>(payloads.data()) + event.payloadOffset, event.payloadSize };
    }
};

/// The time division from the header.
///
///   bit 15 = 0:  | 0 | ticks per quarter note (15 bits)      |
///   bit 15 = 1:  | 1 | -frames per second (7 bits) | ticks per frame (8 bits) |
///
/// SMPTE frames per second are stored negated in two's complement: E8 = -24, E7 = -25,
/// E3 = -29 (29.97 drop frame), E2 = -30.
struct Division
{
    bool isSmpte = false;
    int ticksPerQuarter = 480; ///< when !isSmpte
    int framesPerSecond = 0; ///< 24, 25, 29 (meaning 29.97) or 30, when isSmpte
    int ticksPerFrame = 0; ///< when isSmpte

    /// Ticks per second for SMPTE division (29 means 29.97 frames per second).
    double smpteTicksPerSecond() const
    {
        const double fps = framesPerSecond == 29 ? 29.97 : framesPerSecond;
        return fps * ticksPerFrame;
    }
};

/// A parsed Standard MIDI File.
struct SmfFile
{
    int format = 1; ///< 0, 1 or 2 as declared in the header
    Division division;
    std::vector<SmfTrack> tracks;
    std::vector<std::string> warnings; ///< recoverable oddities met while reading, one sentence each
};

} // namespace continuo
