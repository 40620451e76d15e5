// SPDX-License-Identifier: GPL-3.0-or-later
// Reads Standard MIDI Files (format 0, 1, 2; PPQ or SMPTE division; RIFF RMID wrapper) from hostile bytes.
#pragma once

#include "midi/smffile.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>

namespace continuo {

/// Caps that keep garbage from exhausting memory or time.
struct SmfReadLimits
{
    std::size_t maxFileBytes = 64u << 20; ///< larger inputs are refused
    std::size_t maxTracks = 4096; ///< MTrk chunks read at most
    std::size_t maxEvents = 8u << 20; ///< events in all tracks together
    /// Absolute ticks (format 2: all sequences end to end); beyond this the timeline is nonsense.
    /// TempoMap relies on it: 2^36 ticks x 2^24 us per quarter stays inside 64 bits.
    std::int64_t maxTick = std::int64_t(1) << 36;
};

/// Parses a Standard MIDI File held in memory. Any thread; no shared state.
///
/// Every read is bounds-checked. Fatal problems (not an SMF, unusable header, an event cut
/// short before any track could be read, a cap exceeded) throw; survivable oddities (missing
/// End of Track, a track length past the end of the file, stray system bytes, data bytes above
/// 127, a header track count that does not match) are recorded in SmfFile::warnings.
///
/// @param source  name used in messages, normally the file path
/// @throws SmfError naming `source`, the byte offset and the problem.
SmfFile readSmf(const std::uint8_t *data, std::size_t size, const std::string &source,
                const SmfReadLimits &limits = {});

/// Reads and parses a file. @throws IoError if it cannot be read, SmfError if it is not a usable SMF.
SmfFile readSmfFile(const std::filesystem::path &path, const SmfReadLimits &limits = {});

/// Reads and parses a stream to its end. @throws SmfError, IoError.
SmfFile readSmf(std::istream &in, const std::string &source, const SmfReadLimits &limits = {});

} // namespace continuo
