// SPDX-License-Identifier: GPL-3.0-or-later
// Converts between raw SMF events and the score model, and reads/writes scores as MIDI files.
#pragma once

#include "midi/smffile.h"
#include "midi/smfreader.h"
#include "score/score.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace continuo {

/// Builds a score from a parsed file. Any thread.
///
/// Notes are paired per track, channel and pitch, first in first out; a note-on with velocity 0
/// is a note-off; a note-off with nothing sounding is ignored; notes still sounding at the end of
/// their track are closed there (with a warning). Each note takes the program last set on its
/// channel (in any track) at or before its onset. Tempo, time and key signatures from every track
/// are merged. Format 2 sequences are laid end to end. Tracks with notes become parts; sustain
/// pedal (CC64) changes are kept but not applied (see applySustainPedal). The file's warnings
/// are carried over. Never throws on content; malformed meta payloads are skipped with a warning.
Score scoreFromSmf(const SmfFile &file);

/// Builds a format 1 file: a conductor track with tempo, time and key signatures and conductor
/// texts, then one track per part with its name, program changes, notes, pedal and texts.
/// Within a tick the order is: metas, program changes, controllers, note-offs, note-ons, then
/// the note-offs of zero-length notes, so that reading the file back pairs every note as written.
/// Deterministic. Any thread.
SmfFile smfFromScore(const Score &score);

/// Reads a MIDI file into a score. @throws IoError, SmfError.
Score readScoreFile(const std::filesystem::path &path, const SmfReadLimits &limits = {});

/// Serialises a score as SMF bytes (smfFromScore + writeSmf).
std::vector<std::uint8_t> scoreToSmfBytes(const Score &score);

/// Writes a score as a MIDI file through a temporary file renamed into place. @throws IoError.
void saveScoreFile(const Score &score, const std::filesystem::path &path);

} // namespace continuo
