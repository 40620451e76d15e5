// SPDX-License-Identifier: GPL-3.0-or-later
// SMF serialisation: build each track in memory, then the chunk with its length; no seeking.
#include "midi/smfwriter.h"

#include "core/error.h"

#include <algorithm>

namespace continuo {

namespace {
void appendBe(std::vector<std::uint8_t> &out, std::uint32_t value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        out.push_back(std::uint8_t(value >> (8 * i)));
}

void appendTag(std::vector<std::uint8_t> &out, const char *tag)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(std::uint8_t(tag[i]));
}

constexpr std::uint32_t kMaxDelta = 0x0FFFFFFF; // the largest four-byte variable-length quantity

/// Writes a delta time of any size: gaps longer than one delta can hold are bridged with empty
/// sequencer-specific meta events (FF 7F 00), which carry no musical meaning.
void appendDelta(std::vector<std::uint8_t> &out, std::int64_t delta)
{
    while (delta > kMaxDelta) {
        appendVlq(out, kMaxDelta);
        out.insert(out.end(), { 0xFF, meta::kSequencerSpecific, 0x00 });
        delta -= kMaxDelta;
    }
    appendVlq(out, std::uint32_t(delta));
}

std::uint16_t encodeDivision(const Division &division)
{
    if (!division.isSmpte) {
        if (division.ticksPerQuarter <= 0 || division.ticksPerQuarter > 0x7FFF)
            throw Error("Cannot write a MIDI file with " + std::to_string(division.ticksPerQuarter)
                        + " ticks per quarter note.");
        return std::uint16_t(division.ticksPerQuarter);
    }
    const auto fpsByte = std::uint8_t(-division.framesPerSecond);
    return std::uint16_t((fpsByte << 8) | (division.ticksPerFrame & 0xFF));
}

std::vector<std::uint8_t> encodeTrack(const SmfTrack &track)
{
    std::vector<std::uint8_t> out;
    out.reserve(track.events.size() * 4 + track.payloads.size() + 8);
    std::int64_t lastTick = 0;
    bool endedExplicitly = false;
    for (const MidiEvent &event : track.events) {
        if (event.tick < lastTick)
            throw Error("Cannot write a MIDI track whose events are out of time order.");
        appendDelta(out, event.tick - lastTick);
        lastTick = event.tick;
        out.push_back(event.status);
        if (event.kind == EventKind::Channel) {
            out.push_back(event.data1 & 0x7F);
            const std::uint8_t command = event.command();
            if (command != 0xC0 && command != 0xD0)
                out.push_back(event.data2 & 0x7F);
            continue;
        }
        if (event.kind == EventKind::Meta)
            out.push_back(event.data1);
        appendVlq(out, event.payloadSize);
        const auto *payload = track.payloads.data() + event.payloadOffset;
        out.insert(out.end(), payload, payload + event.payloadSize);
        if (event.isMeta(meta::kEndOfTrack)) {
            endedExplicitly = true;
            break;
        }
    }
    if (!endedExplicitly) {
        appendDelta(out, std::max<std::int64_t>(0, track.endTick - lastTick));
        out.insert(out.end(), { 0xFF, meta::kEndOfTrack, 0x00 });
    }
    return out;
}
} // namespace

void appendVlq(std::vector<std::uint8_t> &out, std::uint32_t value)
{
    if (value > kMaxDelta)
        throw Error("Cannot write the number " + std::to_string(value)
                    + " as a MIDI variable-length quantity.");
    std::uint8_t groups[4];
    int count = 0;
    do {
        groups[count++] = value & 0x7F;
        value >>= 7;
    } while (value && count < 4);
    while (count-- > 0)
        out.push_back(std::uint8_t(groups[count] | (count > 0 ? 0x80 : 0x00)));
}

std::vector<std::uint8_t> writeSmf(const SmfFile &file)
{
    std::vector<std::uint8_t> out;
    appendTag(out, "MThd");
    appendBe(out, 6, 4);
    appendBe(out, std::uint32_t(file.format), 2);
    appendBe(out, std::uint32_t(file.tracks.size()), 2);
    appendBe(out, encodeDivision(file.division), 2);
    for (const SmfTrack &track : file.tracks) {
        const std::vector<std::uint8_t> body = encodeTrack(track);
        appendTag(out, "MTrk");
        appendBe(out, std::uint32_t(body.size()), 4);
        out.insert(out.end(), body.begin(), body.end());
    }
    return out;
}

} // namespace continuo
