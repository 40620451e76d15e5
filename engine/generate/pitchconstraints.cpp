// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/pitchconstraints.h"

#include "core/error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

namespace continuo {

namespace {

const std::array<const char *, 12> kSharpNames = { "C",  "C#", "D",  "D#", "E",  "F",
                                                   "F#", "G",  "G#", "A",  "A#", "B" };

/// Intervals above the tonic of every named scale, as a mask built on C.
const std::vector<std::pair<std::string, PitchClassMask>> &namedScales()
{
    auto mask = [](std::initializer_list<int> steps) {
        PitchClassMask m = 0;
        for (int s : steps)
            m |= PitchClassMask(1u << s);
        return m;
    };
    // Longer names first, so "harmonic minor" is found before "minor".
    static const std::vector<std::pair<std::string, PitchClassMask>> scales = {
        { "harmonic minor", mask({ 0, 2, 3, 5, 7, 8, 11 }) },
        { "melodic minor", mask({ 0, 2, 3, 5, 7, 9, 11 }) },
        { "major pentatonic", mask({ 0, 2, 4, 7, 9 }) },
        { "minor pentatonic", mask({ 0, 3, 5, 7, 10 }) },
        { "blues", mask({ 0, 3, 5, 6, 7, 10 }) },
        { "major", mask({ 0, 2, 4, 5, 7, 9, 11 }) },
        { "ionian", mask({ 0, 2, 4, 5, 7, 9, 11 }) },
        { "dorian", mask({ 0, 2, 3, 5, 7, 9, 10 }) },
        { "phrygian", mask({ 0, 1, 3, 5, 7, 8, 10 }) },
        { "lydian", mask({ 0, 2, 4, 6, 7, 9, 11 }) },
        { "mixolydian", mask({ 0, 2, 4, 5, 7, 9, 10 }) },
        { "aeolian", mask({ 0, 2, 3, 5, 7, 8, 10 }) },
        { "minor", mask({ 0, 2, 3, 5, 7, 8, 10 }) },
        { "locrian", mask({ 0, 1, 3, 5, 6, 8, 10 }) },
    };
    return scales;
}

} // namespace

std::vector<std::string> scaleChoices()
{
    static const char *const kTonics[] = { "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B" };
    static const char *const kNaturalTonics[] = { "C", "D", "E", "F", "G", "A", "B" };
    std::vector<std::string> choices { "chromatic" };
    const auto onEvery = [&](const char *kind, const auto &tonics) {
        for (const char *tonic : tonics)
            choices.push_back(std::string(tonic) + " " + kind);
    };
    for (const char *kind : { "major", "minor", "harmonic minor", "melodic minor" })
        onEvery(kind, kTonics);
    for (const char *mode : { "dorian", "phrygian", "lydian", "mixolydian", "locrian" })
        onEvery(mode, kNaturalTonics);
    for (const char *kind : { "major pentatonic", "minor pentatonic", "blues" })
        onEvery(kind, kTonics);
    return choices;
}

namespace {

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

std::string trimmed(const std::string &text)
{
    const auto begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

PitchClassMask rotated(PitchClassMask mask, int tonic)
{
    const unsigned wide = unsigned(mask) << tonic;
    return PitchClassMask((wide | wide >> 12) & kChromatic);
}

/// Reads a pitch-class letter with optional '#' or 'b' at text[pos]; advances pos. -1 if none.
int readPitchClass(const std::string &text, std::size_t &pos)
{
    static const int letters[7] = { 9, 11, 0, 2, 4, 5, 7 }; // a b c d e f g
    if (pos >= text.size())
        return -1;
    const char letter = char(std::tolower(static_cast<unsigned char>(text[pos])));
    if (letter < 'a' || letter > 'g')
        return -1;
    int pc = letters[letter - 'a'];
    ++pos;
    for (; pos < text.size() && (text[pos] == '#' || text[pos] == 'b'); ++pos)
        pc += text[pos] == '#' ? 1 : -1;
    return (pc % 12 + 12) % 12;
}

PitchClassMask parseCustomScale(const std::string &text)
{
    PitchClassMask mask = 0;
    std::string item;
    std::vector<std::string> items;
    for (char c : text)
        if (c == ',' || c == ' ' || c == '\t') {
            if (!item.empty())
                items.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    if (!item.empty())
        items.push_back(item);
    for (const std::string &word : items) {
        if (std::all_of(word.begin(), word.end(), [](unsigned char c) { return std::isdigit(c); })) {
            const int pc = word.size() <= 2 ? std::stoi(word) : 99;
            if (pc > 11)
                return 0;
            mask |= PitchClassMask(1u << pc);
            continue;
        }
        std::size_t pos = 0;
        const int pc = readPitchClass(word, pos);
        if (pc < 0 || pos != word.size())
            return 0;
        mask |= PitchClassMask(1u << pc);
    }
    return mask;
}

} // namespace

int parseNoteName(const std::string &text)
{
    const std::string name = trimmed(text);
    std::size_t pos = 0;
    const int pitchClass = readPitchClass(name, pos);
    const bool negative = pos < name.size() && name[pos] == '-';
    const std::string digits = name.substr(std::min(pos + (negative ? 1 : 0), name.size()));
    const bool isNumber =
        !digits.empty() && digits.size() <= 2
        && std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); });
    if (pitchClass >= 0 && isNumber) {
        // The octave belongs to the letter: Cb4 is B3 and B#3 is C4.
        int semitone = pitchClass;
        int accidentals = 0;
        for (std::size_t i = 1; i < pos; ++i)
            accidentals += name[i] == '#' ? 1 : -1;
        const int letterSemitone = ((pitchClass - accidentals) % 12 + 12) % 12;
        semitone = letterSemitone + accidentals;
        const int octave = (negative ? -1 : 1) * std::stoi(digits);
        const int pitch = (octave + 1) * 12 + semitone;
        if (pitch >= 0 && pitch <= 127)
            return pitch;
    }
    throw GenerationError("\"" + text
                          + "\" is not a note name from C-1 to G9, such as C4 (middle C) or F#3.");
}

