// SPDX-License-Identifier: GPL-3.0-or-later
// Offline render: events dispatched on 64-frame block boundaries, large write blocks, streamed WAV.
#include "audio/wavrender.h"

#include "audio/internal/fluidsynth.h"
#include "core/error.h"
#include "core/fileio.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>

namespace continuo {

namespace {
using namespace audio;

/// FluidSynth renders in blocks of this many frames; an event takes effect at a block start.
constexpr std::int64_t kSynthBlockFrames = 64;
/// Frames rendered between cancel checks and file writes.
constexpr std::int64_t kChunkFrames = 8192;

/// A WAV file written through a temporary name (AtomicFile): commit() finishes the WAV header and
/// renames it into place; without commit() nothing is left behind.
class TempWavFile
{
public:
    TempWavFile(const std::filesystem::path &path, int sampleRateHz, int bitsPerSample)
        : m_path(path), m_target(path)
    {
        SF_INFO info {};
        info.samplerate = sampleRateHz;
        info.channels = 2;
        info.format = SF_FORMAT_WAV | (bitsPerSample == 24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16);
        m_file = sf_open_fd(m_target.descriptor(), SFM_WRITE, &info, SF_FALSE); // the descriptor stays ours
        if (!m_file)
            throw IoError(path.string() + ": cannot write the WAV file (" + sf_strerror(nullptr) + ").");
        // Samples beyond full scale are clipped, not wrapped around.
        sf_command(m_file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    }
    ~TempWavFile()
    {
        if (m_file)
            sf_close(m_file);
    }
    TempWavFile(const TempWavFile &) = delete;
    TempWavFile &operator=(const TempWavFile &) = delete;

    void write(const float *interleaved, std::int64_t frames)
    {
        if (sf_writef_float(m_file, interleaved, frames) != frames)
            throw IoError(m_path.string() + ": cannot write the WAV file (" + sf_strerror(m_file) + ").");
    }

    void commit()
    {
        const int closed = sf_close(m_file); // writes the header's sizes
        m_file = nullptr;
        if (closed != 0)
            throw IoError(m_path.string() + ": cannot write the WAV file (" + sf_error_number(closed) + ").");
        m_target.commit();
    }

private:
    std::filesystem::path m_path;
    AtomicFile m_target;
    SNDFILE *m_file = nullptr;
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
