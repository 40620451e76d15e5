// SPDX-License-Identifier: GPL-3.0-or-later
// External MIDI ports (RtMidi): which APIs exist and which ports they offer.
#pragma once

#include <string>
#include <vector>

namespace continuo {

/// The ports of one MIDI API. When the API cannot be used (no ALSA sequencer, no JACK server),
/// `problem` says why in one sentence and the lists are empty.
struct MidiPortList
{
    std::string api; ///< "alsa", "jack", ...
    std::vector<std::string> outputs;
    std::vector<std::string> inputs;
    std::string problem;

    bool isAvailable() const { return problem.empty(); }
};

/// The MIDI APIs RtMidi was built with, by name ("alsa", "jack"), preferred first. Any thread.
std::vector<std::string> midiApis();

/// The ports of `api` right now. Never throws: a missing sequencer or server is a `problem`.
/// Any thread.
MidiPortList listMidiPorts(const std::string &api);

/// Where to connect: an API and a port of it.
struct MidiPortChoice
{
    std::string api; ///< empty: the first API that has a matching port
    /// A port's full name, an unambiguous part of it (case-insensitive), or its index.
    std::string port;
};

} // namespace continuo
