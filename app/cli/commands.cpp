// SPDX-License-Identifier: GPL-3.0-or-later
// What continuo-cli's commands share: the error boundary, the cache and instrument options.
#include "cli/commands.h"

#include "core/error.h"
#include "core/paths.h"
#include "generate/seed.h"
#include "score/playback.h"
#include "score/smfconvert.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

namespace continuo::cli {

int runReportingErrors(const std::function<int()> &body)
{
    try {
        return body();
    } catch (const Error &error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
}

std::filesystem::path CacheOptions::folder() const
{
    if (off)
        return {};
    return dir.empty() ? defaultTokenCacheDir() : std::filesystem::path(dir);
}

void addCacheOptions(CLI::App &command, CacheOptions &options)
{
    command.add_option("--cache", options.dir,
                       "Folder for the encoded corpus files (default: " + defaultTokenCacheDir().string()
                           + ")");
    command.add_flag("--no-cache", options.off, "Encode every file again and cache nothing");
}

void addSplitOption(CLI::App &command, std::string &split)
{
    command
        .add_option("--split", split,
                    "all: every file of --corpus; validation: the files the model was validated on (its "
                    "training corpus)")
        ->capture_default_str()
        ->check(CLI::IsMember({ "all", "validation" }));
}

EvaluationSplit evaluationSplit(const std::string &split)
{
    return split == "validation" ? EvaluationSplit::Validation : EvaluationSplit::All;
}

void addScoreRangeOptions(CLI::App &command, ScoreRangeOptions &options, CLI::Option *source)
{
    command
        .add_option("--from", options.from, "First bar (or beat, or second) of the range; default: the start")
        ->needs(source)
        ->check(CLI::PositiveNumber);
    command
        .add_option("--to", options.to,
                    "Last bar (or beat) of the range, or its end in seconds; default: the end")
        ->needs(source)
        ->check(CLI::PositiveNumber);
    command.add_option("--range-unit", options.unit, "What --from and --to count")
        ->capture_default_str()
        ->check(CLI::IsMember({ "bars", "beats", "seconds" }));
}

std::pair<std::int64_t, std::int64_t> tickRange(const Score &score, const ScoreRangeOptions &options,
                                                std::string *where)
{
    static const std::map<std::string, TimeUnit> units = { { "bars", TimeUnit::Bars },
                                                           { "beats", TimeUnit::Beats },
                                                           { "seconds", TimeUnit::Seconds } };
    const TimeUnit unit = units.at(options.unit);
    const std::int64_t start = options.from > 0 ? tickAt(score, options.from, unit) : 0;
    // --to names the last bar or beat included; seconds are an end time.
    const double end = unit == TimeUnit::Seconds ? options.to : options.to + 1;
    const std::int64_t endTick = options.to > 0 ? tickAt(score, end, unit) : score.endTick;
    if (where) {
        const auto number = [](double value) {
            char text[32];
            std::snprintf(text, sizeof text, "%g", value);
            return std::string(text);
        };
        *where = options.from > 0 || options.to > 0
                   ? options.unit + " " + (options.from > 0 ? number(options.from) : "start") + " to "
                         + (options.to > 0 ? number(options.to) : "end")
                   : "whole file";
    }
    return { start, endTick };
}

Score scoreRange(const Score &score, const ScoreRangeOptions &options, std::string *where)
{
    const auto [start, end] = tickRange(score, options, where);
    return seedFromRange(score, start, end);
}

std::filesystem::path variationPath(const std::filesystem::path &out, int index, int count)
{
    if (count == 1)
        return out;
    std::filesystem::path path = out;
    path.replace_filename(out.stem().string() + "-" + std::to_string(index + 1) + out.extension().string());
    return path;
}

void saveVariations(
    const Generation &generation, const std::filesystem::path &out,
    const std::function<void(const Score &variation, const std::filesystem::path &file)> &written)
{
    const int count = int(generation.variations.size());
    for (int v = 0; v < count; ++v) {
        const std::filesystem::path path = variationPath(out, v, count);
        saveScoreFile(generation.variations[std::size_t(v)], path);
        written(generation.variations[std::size_t(v)], path);
    }
}

void addFillCandidatesOption(CLI::App &command, SamplingOptions &options)
{
    command
        .add_option("--candidates", options.settings.fillCandidates,
                    "1..4: fills drawn for each variation; the one that leads best into the notes after "
                    "the span is kept")
        ->capture_default_str();
}

GenerationSettings SamplingOptions::resolved() const
{
    GenerationSettings resolved = settings;
    if (!blend.empty())
        resolved.blendModelName = std::filesystem::path(blend).filename().string();
    if (!key.empty())
        resolved.constraints.setScale(key);
    if (!range.empty())
        resolved.constraints.setRange(range);
    return resolved;
}

void addSamplingOptions(CLI::App &command, SamplingOptions &options)
{
    GenerationSettings &s = options.settings;
    command.add_option("--temperature", s.sampling.temperature, "Diversity: lower is safer")
        ->capture_default_str();
    command.add_option("--top-k", s.sampling.topK, "Draw only among the k likeliest (0: off)")
        ->capture_default_str();
    command
        .add_option("--top-p", s.sampling.topP, "Draw only among the likeliest with this much probability")
        ->capture_default_str();
    command
        .add_option("--repetition-penalty", s.repetitionPenalty,
                    "Divide recently played pitches' probability")
        ->capture_default_str();
    command
        .add_option("--no-repeat-ngram", s.noRepeatNgram, "Never repeat a run of this many pitches (0: off)")
        ->capture_default_str();
    command
        .add_option("--stay-close", s.stayClose,
                    "0..1: mix in what followed the same passage earlier in the piece (0: off)")
        ->capture_default_str();
    command
        .add_option("--follow-seed", s.followSeed,
                    "0..4: how much more the whole seed counts than the latest notes (Transformer models; "
                    "0: off)")
        ->capture_default_str();
    command
        .add_option("--hold-register", s.holdRegister,
                    "0..4: how firmly notes keep the seed's register, its range and centre (compound models; "
                    "0: off)")
        ->capture_default_str();
    command
        .add_option("--hold-key", s.holdKey,
                    "0..4: how firmly the notes keep the seed's pitch classes, each as often as the seed "
                    "plays it (compound models; 0: off)")
        ->capture_default_str();
    command
        .add_option("--hold-rhythm", s.holdRhythm,
                    "0..4: how firmly the notes keep the seed's rhythm, its steps and notes per beat "
                    "(compound models; 0: off)")
        ->capture_default_str();
    command.add_option("--blend", options.blend, "A second model to sample together with the first")
        ->check(CLI::ExistingFile);
    command
        .add_option("--blend-weight", s.blendWeight,
                    "0..1: the second model's share of the blended heads (a geometric mixture)")
        ->capture_default_str();
    command.add_option("--blend-heads", s.blendHeads, "Which heads to blend: all, pitch or timing")
        ->transform(namedValue(blendHeadsFromName, "all|pitch|timing"));
    command.add_option("--variations", s.variations, "Variations, sampled together")->capture_default_str();
    command.add_option("--rng", s.rngSeed, "Random seed: the same one gives the same notes")
        ->capture_default_str();
    command.add_option("--key", options.key,
                       "Only notes of this scale: \"D minor\", \"A dorian\", \"C D E G A\", ...");
    command.add_option("--range", options.range,
                       "Only notes in this range, such as C3-C6 (C4 = middle C = 60)");
    command
        .add_option("--max-poly", s.constraints.maxPolyphony, "At most this many notes at once (0: no limit)")
        ->capture_default_str();
    command
        .add_option("--max-note-seconds", s.constraints.maxNoteSeconds,
                    "Performance models: the longest a note may last")
        ->capture_default_str();
}

PlaybackOptions partPrograms(const std::vector<std::string> &values)
{
    PlaybackOptions options;
    for (const std::string &value : values) {
        const std::size_t equals = value.find('=');
        int part = -1, program = -1;
        try {
            part = std::stoi(value.substr(0, equals));
            program = equals == std::string::npos ? -1 : std::stoi(value.substr(equals + 1));
        } catch (const std::exception &) {
            part = -1;
        }
        if (part < 0 || part > 1000 || program < 0 || program > 127)
            throw Error("--program wants PART=PROGRAM, a part index and a General MIDI program 0..127, not \""
                        + value + "\".");
        if (options.partPrograms.size() <= std::size_t(part))
            options.partPrograms.resize(std::size_t(part) + 1, -1);
        options.partPrograms[std::size_t(part)] = program;
    }
    return options;
}

} // namespace continuo::cli
