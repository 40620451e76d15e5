// SPDX-License-Identifier: GPL-3.0-or-later
// Offline rendering of a score to a WAV file with FluidSynth: no audio device needed.
#pragma once

#include "jobs/jobcontext.h"
#include "score/playback.h"
#include "score/score.h"

#include <cstdint>
#include <filesystem>

namespace continuo {

/// How a score is rendered.
struct RenderOptions
{
    std::filesystem::path soundFont; ///< a .sf2/.sf3 file (findSoundFont() gives the default)
    int sampleRateHz = 44100; ///< 44100 or 48000
    int bitsPerSample = 16; ///< 16 or 24 (signed PCM)
    /// Seconds rendered after the end of the score so that releases and reverb die away.
    double tailSec = 2.0;
    PlaybackOptions playback; ///< instrument per part
};

/// What was written.
struct RenderResult
{
    std::filesystem::path path;
    std::int64_t frames = 0; ///< per channel (the file is stereo)
    int sampleRateHz = 0;
    double audioSec = 0.0; ///< frames / sampleRateHz: the score's duration plus the tail
    double peak = 0.0; ///< largest absolute sample, 1.0 = full scale (above 1 was clipped)
    bool cancelled = false; ///< the job was cancelled: nothing was written
};

/// What a WAV (or other libsndfile-readable) file holds.
struct WavFileInfo
{
    std::int64_t frames = 0;
    int sampleRateHz = 0;
    int channels = 0;
    double durationSec() const { return sampleRateHz > 0 ? double(frames) / sampleRateHz : 0.0; }
};

/// Reads the header of an audio file. @throws IoError when it cannot be opened or read.
WavFileInfo wavFileInfo(const std::filesystem::path &path);

/// Renders `score` to a stereo WAV file at `out`, with FluidSynth's reverb and chorus on (its
/// defaults, as its own file renderer). The file is exactly ceil((score duration + tail) x rate)
/// frames long; events are placed on FluidSynth's 64-frame blocks (within 0.7 ms). It is
/// written to `<out>.tmp`, flushed and renamed into place; on cancel or error the temporary
/// file is removed and `out` is untouched. Reports progress in frames ("Rendering") and checks
/// `context.isCancelled()` every block of 8192 frames. Run it on a job worker thread.
/// @throws AudioError for a missing or damaged SoundFont or unsupported options; IoError when
/// the file cannot be written.
RenderResult renderScoreToWav(const Score &score, const std::filesystem::path &out,
                              const RenderOptions &options, JobContext &context);

} // namespace continuo