std::string noteName(int pitch)
{
    return std::string(kSharpNames[std::size_t(pitch % 12)]) + std::to_string(pitch / 12 - 1);
}

PitchClassMask parseScale(const std::string &text)
{
    const std::string name = lower(trimmed(text));
    if (name == "chromatic" || name.empty())
        return kChromatic;
    std::size_t pos = 0;
    const int tonic = readPitchClass(name, pos);
    if (tonic >= 0 && pos < name.size() && name[pos] == ' ') {
        const std::string kind = trimmed(name.substr(pos));
        for (const auto &[scaleName, mask] : namedScales())
            if (kind == scaleName)
                return rotated(mask, tonic);
    }
    if (const PitchClassMask custom = parseCustomScale(name))
        return custom;
    throw GenerationError(
        "\"" + text
        + "\" is not a scale: give a key such as \"D minor\" or \"A dorian\", \"chromatic\", "
          "or pitch classes such as \"C D E G A\".");
}

std::string pitchClassesText(PitchClassMask mask)
{
    std::string text;
    for (int pc = 0; pc < 12; ++pc)
        if (mask >> pc & 1)
            text += (text.empty() ? "" : " ") + std::string(kSharpNames[std::size_t(pc)]);
    return text;
}

void PitchConstraints::setRange(const std::string &text)
{
    // The separator is the '-' after the first note's octave: "C-1-G9" and "C3-C6" both work.
    const std::string range = trimmed(text);
    const std::size_t dash = range.find('-', range.size() > 2 && range[1] == '-' ? 3 : 1);
    if (dash == std::string::npos)
        throw GenerationError("\"" + text + "\" is not a pitch range: write it as LOW-HIGH, such as C3-C6.");
    const int low = parseNoteName(range.substr(0, dash));
    const int high = parseNoteName(range.substr(dash + 1));
    if (low > high)
        throw GenerationError("The pitch range \"" + text
                              + "\" is empty: its low note is above its high note.");
    lowest = low;
    highest = high;
}

void PitchConstraints::setScale(const std::string &text)
{
    pitchClasses = parseScale(text);
    scaleName = trimmed(text).empty() ? "chromatic" : trimmed(text);
}

void PitchConstraints::validate() const
{
    if (lowest < 0 || highest > 127 || lowest > highest)
        throw GenerationError("The pitch range " + std::to_string(lowest) + "-" + std::to_string(highest)
                              + " is empty or outside MIDI's 0-127.");
    if (pitchClasses == 0)
        throw GenerationError("The scale has no pitch classes.");
    bool any = false;
    for (int pitch = lowest; pitch <= highest && !any; ++pitch)
        any = allows(pitch);
    if (!any)
        throw GenerationError("No note of the scale " + scaleName + " lies in the range " + noteName(lowest)
                              + "-" + noteName(highest) + ".");
    if (maxPolyphony < 0)
        throw GenerationError("The maximum polyphony must be 0 (no limit) or more.");
    if (!(maxNoteSeconds >= 0.01 && maxNoteSeconds <= 60.0))
        throw GenerationError("The longest note must last between 0.01 and 60 seconds.");
}

std::string PitchConstraints::describe() const
{
    std::vector<std::string> parts;
    if (pitchClasses != kChromatic)
        parts.push_back("key " + scaleName);
    if (lowest > 0 || highest < 127)
        parts.push_back("range " + noteName(lowest) + "-" + noteName(highest));
    if (maxPolyphony > 0)
        parts.push_back("at most " + std::to_string(maxPolyphony) + (maxPolyphony == 1 ? " note" : " notes")
                        + " at once");
    std::string text;
    for (const std::string &part : parts)
        text += (text.empty() ? "" : ", ") + part;
    return text.empty() ? "none" : text;
}

} // namespace continuo
