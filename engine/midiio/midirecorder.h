// SPDX-License-Identifier: GPL-3.0-or-later
// Records notes and the sustain pedal from a MIDI input port into a score (a seed).
#pragma once

#include "midiio/midiports.h"
#include "score/score.h"

#include <cstddef>
#include <memory>
#include <string>

namespace continuo {

/// Records from a MIDI input port. Messages carry the backend's own timestamps (RtMidi's delta
/// times), so the recorded timing does not depend on when the callback thread ran.
class MidiRecorder
{
public:
    /// Opens `choice.port` of `choice.api`; with an empty port name, opens a virtual input port
    /// named `virtualName` that other programs connect to.
    /// @throws AudioError when the API cannot be used, or the port is missing or will not open.
    explicit MidiRecorder(const MidiPortChoice &choice, const std::string &virtualName = "Continuo in");
    ~MidiRecorder();
    MidiRecorder(const MidiRecorder &) = delete;
    MidiRecorder &operator=(const MidiRecorder &) = delete;

    const std::string &api() const;
    /// The full name of the opened port, or the virtual port's name.
    const std::string &portName() const;

    /// Forgets what was recorded and starts recording. Any one control thread.
    void start();
    /// Stops recording and returns the score: one part, 480 ticks per quarter at 120 bpm (one
    /// tick = 1/960 s), time 0 at the first message recorded. Note on/off pairs become notes (a
    /// note still held is closed at the last message), channels and velocities are kept, and
    /// controller 64 becomes sustain-pedal events (not applied to note lengths). Programs are
    /// kept per channel. Other messages are ignored.
    Score stop();
    bool isRecording() const;
    /// Channel messages recorded so far. Any thread.
    std::size_t messageCount() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace continuo
