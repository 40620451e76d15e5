// SPDX-License-Identifier: GPL-3.0-or-later
// The subcommands of continuo-cli: each registers itself on the CLI11 app and runs when chosen.
#pragma once

#include "generate/generator.h"
#include "train/evaluation.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace continuo {
struct PlaybackOptions;
struct Score;
struct CorpusScan;
class MemorizationIndex;
} // namespace continuo

namespace continuo::cli {

/// Runs a command body and returns its exit status; a continuo::Error becomes "error: <sentence>"
/// on standard error and exit status 1.
int runReportingErrors(const std::function<int()> &body);

/// The --cache DIR / --no-cache options of commands that encode a corpus.
struct CacheOptions
{
    std::string dir; ///< empty: the default (defaultTokenCacheDir)
    bool off = false;
    std::filesystem::path folder() const; ///< where to cache, or empty for no cache
};
void addCacheOptions(CLI::App &command, CacheOptions &options);

/// The --split option of commands that read a model's corpus: "all" or "validation".
void addSplitOption(CLI::App &command, std::string &split);
EvaluationSplit evaluationSplit(const std::string &split);

/// A range of a score from the command line: --from, --to and --range-unit.
struct ScoreRangeOptions
{
    double from = 0; ///< first bar or beat (from 1), or start in seconds; 0: the start
    double to = 0; ///< last bar or beat included, or end in seconds; 0: the end
    std::string unit = "bars"; ///< bars, beats or seconds
};
/// Adds --from, --to (each needing `source`, the option naming the file) and --range-unit.
void addScoreRangeOptions(CLI::App &command, ScoreRangeOptions &options, CLI::Option *source);
/// The range in `score`'s ticks, [first, second); `where` gets it in words.
std::pair<std::int64_t, std::int64_t> tickRange(const Score &score, const ScoreRangeOptions &options,
                                                std::string *where = nullptr);
/// The part of `score` in the range, moved to start at 0 (seedFromRange); `where` gets it in words.
/// @throws GenerationError for an empty range or one without notes.
Score scoreRange(const Score &score, const ScoreRangeOptions &options, std::string *where = nullptr);
/// OUT.mid for one variation; OUT-1.mid, OUT-2.mid, ... for several.
std::filesystem::path variationPath(const std::filesystem::path &out, int index, int count);
/// Writes every variation of `generation` to its variationPath, calling `written` after each.
void saveVariations(
    const Generation &generation, const std::filesystem::path &out,
    const std::function<void(const Score &variation, const std::filesystem::path &file)> &written);

/// The sampling and constraint flags of `generate`: --temperature, --top-k, --top-p,
/// --repetition-penalty, --no-repeat-ngram, --stay-close, --blend, --blend-weight, --blend-heads,
/// --variations, --rng, --key, --range, --max-poly and
/// --max-note-seconds.
struct SamplingOptions
{
    GenerationSettings settings;
    std::string key; ///< a scale, as PitchConstraints::setScale reads it; empty: any
    std::string range; ///< a pitch range such as C3-C6; empty: any
    std::string blend; ///< a second model to blend with; empty: none
    /// The settings with the key and range applied. @throws GenerationError for a bad scale or range.
    GenerationSettings resolved() const;
};
void addSamplingOptions(CLI::App &command, SamplingOptions &options);
/// --candidates: fills drawn for each variation (GenerationSettings::fillCandidates).
void addFillCandidatesOption(CLI::App &command, SamplingOptions &options);

/// Reads an enumeration's name ("notes", "adam") into its value with `fromName`; a name it does
/// not know is refused with the engine's sentence.
template <typename Enum>
CLI::Validator namedValue(Enum (*fromName)(const std::string &), const std::string &names)
{
    return CLI::Validator(
        [fromName](std::string &value) {
            try {
                value = std::to_string(int(fromName(value)));
                return std::string();
            } catch (const std::exception &error) {
                return std::string(error.what());
            }
        },
        names);
}

/// Instruments per part from `--program PART=PROGRAM` values (General MIDI program 0..127).
/// @throws Error for a malformed value.
PlaybackOptions partPrograms(const std::vector<std::string> &values);

/// `inspect FILE... [--json]`
void addInspectCommand(CLI::App &app, int &exitCode);
/// `bench parse DIR ...`, `bench train ...`, `bench generate ...`, `bench render IN.mid ...`, `bench midiout
/// ...`, `bench continuation ...`
void addBenchCommand(CLI::App &app, int &exitCode);
/// `bench continuation --model M --corpus DIR [--split --files --at --window ...]`, under `bench`
void addBenchContinuationCommand(CLI::App &bench, int &exitCode);
/// `bench fill`, under `bench`.
void addBenchFillCommand(CLI::App &bench, int &exitCode);
/// `train --corpus DIR --out FILE [--repr --preset --epochs ...]`
void addTrainCommand(CLI::App &app, int &exitCode);
/// `eval --model FILE --corpus DIR [--json]`, or `eval --generated FILE.mid [--seed --model --index
/// --corpus --threshold --json]`
void addEvalCommand(CLI::App &app, int &exitCode);
/// `generate [--model FILE] (--seed-file MIDI [--from --to] | --seed-random DIR) --out OUT.mid ...`
void addGenerateCommand(CLI::App &app, int &exitCode);
/// `fill`: regenerate a span of a MIDI file.
void addFillCommand(CLI::App &app, int &exitCode);
/// `excerpt IN.mid --from BAR --to BAR --out OUT.mid`
void addExcerptCommand(CLI::App &app, int &exitCode);
/// `index --model FILE --corpus DIR [--out FILE.memo --all]`
void addIndexCommand(CLI::App &app, int &exitCode);

/// The memorization index of some usable files of a scan made without an encoding (it keeps the
/// scores); `usableFiles` are indices among the usable files, names relative to the scan's folder.
/// @throws Error if an index is out of range.
MemorizationIndex indexOfScan(const CorpusScan &scan, const std::vector<std::size_t> &usableFiles);
/// `render IN.mid --out OUT.wav [--soundfont --rate --bits --tail --program]`
void addRenderCommand(CLI::App &app, int &exitCode);
/// `play IN.mid [--port NAME --api --soundfont --driver --from --loop --program]`
void addPlayCommand(CLI::App &app, int &exitCode);
/// `ports [--json]`: MIDI output and input ports of every API
void addPortsCommand(CLI::App &app, int &exitCode);
/// `info [--json]`: versions and compute device
void addInfoCommand(CLI::App &app, int &exitCode);

} // namespace continuo::cli
