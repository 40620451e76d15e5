// SPDX-License-Identifier: GPL-3.0-or-later
// Bounds-checked Standard MIDI File parser. Every byte is hostile until proven otherwise.
#include "midi/smfreader.h"

#include "core/error.h"
#include "core/fileio.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>

namespace continuo {

namespace {

bool hasTag(const std::uint8_t *p, const char *tag) { return std::memcmp(p, tag, 4) == 0; }

std::uint32_t readBe32(const std::uint8_t *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8)
         | std::uint32_t(p[3]);
}
std::uint16_t readBe16(const std::uint8_t *p) { return std::uint16_t((p[0] << 8) | p[1]); }
std::uint32_t readLe32(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16)
         | (std::uint32_t(p[3]) << 24);
}

bool isPrintableTag(const std::uint8_t *p)
{
    for (int i = 0; i < 4; ++i)
        if (p[i] < 0x20 || p[i] > 0x7E)
            return false;
    return true;
}

/// Data bytes that follow a system common or real-time status (F1..FE except F7).
/// None of these belong in a file; real files contain them anyway, so they are skipped.
int systemMessageDataBytes(std::uint8_t status)
{
    switch (status) {
    case 0xF1: return 1; // MTC quarter frame
    case 0xF2: return 2; // song position pointer
    case 0xF3: return 1; // song select
    default: return 0; // F4, F5 (undefined), F6 tune request, F8..FE real-time
    }
}

/// Signals that a track's bytes ran out in the middle of an event: the track is cut there.
struct TrackTruncated
{
};

class SmfParser
{
public:
    SmfParser(const std::uint8_t *data, std::size_t size, const std::string &source,
              const SmfReadLimits &limits)
        : m_data(data), m_size(size), m_source(source), m_limits(limits)
    { }

    SmfFile parse()
    {
        if (m_size > m_limits.maxFileBytes)
            fail(0, -1,
                 "the file is larger than " + std::to_string(m_limits.maxFileBytes >> 20)
                     + " MiB, the limit for a MIDI file");
        if (m_size == 0)
            fail(0, -1, "the file is empty");
        unwrapRiff();
        readHeader();
        readChunks();
        return std::move(m_file);
    }

private:
    [[noreturn]] void fail(std::size_t offset, int chunk, const std::string &problem) const
    {
        throw SmfError(m_source, m_base + offset, chunk, problem);
    }

    void warn(std::string message) { m_file.warnings.push_back(std::move(message)); }

    // RIFF RMID: "RIFF" <len LE> "RMID" { <id> <len LE> <data, padded to even> }* ; the SMF is
    // the payload of the "data" chunk.
    void unwrapRiff()
    {
        if (m_size < 12 || !hasTag(m_data, "RIFF"))
            return;
        if (!hasTag(m_data + 8, "RMID"))
            fail(8, -1, "this RIFF file is not a RIFF MIDI (RMID) file");
        std::size_t pos = 12;
        while (pos + 8 <= m_size) {
            const std::uint32_t length = readLe32(m_data + pos + 4);
            if (hasTag(m_data + pos, "data")) {
                std::size_t available = m_size - (pos + 8);
                if (length > available)
                    warn("the RIFF data chunk is longer than the file; read up to the end");
                m_base = pos + 8;
                m_data += m_base;
                m_size = std::min<std::size_t>(length, available);
                warn("unwrapped a RIFF MIDI (RMID) container");
                return;
            }
            pos += 8 + std::size_t(length) + (length & 1u);
        }
        fail(12, -1, "this RIFF MIDI file has no MIDI data chunk");
    }

    void readHeader()
    {
        if (m_size < 4 || !hasTag(m_data, "MThd"))
            fail(0, -1, "this is not a Standard MIDI File (it does not start with an MThd header)");
        if (m_size < 14)
            fail(m_size, -1, "the file ends inside the MThd header");
        const std::uint32_t headerLength = readBe32(m_data + 4);
        if (headerLength < 6)
            fail(4, -1, "the MThd header is too short (" + std::to_string(headerLength) + " bytes)");
        if (headerLength > m_size - 8)
            fail(4, -1, "the MThd header length runs past the end of the file");
        m_file.format = readBe16(m_data + 8);
        if (m_file.format > 2)
            fail(8, -1, "unknown SMF format " + std::to_string(m_file.format) + " (only 0, 1 and 2 exist)");
        m_declaredTracks = readBe16(m_data + 10);
        readDivision(readBe16(m_data + 12));
        m_pos = 8 + std::size_t(headerLength);
    }

