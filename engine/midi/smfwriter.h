// SPDX-License-Identifier: GPL-3.0-or-later
// Serialises an SmfFile to Standard MIDI File bytes, deterministically.
#pragma once

#include "midi/smffile.h"

#include <cstdint>
#include <vector>

namespace continuo {

/// Encodes `file` as SMF bytes: the header with the file's format and division, then one MTrk per
/// track. Every event is written with an explicit status byte (no running status), events keep
/// their order, and an End of Track is added where a track lacks one. A gap between events longer
/// than one delta time can hold (0x0FFFFFFF ticks) is bridged with empty sequencer-specific metas. The same
/// input always gives the same bytes. Any thread.
/// @throws Error if an event lies before the previous one or the division is unusable.
std::vector<std::uint8_t> writeSmf(const SmfFile &file);

/// Appends a MIDI variable-length quantity to `out`. @throws Error if value > 0x0FFFFFFF.
void appendVlq(std::vector<std::uint8_t> &out, std::uint32_t value);

} // namespace continuo
