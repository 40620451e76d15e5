// SPDX-License-Identifier: GPL-3.0-or-later
// FluidSynth set-up with checked returns, its log routed into our errors, and message dispatch.
#include "audio/internal/fluidsynth.h"

#include "core/error.h"

#include <deque>
#include <mutex>

namespace continuo::audio {

namespace {
std::mutex s_logMutex;
std::deque<std::string> s_logMessages; // the most recent FluidSynth errors and warnings
constexpr std::size_t kMaxLogMessages = 16;

extern "C" void onFluidLog(int level, const char *message, void *)
{
    if (!message)
        return;
    const std::lock_guard<std::mutex> lock(s_logMutex);
    s_logMessages.push_back(std::string(level <= FLUID_ERR ? "error: " : "warning: ") + message);
    if (s_logMessages.size() > kMaxLogMessages)
        s_logMessages.pop_front();
}
} // namespace

void installFluidLog()
{
    static std::once_flag once;
    std::call_once(once, [] {
        fluid_set_log_function(FLUID_PANIC, onFluidLog, nullptr);
        fluid_set_log_function(FLUID_ERR, onFluidLog, nullptr);
        fluid_set_log_function(FLUID_WARN, onFluidLog, nullptr);
        fluid_set_log_function(FLUID_INFO, nullptr, nullptr);
        fluid_set_log_function(FLUID_DBG, nullptr, nullptr);
    });
}

std::string takeFluidMessages()
{
    const std::lock_guard<std::mutex> lock(s_logMutex);
    std::string text;
    for (const std::string &m : s_logMessages)
        text += (text.empty() ? "" : "\n") + m;
    s_logMessages.clear();
    return text;
}

SettingsPtr makeSettings(double sampleRateHz)
{
    installFluidLog();
    SettingsPtr settings(new_fluid_settings());
    if (!settings)
        throw AudioError("FluidSynth could not create its settings.", takeFluidMessages());
    if (fluid_settings_setnum(settings.get(), "synth.sample-rate", sampleRateHz) != FLUID_OK)
        throw AudioError("FluidSynth does not accept the sample rate " + std::to_string(sampleRateHz)
                             + " Hz.",
                         takeFluidMessages());
    return settings;
}

SynthPtr makeSynth(fluid_settings_t *settings, const std::filesystem::path &soundFont)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(soundFont, ec))
        throw AudioError(soundFont.string() + ": the SoundFont does not exist.");
    if (!fluid_is_soundfont(soundFont.string().c_str()))
        throw AudioError(soundFont.string() + ": this is not a SoundFont (.sf2/.sf3) file.",
                         takeFluidMessages());
    SynthPtr synth(new_fluid_synth(settings));
    if (!synth)
        throw AudioError("FluidSynth could not create a synthesizer.", takeFluidMessages());
    takeFluidMessages();
    if (fluid_synth_sfload(synth.get(), soundFont.string().c_str(), 1) == FLUID_FAILED)
        throw AudioError(soundFont.string() + ": the SoundFont is damaged; FluidSynth could not load it.",
                         takeFluidMessages());
    return synth;
}

bool sendToSynth(fluid_synth_t *synth, const PlaybackEvent &event)
{
    const int channel = event.channel();
    switch (event.type()) {
    case 0x90: return fluid_synth_noteon(synth, channel, event.data1, event.data2) == FLUID_OK;
    // FluidSynth reports a note off for a key that is not sounding as a failure; that is harmless.
    case 0x80: fluid_synth_noteoff(synth, channel, event.data1); return true;
    case 0xB0: return fluid_synth_cc(synth, channel, event.data1, event.data2) == FLUID_OK;
    case 0xC0: return fluid_synth_program_change(synth, channel, event.data1) == FLUID_OK;
    default: return false;
    }
}

void releaseAll(fluid_synth_t *synth)
{
    for (int channel = 0; channel < 16; ++channel)
        fluid_synth_cc(synth, channel, 64, 0);
    fluid_synth_all_notes_off(synth, -1);
}

} // namespace continuo::audio
