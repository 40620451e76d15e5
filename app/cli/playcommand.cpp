// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli play`: a MIDI file on the built-in synth or to a MIDI output port, until the end or Ctrl+C.
#include "cli/commands.h"
#include "cli/terminalprogress.h"

#include "audio/soundfontlocator.h"
#include "audio/synthplayer.h"
#include "core/error.h"
#include "midiio/midiportplayer.h"
#include "score/smfconvert.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

namespace continuo::cli {

namespace {

using namespace std::chrono_literals;

struct PlayCommandOptions
{
    std::string in;
    std::string port;
    std::string api;
    std::string soundFont;
    std::string driver;
    std::vector<std::string> programs;
    double fromSec = 0.0;
    bool loop = false;
};

/// Plays to the end (or forever with --loop), showing the playhead as a progress bar; Ctrl+C
/// stops (and releases every note).
int playUntilDone(ScorePlayer &player, const Score &score, const PlayCommandOptions &o)
{
    player.setScore(score, partPrograms(o.programs));
    player.setLoop(o.loop);
    TerminalProgress progress;
    const auto toMs = [](double sec) { return std::int64_t(sec * 1000); };
    player.play(o.fromSec);
    while (player.isPlaying() && !progress.isCancelled()) {
        progress.reportProgress(toMs(player.positionSec()), toMs(player.durationSec()), "Playing");
        std::this_thread::sleep_for(50ms);
    }
    const bool interrupted = player.isPlaying();
    player.stop();
    progress.finishLine();
    return interrupted ? 130 : 0;
}

int runPlay(const PlayCommandOptions &o)
{
    const Score score = readScoreFile(o.in);
    if (!o.port.empty()) {
        MidiPortPlayer player({ o.api, o.port });
        std::cerr << "playing to " << player.api() << " port \"" << player.portName() << "\"\n";
        const int status = playUntilDone(player, score, o);
        const MidiTimingStats t = player.timingStats();
        std::fprintf(
            stderr,
            "%lld messages; lateness mean %.0f us, jitter (std dev) %.0f us, p99 %.0f us, max %.0f us\n",
            (long long)t.messages, t.meanLateUs, t.stddevLateUs, t.p99LateUs, t.maxLateUs);
        return status;
    }
    SynthPlayerOptions options;
    options.soundFont = findSoundFont(o.soundFont);
    if (!o.driver.empty())
        options.drivers = { o.driver };
    SynthPlayer player(options);
    std::cerr << "playing on the built-in synth (" << player.driverName() << ", "
              << options.soundFont.string() << ")\n";
    const int status = playUntilDone(player, score, o);
    std::this_thread::sleep_for(300ms); // let the releases ring out before the driver closes
    return status;
}

} // namespace

void addPlayCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("play", "Play a MIDI file on the built-in synth or to a MIDI output port");
    auto o = std::make_shared<PlayCommandOptions>();
    cmd->add_option("in", o->in, "MIDI file")->required()->check(CLI::ExistingFile);
    cmd->add_option("--port", o->port, "MIDI output port (name, part of it, or index; see `ports`)");
    cmd->add_option("--api", o->api, "MIDI API of the port: alsa or jack (default: the first that has it)");
    cmd->add_option("--soundfont", o->soundFont, "SoundFont for the built-in synth");
    cmd->add_option(
        "--driver", o->driver,
        "Audio driver for the built-in synth (pulseaudio, alsa, jack; default: the first that opens)");
    cmd->add_option("--from", o->fromSec, "Start at this many seconds")->check(CLI::NonNegativeNumber);
    cmd->add_flag("--loop", o->loop, "Loop until Ctrl+C");
    cmd->add_option("--program", o->programs,
                    "Instrument of a part: PART=PROGRAM (General MIDI 0..127); repeatable");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runPlay(*o); }); });
}

} // namespace continuo::cli
