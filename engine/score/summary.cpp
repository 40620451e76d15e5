// SPDX-License-Identifier: GPL-3.0-or-later
// File summaries and pitch names.
#include "score/summary.h"

#include <algorithm>
#include <cctype>

namespace continuo {

std::string pitchName(int pitch)
{
    static const char *const kNames[12] = { "C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B" };
    const int clamped = std::clamp(pitch, 0, 127);
    return std::string(kNames[clamped % 12]) + std::to_string(clamped / 12 - 1);
}

std::optional<int> parsePitchName(const std::string &name)
{
    static const int kSteps[7] = { 9, 11, 0, 2, 4, 5, 7 }; // A B C D E F G
    if (name.empty())
        return std::nullopt;
    const char letter = char(std::toupper(static_cast<unsigned char>(name[0])));
    if (letter < 'A' || letter > 'G')
        return std::nullopt;
    int pitchClass = kSteps[letter - 'A'];
    std::size_t i = 1;
    if (i < name.size() && name[i] == '#') {
        ++pitchClass;
        ++i;
    } else if (i < name.size() && name[i] == 'b') {
        --pitchClass;
        ++i;
    }
    const std::string octaveText = name.substr(i);
    if (octaveText.empty() || octaveText.size() > 3)
        return std::nullopt;
    std::size_t digits = octaveText[0] == '-' ? 1 : 0;
    if (digits == octaveText.size())
        return std::nullopt;
    for (std::size_t k = digits; k < octaveText.size(); ++k)
        if (!std::isdigit(static_cast<unsigned char>(octaveText[k])))
            return std::nullopt;
    const int octave = std::stoi(octaveText);
    const int pitch = (octave + 1) * 12 + pitchClass;
    if (pitch < 0 || pitch > 127)
        return std::nullopt;
    return pitch;
}

FileSummary summarize(const SmfFile &file, const Score &score)
{
    FileSummary summary;
    summary.format = file.format;
    summary.trackCount = static_cast<int>(file.tracks.size());
    summary.division = file.division;
    summary.durationSec = score.durationSec();
    summary.tempoChanges = score.tempoMap.changes();
    summary.timeSignatures = score.timeSignatures;
    summary.keySignatures = score.keySignatures;
    summary.noteCount = score.notes.size();
    summary.partCount = score.parts.size();
    summary.warnings = score.warnings;
    for (const Note &note : score.notes) {
        summary.hasDrums = summary.hasDrums || note.isDrum();
        if (summary.lowestPitch < 0 || note.pitch < summary.lowestPitch)
            summary.lowestPitch = note.pitch;
        summary.highestPitch = std::max(summary.highestPitch, note.pitch);
    }
    return summary;
}

} // namespace continuo
