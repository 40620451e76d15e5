// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli bench ...`: engine benchmarks printed as JSON, optionally beside a peer measured in the same
// run.
#include "cli/commands.h"

#include "audio/soundfontlocator.h"
#include "audio/wavrender.h"
#include "core/error.h"
#include "core/fileio.h"
#include "generate/generatebench.h"
#include "midi/midifiles.h"
#include "midi/smfreader.h"
#include "midiio/midiportplayer.h"
#include "score/smfconvert.h"
#include "train/trainbench.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace continuo::cli {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct ParsePass
{
    std::size_t filesOk = 0;
    std::size_t filesRejected = 0;
    std::size_t bytes = 0;
    std::size_t noteOns = 0;
    std::size_t notes = 0;
    double seconds = 0.0;
};

/// Reads, parses and builds the score of every file once.
ParsePass parseAll(const std::vector<std::filesystem::path> &files)
{
    ParsePass pass;
    const auto start = Clock::now();
    for (const auto &path : files) {
        try {
            const std::vector<std::uint8_t> bytes = readFileBytes(path, SmfReadLimits {}.maxFileBytes);
            pass.bytes += bytes.size();
            const SmfFile file = readSmf(bytes.data(), bytes.size(), path.string());
            for (const SmfTrack &track : file.tracks)
                for (const MidiEvent &event : track.events)
                    pass.noteOns += event.isNoteOn() ? 1 : 0;
            pass.notes += scoreFromSmf(file).notes.size();
            ++pass.filesOk;
        } catch (const Error &) {
            ++pass.filesRejected;
        }
    }
    pass.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return pass;
}

/// Runs a peer script that prints one JSON object on its last line. Returns null on failure.
json runPeer(const std::string &command)
{
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe)
        return nullptr;
    std::string output;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe.get()))
        output += buffer;
    // The result is the last line that holds a JSON object.
    std::istringstream lines(output);
    std::string line, last;
    while (std::getline(lines, line))
        if (!line.empty() && line.front() == '{')
            last = line;
    return last.empty() ? json(nullptr) : json::parse(last, nullptr, false);
}

