// SPDX-License-Identifier: GPL-3.0-or-later
// Real-time synth playback: a FluidSynth audio driver calls us, we dispatch events per 64-frame block.
#include "audio/synthplayer.h"

#include "audio/internal/fluidsynth.h"
#include "core/error.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <mutex>

namespace continuo {

namespace {
using namespace audio;

constexpr int kBlockFrames = 64; // FluidSynth's own block: events take effect at a block start
constexpr int kMaxBuffers = 32;

struct DriverDeleter
{
    void operator()(fluid_audio_driver_t *d) const { delete_fluid_audio_driver(d); }
};

class SynthSink : public PlaybackSink
{
public:
    explicit SynthSink(fluid_synth_t *synth) : m_synth(synth) { }
    void send(const PlaybackEvent &event) override { sendToSynth(m_synth, event); }
    void releaseAll() override { audio::releaseAll(m_synth); }

private:
    fluid_synth_t *m_synth;
};
} // namespace

struct SynthPlayer::Impl
{
    SettingsPtr settings;
    SynthPtr synth;
    std::unique_ptr<SynthSink> sink;
    std::unique_ptr<fluid_audio_driver_t, DriverDeleter> driver;
    std::string driverName;
    double sampleRateHz = 48000.0;

    // Guarded by `mutex`: the control thread locks it, the audio callback only try-locks it.
    std::mutex mutex;
    PlaybackTransport transport;
    std::int64_t framesPlayed = 0;

    std::atomic<bool> playing { false };
    std::atomic<double> positionSec { 0.0 };
    std::atomic<float> peak { 0.0f };

    static int process(void *data, int len, int nfx, float *fx[], int nout, float *out[]);
    void stopLocked()
    {
        playing = false;
        sink->releaseAll();
    }
};

int SynthPlayer::Impl::process(void *data, int len, int nfx, float *fx[], int nout, float *out[])
{
    auto *d = static_cast<Impl *>(data);
    fluid_synth_t *synth = d->synth.get();
    std::unique_lock<std::mutex> lock(d->mutex, std::try_to_lock);
    const bool dispatch = lock.owns_lock() && d->playing.load() && nfx <= kMaxBuffers && nout <= kMaxBuffers;
    int status = FLUID_OK;
    if (!dispatch) {
        // The control thread is changing the transport (for microseconds), or nothing plays.
        status = fluid_synth_process(synth, len, nfx, fx, nout, out);
    } else {
        float *fxAt[kMaxBuffers], *outAt[kMaxBuffers];
        for (int offset = 0; offset < len && status == FLUID_OK; offset += kBlockFrames) {
            const int frames = std::min(kBlockFrames, len - offset);
            if (d->playing.load()) {
                // Events due before the middle of this block start with it (within half a block).
                const double due = (double(d->framesPlayed) + frames / 2.0) / d->sampleRateHz;
                if (!d->transport.cursor.advanceTo(due, *d->sink))
                    d->stopLocked(); // the end of the piece
                d->framesPlayed += frames;
                d->positionSec = d->transport.cursor.positionSec();
            }
            for (int i = 0; i < nfx; ++i)
                fxAt[i] = fx[i] + offset;
            for (int i = 0; i < nout; ++i)
                outAt[i] = out[i] + offset;
            status = fluid_synth_process(synth, frames, nfx, fxAt, nout, outAt);
        }
    }
    float peak = 0.0f;
    for (int i = 0; i < nout; ++i)
        for (int f = 0; f < len; ++f)
            peak = std::max(peak, std::fabs(out[i][f]));
    if (peak > d->peak.load(std::memory_order_relaxed))
        d->peak.store(peak, std::memory_order_relaxed);
    return status;
}

SynthPlayer::SynthPlayer(const SynthPlayerOptions &options) : m_impl(std::make_unique<Impl>())
{
    Impl &d = *m_impl;
    d.settings = makeSettings(options.sampleRateHz);
    d.synth = makeSynth(d.settings.get(), options.soundFont);
    d.sink = std::make_unique<SynthSink>(d.synth.get());
    d.sampleRateHz = options.sampleRateHz;

    // libjack would otherwise try to start a server with whatever ~/.jackdrc says.
    ::setenv("JACK_NO_START_SERVER", "1", 0);
    fluid_settings_setstr(d.settings.get(), "audio.jack.id", "continuo");
    fluid_settings_setint(d.settings.get(), "audio.jack.autoconnect", 1);
    if (!options.jackServer.empty())
        fluid_settings_setstr(d.settings.get(), "audio.jack.server", options.jackServer.c_str());

    const std::vector<std::string> drivers =
        options.drivers.empty() ? std::vector<std::string> { "pulseaudio", "alsa", "jack" } : options.drivers;
    std::string tried, detail;
    for (const std::string &name : drivers) {
        tried += (tried.empty() ? "" : ", ") + name;
        takeFluidMessages();
        if (fluid_settings_setstr(d.settings.get(), "audio.driver", name.c_str()) == FLUID_OK)
            d.driver.reset(new_fluid_audio_driver2(d.settings.get(), &Impl::process, &d));
        if (d.driver) {
            d.driverName = name;
            break;
        }
        const std::string messages = takeFluidMessages();
        detail += name + ": " + (messages.empty() ? "did not open" : messages) + "\n";
    }
    if (!d.driver)
        throw AudioError("No audio output could be opened (tried " + tried
                             + "); playback is off, but rendering to WAV still works.",
                         detail);
    // Some drivers adopt the device's rate (JACK's); the playhead must count in that rate.
    double rate = d.sampleRateHz;
    if (fluid_settings_getnum(d.settings.get(), "synth.sample-rate", &rate) == FLUID_OK && rate > 0)
        d.sampleRateHz = rate;
}

SynthPlayer::~SynthPlayer()
{
    {
        const std::lock_guard<std::mutex> lock(m_impl->mutex);
        m_impl->stopLocked();
    }
    m_impl->driver.reset(); // joins the audio thread before the synth goes
}

const std::string &SynthPlayer::driverName() const { return m_impl->driverName; }
double SynthPlayer::sampleRateHz() const { return m_impl->sampleRateHz; }

void SynthPlayer::setScore(const Score &score, const PlaybackOptions &options)
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    if (m_impl->playing)
        m_impl->stopLocked();
    m_impl->transport.setScore(score, options);
    m_impl->positionSec = 0.0;
}

double SynthPlayer::durationSec() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->transport.cursor.endSec();
}

void SynthPlayer::setLoop(bool enabled, double startSec, double endSec)
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->transport.setLoop(enabled, startSec, endSec);
}

void SynthPlayer::play(double fromSec)
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->transport.cursor.seek(fromSec, *m_impl->sink);
    m_impl->framesPlayed = 0;
    m_impl->positionSec = m_impl->transport.cursor.positionSec();
    m_impl->playing = true;
}

void SynthPlayer::stop()
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->stopLocked();
}

bool SynthPlayer::isPlaying() const { return m_impl->playing.load(); }
double SynthPlayer::positionSec() const { return m_impl->positionSec.load(); }
float SynthPlayer::takePeakLevel() { return m_impl->peak.exchange(0.0f); }

} // namespace continuo