    void readDivision(std::uint16_t raw)
    {
        Division &division = m_file.division;
        if (raw & 0x8000) {
            const int fps = -static_cast<int>(static_cast<std::int8_t>(raw >> 8));
            if (fps != 24 && fps != 25 && fps != 29 && fps != 30)
                fail(12, -1,
                     "SMPTE time division with " + std::to_string(fps)
                         + " frames per second (only 24, 25, 29.97 and 30 exist)");
            division.isSmpte = true;
            division.framesPerSecond = fps;
            division.ticksPerFrame = raw & 0xFF;
            if (division.ticksPerFrame == 0)
                fail(12, -1, "SMPTE time division with 0 ticks per frame");
        } else {
            division.ticksPerQuarter = raw;
            if (raw == 0)
                fail(12, -1, "time division of 0 ticks per quarter note");
        }
    }

    void readChunks()
    {
        int chunkIndex = 0;
        while (m_pos < m_size) {
            const std::size_t left = m_size - m_pos;
            if (left < 8) {
                warn("ignored " + std::to_string(left) + " trailing byte(s) after the last chunk");
                break;
            }
            const std::uint8_t *header = m_data + m_pos;
            if (!isPrintableTag(header)) {
                if (m_file.tracks.empty() && m_declaredTracks > 0)
                    fail(m_pos, chunkIndex, "damaged data where a track chunk should start");
                warn("ignored " + std::to_string(left) + " byte(s) of damaged data after the last track");
                break;
            }
            std::size_t length = readBe32(header + 4);
            const std::size_t available = left - 8;
            const bool isTrack = hasTag(header, "MTrk");
            if (length > available) {
                warn("chunk " + std::to_string(chunkIndex) + " claims " + std::to_string(length)
                     + " bytes but only " + std::to_string(available) + " remain; read up to the end");
                length = available;
            }
            if (isTrack) {
                if (m_file.tracks.size() >= m_limits.maxTracks)
                    fail(m_pos, chunkIndex,
                         "more than " + std::to_string(m_limits.maxTracks)
                             + " tracks, the limit for a MIDI file");
                readTrack(m_pos + 8, length, chunkIndex);
            } else {
                warn("skipped unknown chunk '" + std::string(reinterpret_cast<const char *>(header), 4)
                     + "'");
            }
            m_pos += 8 + length;
            ++chunkIndex;
        }
        if (m_file.format == 2) {
            std::int64_t total = 0;
            for (const SmfTrack &track : m_file.tracks)
                total += track.endTick;
            if (total > m_limits.maxTick)
                fail(m_pos, -1,
                     "the sequences of this format 2 file last impossibly long together (tick "
                         + std::to_string(total) + ")");
        }
        const std::size_t found = m_file.tracks.size();
        if (found != m_declaredTracks)
            warn("the header declares " + std::to_string(m_declaredTracks) + " track(s) but "
                 + std::to_string(found) + " were found");
        if (m_file.format == 0 && found > 1)
            warn("a format 0 file holds " + std::to_string(found) + " tracks; read as format 1");
    }

    // --- one track -------------------------------------------------------------------------

    std::uint8_t byteAt(std::size_t pos, std::size_t end) const
    {
        if (pos >= end)
            throw TrackTruncated {};
        return m_data[pos];
    }

