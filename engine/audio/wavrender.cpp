// SPDX-License-Identifier: GPL-3.0-or-later
// Offline render: events dispatched on 64-frame block boundaries, large write blocks, streamed WAV.
#include "audio/wavrender.h"

#include "audio/internal/fluidsynth.h"
#include "core/error.h"

#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace continuo {

namespace {
using namespace audio;

/// FluidSynth renders in blocks of this many frames; an event takes effect at a block start.
constexpr std::int64_t kSynthBlockFrames = 64;
/// Frames rendered between cancel checks and file writes.
constexpr std::int64_t kChunkFrames = 8192;

/// A WAV file being written to `<path>.tmp`; commit() flushes and renames it into place, the
/// destructor removes it if commit() was not reached.
class TempWavFile
{
public:
    TempWavFile(const std::filesystem::path &path, int sampleRateHz, int bitsPerSample)
        : m_path(path), m_tmp(path.string() + ".tmp")
    {
        m_fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_fd < 0)
            throw IoError(path.string() + ": cannot write the file (" + std::strerror(errno) + ").");
        SF_INFO info {};
        info.samplerate = sampleRateHz;
        info.channels = 2;
        info.format = SF_FORMAT_WAV | (bitsPerSample == 24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16);
        m_file = sf_open_fd(m_fd, SFM_WRITE, &info, SF_FALSE);
        if (!m_file) {
            const std::string reason = sf_strerror(nullptr);
            discard();
            throw IoError(path.string() + ": cannot write the WAV file (" + reason + ").");
        }
        // Samples beyond full scale are clipped, not wrapped around.
        sf_command(m_file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    }
    ~TempWavFile() { discard(); }
    TempWavFile(const TempWavFile &) = delete;
    TempWavFile &operator=(const TempWavFile &) = delete;

    void write(const float *interleaved, std::int64_t frames)
    {
        if (sf_writef_float(m_file, interleaved, frames) != frames)
            throw IoError(m_path.string() + ": cannot write the WAV file (" + sf_strerror(m_file) + ").");
    }

    void commit()
    {
        const int closed = sf_close(m_file);
        m_file = nullptr;
        const bool ok = closed == 0 && ::fsync(m_fd) == 0;
        const std::string reason = ok ? std::string() : std::strerror(errno);
        const bool closedFd = ::close(m_fd) == 0;
        m_fd = -1;
        std::error_code ec;
        if (ok && closedFd)
            std::filesystem::rename(m_tmp, m_path, ec);
        if (!ok || !closedFd || ec) {
            discard();
            throw IoError(m_path.string() + ": cannot write the file ("
                          + (reason.empty() ? (ec ? ec.message() : std::string("close failed")) : reason)
                          + ").");
        }
        m_committed = true;
    }

private:
    void discard()
    {
        if (m_file)
            sf_close(m_file);
        m_file = nullptr;
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
        if (!m_committed) {
            std::error_code ec;
            std::filesystem::remove(m_tmp, ec);
        }
    }

    std::filesystem::path m_path;
    std::filesystem::path m_tmp;
    int m_fd = -1;
    SNDFILE *m_file = nullptr;
    bool m_committed = false;
};

/// Sends score events to the synth at their block, counted in frames.
struct FrameEvents
{
    std::vector<PlaybackEvent> events;
    std::vector<std::int64_t> frames; ///< each event's frame, rounded to the nearest block start
};

FrameEvents frameEvents(const Score &score, const RenderOptions &options)
{
    FrameEvents out;
    out.events = playbackEvents(score, options.playback);
    out.frames.reserve(out.events.size());
    for (const PlaybackEvent &e : out.events)
        out.frames.push_back(std::llround(e.timeSec * options.sampleRateHz / kSynthBlockFrames)
                             * kSynthBlockFrames);
    return out;
}
} // namespace

WavFileInfo wavFileInfo(const std::filesystem::path &path)
{
    SF_INFO info {};
    SNDFILE *file = sf_open(path.string().c_str(), SFM_READ, &info);
    if (!file)
        throw IoError(path.string() + ": cannot read the audio file (" + sf_strerror(nullptr) + ").");
    sf_close(file);
    return { std::int64_t(info.frames), info.samplerate, info.channels };
}

RenderResult renderScoreToWav(const Score &score, const std::filesystem::path &out,
                              const RenderOptions &options, JobContext &context)
{
    if (options.sampleRateHz != 44100 && options.sampleRateHz != 48000)
        throw AudioError("The sample rate must be 44100 or 48000 Hz, not "
                         + std::to_string(options.sampleRateHz) + ".");
    if (options.bitsPerSample != 16 && options.bitsPerSample != 24)
        throw AudioError("The WAV sample size must be 16 or 24 bits, not "
                         + std::to_string(options.bitsPerSample) + ".");
    if (!(options.tailSec >= 0.0 && options.tailSec <= 60.0))
        throw AudioError("The release tail must be between 0 and 60 seconds.");

    context.reportProgress(0, 0, "Loading the SoundFont");
    SettingsPtr settings = makeSettings(options.sampleRateHz);
    // Only this thread touches the synth: its API need not take a lock per call.
    fluid_settings_setint(settings.get(), "synth.threadsafe-api", 0);
    SynthPtr synth = makeSynth(settings.get(), options.soundFont);
    fluid_synth_t *fs = synth.get();

    const FrameEvents timeline = frameEvents(score, options);
    const std::int64_t totalFrames =
        std::int64_t(std::ceil((score.durationSec() + options.tailSec) * options.sampleRateHz - 1e-9));

    RenderResult result;
    result.path = out;
    result.sampleRateHz = options.sampleRateHz;
    TempWavFile file(out, options.sampleRateHz, options.bitsPerSample);
    std::vector<float> buffer(std::size_t(kChunkFrames) * 2);
    std::size_t next = 0;
    float peak = 0.0f;
    for (std::int64_t position = 0; position < totalFrames;) {
        if (context.isCancelled()) {
            result.cancelled = true;
            return result; // the temporary file is removed
        }
        const std::int64_t chunkEnd = std::min(position + kChunkFrames, totalFrames);
        std::int64_t filled = 0;
        while (position < chunkEnd) {
            while (next < timeline.events.size() && timeline.frames[next] <= position)
                sendToSynth(fs, timeline.events[next++]);
            // Render up to the next event's block in one call.
            std::int64_t until = chunkEnd;
            if (next < timeline.events.size())
                until = std::min(until, timeline.frames[next]);
            const int frames = int(until - position);
            float *data = buffer.data() + filled * 2;
            if (fluid_synth_write_float(fs, frames, data, 0, 2, data, 1, 2) != FLUID_OK)
                throw AudioError("FluidSynth failed while rendering.", takeFluidMessages());
            filled += frames;
            position = until;
        }
        for (std::size_t i = 0, n = std::size_t(filled) * 2; i < n; ++i)
            peak = std::max(peak, std::fabs(buffer[i]));
        file.write(buffer.data(), filled);
        context.reportProgress(position, totalFrames, "Rendering");
    }
    file.commit();
    result.frames = totalFrames;
    result.audioSec = double(totalFrames) / options.sampleRateHz;
    result.peak = peak;
    return result;
}

} // namespace continuo
