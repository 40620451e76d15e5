// SPDX-License-Identifier: GPL-3.0-or-later
// The FluidSynth pieces shared by the offline renderer and the real-time player (engine/audio only).
#pragma once

#include "score/playback.h"

#include <fluidsynth.h>

#include <filesystem>
#include <memory>
#include <string>

namespace continuo::audio {

struct SettingsDeleter
{
    void operator()(fluid_settings_t *s) const { delete_fluid_settings(s); }
};
struct SynthDeleter
{
    void operator()(fluid_synth_t *s) const { delete_fluid_synth(s); }
};
using SettingsPtr = std::unique_ptr<fluid_settings_t, SettingsDeleter>;
using SynthPtr = std::unique_ptr<fluid_synth_t, SynthDeleter>;

/// Routes FluidSynth's log into ours (once per process): errors and warnings are kept for the
/// detail of the next AudioError instead of being printed. Any thread.
void installFluidLog();
/// FluidSynth's error and warning messages since the last call, one per line. Any thread.
std::string takeFluidMessages();

/// New settings with the sample rate set. @throws AudioError.
SettingsPtr makeSettings(double sampleRateHz);
/// A synth on `settings` with `soundFont` loaded (reverb and chorus as FluidSynth's defaults:
/// on). @throws AudioError naming the file when it is missing, not a SoundFont, or damaged.
SynthPtr makeSynth(fluid_settings_t *settings, const std::filesystem::path &soundFont);

/// Sends one message to the synth. Returns false if FluidSynth refused it (for example a
/// program the SoundFont lacks, which FluidSynth reports and plays with a fallback preset).
/// Called from whichever thread drives the synth; never throws.
bool sendToSynth(fluid_synth_t *synth, const PlaybackEvent &event);

/// Releases every note and the sustain pedal on all channels (notes fade with their release).
void releaseAll(fluid_synth_t *synth);

} // namespace continuo::audio