    /// Variable-length quantity: 7 bits a byte, high bit set on all but the last, at most 4 bytes.
    std::uint32_t readVlq(std::size_t &pos, std::size_t end, int chunkIndex) const
    {
        const std::size_t start = pos;
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const std::uint8_t b = byteAt(pos++, end);
            value = (value << 7) | (b & 0x7F);
            if (!(b & 0x80))
                return value;
        }
        fail(start, chunkIndex, "a variable-length number is longer than four bytes");
    }

    void readTrack(std::size_t begin, std::size_t length, int chunkIndex)
    {
        const std::size_t end = begin + length;
        const int trackNumber = static_cast<int>(m_file.tracks.size());
        SmfTrack &track = m_file.tracks.emplace_back();
        track.events.reserve(length / 3);
        std::size_t pos = begin;
        std::int64_t tick = 0;
        std::uint8_t runningStatus = 0;
        bool afterMetaOrSysEx = false;
        bool sawEndOfTrack = false;
        int strayStatusBytes = 0, clampedDataBytes = 0, runningStatusAcrossMeta = 0;
        const auto trackLabel = [&] { return "track " + std::to_string(trackNumber) + ": "; };

        try {
            while (pos < end) {
                tick += readVlq(pos, end, chunkIndex);
                if (tick > m_limits.maxTick)
                    fail(pos, chunkIndex,
                         "an event lies impossibly far in time (tick " + std::to_string(tick) + ")");
                const std::size_t eventStart = pos;
                const std::uint8_t first = byteAt(pos, end);

                MidiEvent event;
                event.tick = tick;
                if (first == 0xFF || first == 0xF0 || first == 0xF7) {
                    ++pos;
                    event.status = first;
                    if (first == 0xFF) {
                        event.kind = EventKind::Meta;
                        event.data1 = byteAt(pos++, end);
                    } else {
                        event.kind = EventKind::SysEx;
                    }
                    const std::uint32_t payloadSize = readVlq(pos, end, chunkIndex);
                    if (payloadSize > end - pos)
                        throw TrackTruncated {};
                    event.payloadOffset = static_cast<std::uint32_t>(track.payloads.size());
                    event.payloadSize = payloadSize;
                    track.payloads.insert(track.payloads.end(), m_data + pos, m_data + pos + payloadSize);
                    pos += payloadSize;
                    afterMetaOrSysEx = true;
                    pushEvent(track, event, eventStart, chunkIndex);
                    if (event.isMeta(meta::kEndOfTrack)) {
                        sawEndOfTrack = true;
                        break;
                    }
                    continue;
                }
                if (first > 0xF0) {
                    // System common / real-time bytes are not allowed in a file; skip them.
                    pos += 1 + systemMessageDataBytes(first);
                    if (pos > end)
                        throw TrackTruncated {};
                    ++strayStatusBytes;
                    continue;
                }
                if (first & 0x80) {
                    runningStatus = first;
                    ++pos;
                } else {
                    if (runningStatus == 0)
                        fail(eventStart, chunkIndex,
                             "a data byte appears where a status byte is needed (running status "
                             "with no status before it)");
                    if (afterMetaOrSysEx)
                        ++runningStatusAcrossMeta;
                }
                afterMetaOrSysEx = false;
                event.status = runningStatus;
                const std::uint8_t command = runningStatus & 0xF0;
                const int dataBytes = (command == 0xC0 || command == 0xD0) ? 1 : 2;
                std::uint8_t data[2] = { 0, 0 };
                for (int i = 0; i < dataBytes; ++i) {
                    data[i] = byteAt(pos++, end);
                    if (data[i] > 0x7F) {
                        data[i] = 0x7F; // a generator bug seen in the wild (e.g. velocity 0xCC)
                        ++clampedDataBytes;
                    }
                }
                event.data1 = data[0];
                event.data2 = data[1];
                pushEvent(track, event, eventStart, chunkIndex);
            }
        } catch (const TrackTruncated &) {
            warn(trackLabel() + "the track is cut off in the middle of an event; read up to there");
        }

        track.endTick = track.events.empty() ? tick : std::max(tick, track.events.back().tick);
        if (!sawEndOfTrack)
            warn(trackLabel() + "no End of Track event");
        else if (pos < end)
            warn(trackLabel() + "ignored " + std::to_string(end - pos) + " byte(s) after End of Track");
        if (strayStatusBytes)
            warn(trackLabel() + "skipped " + std::to_string(strayStatusBytes)
                 + " system message(s) that do not belong in a MIDI file");
        if (clampedDataBytes)
            warn(trackLabel() + std::to_string(clampedDataBytes)
                 + " data byte(s) above 127 were clamped to 127");
        if (runningStatusAcrossMeta)
            warn(trackLabel()
                 + "running status continues after a meta or SysEx event "
                   "(accepted, though the standard cancels it there)");
    }

    void pushEvent(SmfTrack &track, const MidiEvent &event, std::size_t offset, int chunkIndex)
    {
        if (++m_eventCount > m_limits.maxEvents)
            fail(offset, chunkIndex,
                 "more than " + std::to_string(m_limits.maxEvents) + " events, the limit for a MIDI file");
        track.events.push_back(event);
    }

    const std::uint8_t *m_data;
    std::size_t m_size;
    std::size_t m_base = 0; ///< offset of m_data in the original input (RIFF wrapper)
    std::size_t m_pos = 0;
    std::size_t m_declaredTracks = 0;
    std::size_t m_eventCount = 0;
    const std::string &m_source;
    const SmfReadLimits &m_limits;
    SmfFile m_file;
};

} // namespace

SmfFile readSmf(const std::uint8_t *data, std::size_t size, const std::string &source,
                const SmfReadLimits &limits)
{
    return SmfParser(data, size, source, limits).parse();
}

SmfFile readSmfFile(const std::filesystem::path &path, const SmfReadLimits &limits)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path, limits.maxFileBytes);
    return readSmf(bytes.data(), bytes.size(), path.string(), limits);
}

SmfFile readSmf(std::istream &in, const std::string &source, const SmfReadLimits &limits)
{
    std::vector<std::uint8_t> bytes;
    std::array<char, 65536> buffer;
    while (in) {
        in.read(buffer.data(), buffer.size());
        const auto got = static_cast<std::size_t>(in.gcount());
        if (bytes.size() + got > limits.maxFileBytes)
            throw SmfError(source, bytes.size(), -1, "the input is larger than the limit for a MIDI file");
        bytes.insert(bytes.end(), buffer.data(), buffer.data() + got);
    }
    if (in.bad())
        throw IoError(source + ": cannot read the input stream.");
    return readSmf(bytes.data(), bytes.size(), source, limits);
}

} // namespace continuo
