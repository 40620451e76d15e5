// SPDX-License-Identifier: GPL-3.0-or-later
// Plays a score to an external MIDI output port from a timing thread.
#pragma once

#include "midiio/midiports.h"
#include "score/playback.h"
#include "score/score.h"

#include <cstdint>
#include <memory>
#include <string>

namespace continuo {

/// How late messages left compared with their due time on the steady clock, in microseconds.
struct MidiTimingStats
{
    std::int64_t messages = 0;
    double meanLateUs = 0.0;
    double stddevLateUs = 0.0; ///< jitter
    double p50LateUs = 0.0;
    double p99LateUs = 0.0;
    double maxLateUs = 0.0;
};

/// Sends a score's messages to a MIDI output port. A timing thread sleeps on the steady clock
/// until shortly before each message is due, then waits the last stretch actively and sends it,
/// so scheduling does not drift and jitter stays near the scheduler's wake-up latency. On stop, seek, loop
/// and destruction every sounding note gets its note off, and every channel gets sustain off, All Notes Off
/// (CC 123) and Reset All Controllers (CC 121).
class MidiPortPlayer : public ScorePlayer
{
public:
    /// Opens the port. @throws AudioError when the API cannot be used (no ALSA sequencer, no JACK
    /// server), when no port matches, or when it will not open; the message names the port.
    explicit MidiPortPlayer(const MidiPortChoice &choice);
    ~MidiPortPlayer() override;
    MidiPortPlayer(const MidiPortPlayer &) = delete;
    MidiPortPlayer &operator=(const MidiPortPlayer &) = delete;

    /// The API and full name of the opened port.
    const std::string &api() const;
    const std::string &portName() const;

    // ScorePlayer
    void setScore(const Score &score, const PlaybackOptions &options = {}) override;
    double durationSec() const override;
    void setLoop(bool enabled, double startSec = 0.0, double endSec = -1.0) override;
    void play(double fromSec = 0.0) override;
    void stop() override;
    bool isPlaying() const override;
    double positionSec() const override;

    /// Lateness of the messages sent since the last play().
    MidiTimingStats timingStats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace continuo
