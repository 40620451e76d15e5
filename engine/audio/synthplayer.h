// SPDX-License-Identifier: GPL-3.0-or-later
// Real-time playback of a score on the built-in synth (FluidSynth) through an audio driver.
#pragma once

#include "score/playback.h"
#include "score/score.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace continuo {

/// How the synth player is set up.
struct SynthPlayerOptions
{
    std::filesystem::path soundFont; ///< a .sf2/.sf3 file (findSoundFont() gives the default)
    /// FluidSynth audio drivers to try, in order; the first that opens is used. Empty: the
    /// default order pulseaudio (also PipeWire's Pulse server), alsa, jack.
    std::vector<std::string> drivers;
    double sampleRateHz = 48000.0;
    /// JACK server name for the jack driver; empty: $JACK_DEFAULT_SERVER or JACK's default.
    std::string jackServer;
};

/// Plays a score on FluidSynth in real time. Events are dispatched inside the audio callback on
/// FluidSynth's 64-frame blocks, so timing follows the audio clock exactly and the playhead is
/// the count of frames played. The audio thread only ever try-locks the transport, so it never
/// waits on the control thread.
/// A JACK server is never started behind the user's back ($JACK_NO_START_SERVER is set).
class SynthPlayer : public ScorePlayer
{
public:
    /// Loads the SoundFont and opens the first audio driver that works.
    /// @throws AudioError for a missing or damaged SoundFont, or when no audio output can be
    /// opened (the message names the drivers tried; offline rendering still works then).
    explicit SynthPlayer(const SynthPlayerOptions &options);
    /// Stops (all notes off) and closes the driver.
    ~SynthPlayer() override;
    SynthPlayer(const SynthPlayer &) = delete;
    SynthPlayer &operator=(const SynthPlayer &) = delete;

    /// The FluidSynth driver that opened ("pulseaudio", "alsa", "jack", ...).
    const std::string &driverName() const;
    double sampleRateHz() const;

    // ScorePlayer
    void setScore(const Score &score, const PlaybackOptions &options = {}) override;
    double durationSec() const override;
    void setLoop(bool enabled, double startSec = 0.0, double endSec = -1.0) override;
    void play(double fromSec = 0.0) override;
    void stop() override;
    bool isPlaying() const override;
    double positionSec() const override;

    /// The largest absolute output sample since the last call, 1.0 = full scale (a level meter;
    /// any thread).
    float takePeakLevel();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace continuo