std::string shellQuote(const std::string &text)
{
    std::string quoted = "'";
    for (char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

int benchParse(const std::string &folder, int repeat, const std::string &peerScript)
{
    const auto files = findMidiFiles(folder);
    parseAll(files); // warm the page cache and the allocator
    ParsePass best;
    double total = 0.0;
    for (int i = 0; i < repeat; ++i) {
        ParsePass pass = parseAll(files);
        total += pass.seconds;
        if (i == 0 || pass.seconds < best.seconds)
            best = pass;
    }
    const double meanSec = total / repeat;
    json out = { { "bench", "parse" },
                 { "folder", folder },
                 { "files", files.size() },
                 { "files_ok", best.filesOk },
                 { "files_rejected", best.filesRejected },
                 { "bytes", best.bytes },
                 { "note_ons", best.noteOns },
                 { "notes", best.notes },
                 { "repeat", repeat },
                 { "threads", 1 },
                 { "seconds", meanSec },
                 { "seconds_best", best.seconds },
                 { "mb_per_s", best.bytes / meanSec / 1e6 },
                 { "work", "read file + parse SMF + build score (note pairing, tempo map)" } };
    if (!peerScript.empty()) {
        const json peer = runPeer("/usr/bin/python3 " + shellQuote(peerScript) + " " + shellQuote(folder)
                                  + " --repeat " + std::to_string(repeat));
        out["peer"] = peer;
        if (peer.is_object() && peer.contains("seconds"))
            out["speedup_vs_peer"] = peer["seconds"].get<double>() / meanSec;
        else
            out["peer_error"] = "the peer script did not print a JSON result";
    }
    std::cout << out.dump(2) << "\n";
    return 0;
}

using Flags = std::vector<std::pair<std::string, int>>;

/// The model flags, named as the peer names them: recorded in the JSON and passed to the peer.
Flags shapeFlags(const NetShape &shape)
{
    if (shape.arch == "transformer")
        return { { "vocab", shape.vocab },
                 { "embed", shape.embed },
                 { "layers", shape.layers },
                 { "heads", shape.heads },
                 { "ff", shape.ff } };
    return { { "vocab", shape.vocab },
             { "embed", shape.embed },
             { "hidden", shape.hidden },
             { "layers", shape.layers } };
}

json flagsJson(const Flags &flags, const std::string &device)
{
    json config = { { "device", device } };
    for (const auto &[flag, value] : flags)
        config[flag] = value;
    return config;
}

/// Runs the torch peer with `flags` and adds its result and speedup_vs_peer (from `field`, where
/// a larger figure is better when `higherIsBetter`) to `out`.
void addTorchPeer(json &out, const std::string &script, const Flags &flags, const std::string &extra,
                  const std::string &field, double ours, bool higherIsBetter)
{
    std::string command = "/usr/bin/python3 " + shellQuote(script);
    for (const auto &[flag, value] : flags)
        command += " --" + flag + " " + std::to_string(value);
    const json peer = runPeer(command + " " + extra);
    out["peer"] = peer;
    if (peer.is_object() && peer.contains(field)) {
        const double theirs = peer[field].get<double>();
        out["speedup_vs_peer"] = higherIsBetter ? ours / theirs : theirs / ours;
    } else {
        out["peer_error"] = "the peer script did not print a JSON result";
    }
}

int benchTrain(const TrainBenchConfig &config, const std::string &peerScript)
{
    Flags flags = shapeFlags(config.shape);
    flags.insert(flags.end(), { { "batch", config.batch },
                                { "seq", config.seq },
                                { "steps", config.steps },
                                { "threads", config.threads } });
    const TrainBenchResult result = benchmarkTraining(config);
    json out = { { "bench", "train" },
                 { "arch", config.shape.arch },
                 { "config", flagsJson(flags, config.device) },
                 { "device", result.device },
                 { "precision", result.mixedPrecision ? "mixed bfloat16" : "float32" },
                 { "threads", result.threads },
                 { "seconds", result.seconds },
                 { "first_loss", result.firstLoss },
                 { "last_loss", result.lastLoss },
                 { "train_tokens_per_s", result.trainTokensPerSec } };
    if (!peerScript.empty())
        addTorchPeer(out, peerScript, flags,
                     "--arch " + shellQuote(config.shape.arch) + " --device " + shellQuote(config.device),
                     "train_tokens_per_s", result.trainTokensPerSec, true);
    std::cout << out.dump(2) << "\n";
    return 0;
}

int benchGenerate(const GenerateBenchConfig &config, const std::string &peerScript)
{
    Flags flags = shapeFlags(config.shape);
    flags.insert(flags.end(), { { "gen", config.gen }, { "threads", config.threads } });
    const GenerateBenchResult result = benchmarkGeneration(config);
    json out = { { "bench", "generate" },
                 { "arch", config.shape.arch },
                 { "config", flagsJson(flags, "cpu") },
                 { "batch", 1 },
                 { "threads", result.threads },
                 { "seconds", result.seconds },
                 { "distinct_tokens", result.distinctTokens },
                 { "generate_ms_per_token", result.msPerToken } };
    // The peer's training figure is not used here: keep its training part short.
    if (!peerScript.empty())
        addTorchPeer(out, peerScript, flags,
                     "--arch " + shellQuote(config.shape.arch) + " --steps 1 --batch 2 --seq 8",
                     "generate_ms_per_token", result.msPerToken, false);
    std::cout << out.dump(2) << "\n";
    return 0;
}

struct RenderPass
{
    double seconds = 0.0;
    double audioSec = 0.0;
};

/// Our renderer as a user runs it: read the MIDI file, load the SoundFont, render, write the WAV.
RenderPass renderOnce(const std::string &midi, const RenderOptions &options, const std::filesystem::path &out)
{
    const auto start = Clock::now();
    PlainJobContext context;
    const RenderResult result = renderScoreToWav(readScoreFile(midi), out, options, context);
    return { std::chrono::duration<double>(Clock::now() - start).count(), result.audioSec };
}

/// The peer: FluidSynth's own fast file renderer with the same SoundFont and rate, as a process.
RenderPass peerRenderOnce(const std::string &command, const std::filesystem::path &out)
{
    const auto start = Clock::now();
    const int status = std::system(command.c_str());
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (status != 0)
        throw Error("the peer failed (exit status " + std::to_string(status) + "): " + command);
    return { seconds, wavFileInfo(out).durationSec() };
}

int benchRender(const std::string &midi, const std::string &soundFont, int rate, int repeat, bool withPeer)
{
    RenderOptions options;
    options.soundFont = findSoundFont(soundFont);
    options.sampleRateHz = rate;
    options.bitsPerSample = 16; // the peer's default sample format
    const std::filesystem::path dir = std::filesystem::temp_directory_path();
    const std::string stem = "continuo-bench-render-" + std::to_string(::getpid());
    const std::filesystem::path ours = dir / (stem + ".wav"), theirs = dir / (stem + "-peer.wav");
    const std::string peerCommand = "fluidsynth -ni -q -F " + shellQuote(theirs.string()) + " -r "
                                  + std::to_string(rate) + " " + shellQuote(options.soundFont.string()) + " "
                                  + shellQuote(midi) + " >/dev/null 2>&1";
    RenderPass best, peerBest;
    // Alternating passes, so that both see the same machine load and page cache.
    for (int i = 0; i < repeat; ++i) {
        const RenderPass pass = renderOnce(midi, options, ours);
        if (i == 0 || pass.seconds < best.seconds)
            best = pass;
        if (withPeer) {
            const RenderPass peerPass = peerRenderOnce(peerCommand, theirs);
            if (i == 0 || peerPass.seconds < peerBest.seconds)
                peerBest = peerPass;
        }
    }
    std::error_code ec;
    std::filesystem::remove(ours, ec);
    std::filesystem::remove(theirs, ec);
    const double factor = best.audioSec / best.seconds;
    json out = { { "bench", "render" },
                 { "file", midi },
                 { "score_s", readScoreFile(midi).durationSec() },
                 { "soundfont", options.soundFont.string() },
                 { "sample_rate", rate },
                 { "bits", options.bitsPerSample },
                 { "reverb_chorus", true },
                 { "repeat", repeat },
                 { "audio_s", best.audioSec },
                 { "seconds", best.seconds },
                 { "realtime_factor", factor },
                 { "work", "read MIDI + load SoundFont + render + write WAV (best of repeat)" } };
    if (withPeer) {
        const double peerFactor = peerBest.audioSec / peerBest.seconds;
        out["peer"] = { { "command", peerCommand },
                        { "audio_s", peerBest.audioSec },
                        { "seconds", peerBest.seconds } };
        out["peer_realtime_factor"] = peerFactor;
        out["speedup_vs_peer"] = factor / peerFactor;
    }
    std::cout << out.dump(2) << "\n";
    return 0;
}

void addShapeOptions(CLI::App &command, NetShape &shape)
{
    command.add_option("--arch", shape.arch, "lstm or transformer")
        ->capture_default_str()
        ->check(CLI::IsMember({ "lstm", "transformer" }));
    command.add_option("--vocab", shape.vocab, "Vocabulary size")->capture_default_str();
    command.add_option("--embed", shape.embed, "Embedding size (transformer: its width)")
        ->capture_default_str();
    command.add_option("--hidden", shape.hidden, "LSTM hidden size")->capture_default_str();
    command.add_option("--layers", shape.layers, "Layers (LSTM: 1 to 4)")
        ->capture_default_str()
        ->check(CLI::Range(1, 24));
    command.add_option("--heads", shape.heads, "transformer: attention heads (they divide --embed)")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    command.add_option("--ff", shape.ff, "transformer: feed-forward width")->capture_default_str();
}

/// Plays (up to `seconds` of) a MIDI file to a port in real time and reports the send lateness.
int benchMidiOut(const std::string &midi, const MidiPortChoice &port, double seconds)
{
    const Score score = readScoreFile(midi);
    MidiPortPlayer player(port);
    player.setScore(score);
    player.play(0.0);
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (player.isPlaying() && Clock::now() < end)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    player.stop();
    const MidiTimingStats t = player.timingStats();
    json out = { { "bench", "midiout" },
                 { "file", midi },
                 { "api", player.api() },
                 { "port", player.portName() },
                 { "played_s", std::min(seconds, score.durationSec()) },
                 { "messages", t.messages },
                 { "late_mean_us", t.meanLateUs },
                 { "jitter_stddev_us", t.stddevLateUs },
                 { "late_p50_us", t.p50LateUs },
                 { "late_p99_us", t.p99LateUs },
                 { "late_max_us", t.maxLateUs },
                 { "work", "steady-clock send time minus due time of every message sent" } };
    std::cout << out.dump(2) << "\n";
    return 0;
}

} // namespace

void addBenchCommand(CLI::App &app, int &exitCode)
{
    auto *bench = app.add_subcommand("bench", "Measure the engine; prints JSON");
    bench->require_subcommand(1);

    auto *parse = bench->add_subcommand("parse", "Parse every MIDI file under a folder");
    auto folder = std::make_shared<std::string>();
    auto repeat = std::make_shared<int>(3);
    auto peer = std::make_shared<std::string>();
    parse->add_option("folder", *folder, "Folder of MIDI files")->required()->check(CLI::ExistingDirectory);
    parse->add_option("--repeat", *repeat, "Timed passes (after one warm-up)")->check(CLI::Range(1, 1000));
    parse->add_option("--peer", *peer, "Also run this peer script (mido_reference.py) in the same run");
    auto *train = bench->add_subcommand(
        "train", "Training throughput of the LSTM or Transformer (the peer's flags and defaults)");
    auto config = std::make_shared<TrainBenchConfig>();
    auto trainPeer = std::make_shared<std::string>();
    addShapeOptions(*train, config->shape);
    train->add_option("--batch", config->batch, "Batch size")->capture_default_str();
    train->add_option("--seq", config->seq, "Sequence length")->capture_default_str();
    train->add_option("--steps", config->steps, "Timed steps after one warm-up")->capture_default_str();
    train->add_option("--threads", config->threads, "LibTorch threads (0: its default)")
        ->capture_default_str();
    train->add_option("--device", config->device, "cpu or cuda")->capture_default_str();
    train
        ->add_option(
            "--precision", config->precision,
            "auto (mixed bfloat16 for the Transformer on CPUs with bfloat16 units), float32 or bfloat16")
        ->transform(namedValue(precisionFromName, "auto|float32|bfloat16"));
    train->add_option("--peer", *trainPeer, "Also run this peer script (torch_reference.py) in the same run");
    train->callback(
        [=, &exitCode] { exitCode = runReportingErrors([&] { return benchTrain(*config, *trainPeer); }); });

    auto *generate = bench->add_subcommand(
        "generate", "Sampling latency, one event at a time at batch 1 (the peer's flags and defaults)");
    auto generateConfig = std::make_shared<GenerateBenchConfig>();
    auto generatePeer = std::make_shared<std::string>();
    addShapeOptions(*generate, generateConfig->shape);
    generate->add_option("--gen", generateConfig->gen, "Tokens to sample after 10 warm-up steps")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    generate->add_option("--threads", generateConfig->threads, "LibTorch threads (0: its default)")
        ->capture_default_str();
    generate->add_option("--peer", *generatePeer,
                         "Also run this peer script (torch_reference.py) in the same run");
    generate->callback([=, &exitCode] {
        exitCode = runReportingErrors([&] { return benchGenerate(*generateConfig, *generatePeer); });
    });

    auto *render = bench->add_subcommand(
        "render", "WAV render speed (real-time factor) beside FluidSynth's own renderer, in the same run");
    auto renderIn = std::make_shared<std::string>();
    auto renderFont = std::make_shared<std::string>();
    auto renderRate = std::make_shared<int>(44100);
    auto renderRepeat = std::make_shared<int>(3);
    auto noPeer = std::make_shared<bool>(false);
    render->add_option("in", *renderIn, "MIDI file")->required()->check(CLI::ExistingFile);
    render->add_option("--soundfont", *renderFont, "SoundFont (default: the one `render` finds)");
    render->add_option("--rate", *renderRate, "Sample rate in Hz")
        ->capture_default_str()
        ->check(CLI::IsMember({ 44100, 48000 }));
    render->add_option("--repeat", *renderRepeat, "Timed passes of each; the best is reported")
        ->capture_default_str()
        ->check(CLI::Range(1, 100));
    render->add_flag("--no-peer", *noPeer, "Do not run `fluidsynth -F` beside it");
    render->callback([=, &exitCode] {
        exitCode = runReportingErrors(
            [&] { return benchRender(*renderIn, *renderFont, *renderRate, *renderRepeat, !*noPeer); });
    });

    auto *midiOut = bench->add_subcommand("midiout", "Timing of MIDI output to a port: lateness and jitter");
    auto midiOutIn = std::make_shared<std::string>();
    auto midiOutPort = std::make_shared<MidiPortChoice>();
    auto midiOutSeconds = std::make_shared<double>(10.0);
    midiOut->add_option("in", *midiOutIn, "MIDI file")->required()->check(CLI::ExistingFile);
    midiOut->add_option("--port", midiOutPort->port, "MIDI output port (see `ports`)")->required();
    midiOut->add_option("--api", midiOutPort->api, "alsa or jack (default: the first that has the port)");
    midiOut->add_option("--seconds", *midiOutSeconds, "Play at most this long")->capture_default_str();
    midiOut->callback([=, &exitCode] {
        exitCode =
            runReportingErrors([&] { return benchMidiOut(*midiOutIn, *midiOutPort, *midiOutSeconds); });
    });

    parse->callback([=, &exitCode] {
        exitCode = runReportingErrors([&] { return benchParse(*folder, *repeat, *peer); });
    });

    addBenchContinuationCommand(*bench, exitCode);
    addBenchFillCommand(*bench, exitCode);
}

} // namespace continuo::cli
