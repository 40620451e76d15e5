// SPDX-License-Identifier: GPL-3.0-or-later
// What a fill keeps of the span: the choice, its words, and which notes it keeps.
#include "generate/fill.h"

#include "core/error.h"
#include "generate/pitchconstraints.h"

#include <algorithm>
#include <cctype>

namespace continuo {

namespace {

std::string lowercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

/// A pitch as a note name ("C4") or a MIDI number ("60").
int pitchOf(const std::string &text)
{
    if (!text.empty()
        && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })
        && text.size() <= 3 && std::stoi(text) <= 127)
        return std::stoi(text);
    return parseNoteName(text);
}

} // namespace

KeepChoice KeepChoice::parse(const std::string &text)
{
    const std::string lower = lowercase(text);
    const std::size_t colon = lower.find(':');
    const std::string kind = lower.substr(0, colon);
    const std::string value = colon == std::string::npos ? std::string() : text.substr(colon + 1);
    KeepChoice keep;
    if ((kind == "nothing" || kind == "top-voice") && value.empty()) {
        keep.rule = kind == "nothing" ? KeepRule::Nothing : KeepRule::TopVoice;
        return keep;
    }
    if ((kind == "above" || kind == "below") && !value.empty()) {
        keep.rule = kind == "above" ? KeepRule::Above : KeepRule::Below;
        keep.pitch = pitchOf(value);
        return keep;
    }
    if (kind == "track" && !value.empty()
        && std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })
        && value.size() <= 4 && std::stoi(value) >= 1) {
        keep.rule = KeepRule::Track;
        keep.part = std::stoi(value) - 1;
        return keep;
    }
    throw GenerationError(
        "\"" + text
        + "\" is not something to keep: say nothing, above:C4, below:C4, track:N (from 1) or "
          "top-voice.");
}

std::string KeepChoice::describe() const
{
    switch (rule) {
    case KeepRule::Nothing: return "nothing";
    case KeepRule::Above: return "above:" + noteName(pitch);
    case KeepRule::Below: return "below:" + noteName(pitch);
    case KeepRule::Track: return "track:" + std::to_string(part + 1);
    case KeepRule::TopVoice: return "top-voice";
    }
    return "nothing";
}

bool staysInSpan(const Note &note, const KeepChoice &keep, const std::vector<Note> &notes)
{
    switch (keep.rule) {
    case KeepRule::Nothing: return false;
    case KeepRule::Above: return note.pitch >= keep.pitch;
    case KeepRule::Below: return note.pitch < keep.pitch;
    case KeepRule::Track: return note.part == keep.part;
    case KeepRule::TopVoice:
        return std::none_of(notes.begin(), notes.end(), [&note](const Note &other) {
            return other.startTick == note.startTick && other.pitch > note.pitch && !other.isDrum();
        });
    }
    return false;
}

} // namespace continuo
