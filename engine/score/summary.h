// SPDX-License-Identifier: GPL-3.0-or-later
// A short description of a MIDI file for `continuo-cli inspect` and the app's file info.
#pragma once

#include "midi/smffile.h"
#include "score/score.h"

#include <optional>
#include <string>
#include <vector>

namespace continuo {

/// Name of a MIDI key number with C4 = middle C = 60: "C4", "F#5", "A0". Sharps, no flats.
std::string pitchName(int pitch);
/// Parses "C4", "c#3", "Bb2", "A-1" (C4 = 60). Returns nothing for anything else or out of 0..127.
std::optional<int> parsePitchName(const std::string &name);

/// What `inspect` reports about one file.
struct FileSummary
{
    int format = 1;
    int trackCount = 0;
    Division division;
    double durationSec = 0.0;
    std::vector<TempoChange> tempoChanges;
    std::vector<TimeSignature> timeSignatures;
    std::vector<KeySignature> keySignatures;
    std::size_t noteCount = 0;
    std::size_t partCount = 0;
    bool hasDrums = false;
    int lowestPitch = -1; ///< -1 when there are no notes
    int highestPitch = -1;
    std::vector<std::string> warnings;
};

/// Summarises a parsed file and the score built from it. Any thread.
FileSummary summarize(const SmfFile &file, const Score &score);

} // namespace continuo
