// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli render`: a MIDI file to a WAV file with the built-in synth, through the job runner.
#include "cli/commands.h"
#include "cli/terminalprogress.h"

#include "audio/soundfontlocator.h"
#include "audio/wavrender.h"
#include "core/error.h"
#include "score/smfconvert.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace continuo::cli {

namespace {

struct RenderCommandOptions
{
    std::string in;
    std::string out;
    std::string soundFont;
    std::vector<std::string> programs;
    RenderOptions render;
    bool asJson = false;
};

int runRender(const RenderCommandOptions &o)
{
    const Score score = readScoreFile(o.in);
    RenderOptions options = o.render;
    options.soundFont = findSoundFont(o.soundFont);
    options.playback = partPrograms(o.programs);

    TerminalProgress progress;
    const auto start = std::chrono::steady_clock::now();
    const std::optional<RenderResult> result =
        runJob<RenderResult>(progress, [&, path = std::filesystem::path(o.out)](JobContext &context) {
            return renderScoreToWav(score, path, options, context);
        });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!result) {
        std::cerr << "cancelled; " << o.out << " was not written\n";
        return 130;
    }
    const double peakDb = result->peak > 0 ? 20 * std::log10(result->peak) : -200.0;
    if (o.asJson) {
        std::cout << nlohmann::json {
            { "file", o.out },
            { "soundfont", options.soundFont.string() },
            { "sample_rate", result->sampleRateHz },
            { "bits", options.bitsPerSample },
            { "frames", result->frames },
            { "audio_s", result->audioSec },
            { "score_s", score.durationSec() },
            { "peak_dbfs", peakDb },
            { "seconds", seconds },
            { "realtime_factor", result->audioSec / seconds }
        }.dump(2) << "\n";
    } else {
        std::fprintf(stderr,
                     "wrote %s: %.2f s at %d Hz, %d bit, peak %.1f dBFS (%.0fx real time; SoundFont %s)\n",
                     o.out.c_str(), result->audioSec, result->sampleRateHz, options.bitsPerSample, peakDb,
                     result->audioSec / seconds, options.soundFont.string().c_str());
    }
    return 0;
}

} // namespace

void addRenderCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand(
        "render", "Render a MIDI file to WAV with the built-in synth (no audio device needed)");
    auto o = std::make_shared<RenderCommandOptions>();
    cmd->add_option("in", o->in, "MIDI file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", o->out, "WAV file to write (through a temporary file)")->required();
    cmd->add_option("--soundfont", o->soundFont,
                    "SoundFont (.sf2/.sf3); default: the first found in " + soundFontSearchDescription());
    cmd->add_option("--rate", o->render.sampleRateHz, "Sample rate in Hz")
        ->capture_default_str()
        ->check(CLI::IsMember({ 44100, 48000 }));
    cmd->add_option("--bits", o->render.bitsPerSample, "Bits per sample")
        ->capture_default_str()
        ->check(CLI::IsMember({ 16, 24 }));
    cmd->add_option("--tail", o->render.tailSec, "Seconds rendered after the end for releases and reverb")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 60.0));
    cmd->add_option("--program", o->programs,
                    "Instrument of a part: PART=PROGRAM (General MIDI 0..127); repeatable");
    cmd->add_flag("--json", o->asJson, "Print the result as JSON on standard output");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runRender(*o); }); });
}

} // namespace continuo::cli
