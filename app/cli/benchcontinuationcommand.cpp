// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli bench continuation`: a model's continuations of real seeds against the real next seconds.
#include "cli/commands.h"
#include "cli/statisticsjson.h"
#include "cli/terminalprogress.h"

#include "core/error.h"
#include "core/resources.h"
#include "train/continuationbench.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {

namespace {

using nlohmann::json;

struct BenchContinuationOptions
{
    std::string model;
    std::string corpus;
    std::string split = "all";
    int files = 0;
    double atSec = 10.0;
    bool humanize = false;
    int copyThreshold = 16;
    double windowSec = 8.0;
    SamplingOptions sampling;
    CacheOptions cache;
    bool asJson = false;
};

/// Nats per note of each head, by the head's name; null when they are left out (a blend).
json natsByHeadJson(Representation representation, const std::vector<double> &byHead)
{
    if (byHead.empty())
        return nullptr;
    const std::vector<std::string> names = headNames(representation);
    json byName = json::object();
    for (std::size_t h = 0; h < byHead.size() && h < names.size(); ++h)
        byName[names[h]] = byHead[h];
    return byName;
}

json resultJson(const BenchContinuationOptions &o, const std::string &model, const ContinuationBenchResult &r)
{
    json files = json::array();
    for (const ContinuationBenchFile &f : r.files)
        files.push_back({ { "file", f.file },
                          { "seed_notes", f.seedNotes },
                          { "truth_notes", f.truthNotes },
                          { "model", continuationFiguresJson(f.model) },
                          { "repeat", continuationFiguresJson(f.repeat) },
                          { "other", continuationFiguresJson(f.other) },
                          { "truth_loop", f.truthLoop },
                          { "nats_per_note", f.natsPerNote },
                          { "network_nats_per_note", f.networkNatsPerNote },
                          { "generation_s", f.generationSec } });
    return { { "benchmark", "continuation" },
             { "model", model },
             { "representation", representationName(r.representation) },
             { "corpus", o.corpus },
             { "split", o.split },
             { "at_s", o.atSec },
             { "humanized", o.humanize },
             { "window_s", o.windowSec },
             { "settings", o.sampling.resolved().describe(r.representation) },
             { "files_used", r.files.size() },
             { "files_skipped", r.skipped.size() },
             { "skipped", r.skipped },
             { "model_figures", continuationFiguresJson(r.model) },
             { "repeat", continuationFiguresJson(r.repeat) },
             { "other", continuationFiguresJson(r.other) },
             { "truth_loop", r.truthLoop },
             { "nats_per_note", r.natsPerNote },
             { "network_nats_per_note", r.networkNatsPerNote },
             { "nats_per_note_by_head", natsByHeadJson(r.representation, r.natsPerNoteByHead) },
             { "statistics",
               { { "continuations", histogramsJson(r.continuationStatistics) },
                 { "truth", histogramsJson(r.truthStatistics) },
                 { "continuations_to_truth",
                   distancesJson(statisticsDistances(r.continuationStatistics, r.truthStatistics)) } } },
             { "seconds_per_continuation", r.secondsPerContinuation },
             { "seconds_per_seed", r.secondsPerFile },
             { "memorization", r.memorizationChecked
                                   ? json { { "longest_copy_distinct_notes", r.longestCopy },
                                            { "file", r.longestCopyFile },
                                            { "bar", r.longestCopyBar },
                                            { "threshold", o.copyThreshold },
                                            { "continuations_over_threshold", r.copies } }
                                   : json(nullptr) },
             { "files", files } };
}

void printRow(const char *name, const ContinuationFigures &f)
{
    std::printf("| %-14s | %13.2f | %+6.2f | %7.2f | %8.1f | %5.1f | %6.2f | %4.2f |\n", name, f.pitchContent,
                f.key, f.density, f.registerMean, f.registerSpan, f.rhythm, f.loop);
}

void printTable(const ContinuationBenchResult &r, int threshold)
{
    std::printf("| %-14s | pitch content | key    | density | register | span  | rhythm | loop |\n", "");
    std::printf("| -------------- | ------------- | ------ | ------- | -------- | ----- | ------ | ---- |\n");
    printRow("model", r.model);
    printRow("repeat seed", r.repeat);
    printRow("another file", r.other);
    std::printf("\ntruth's own loop %.2f; NLL of the truth %.3f nats per note as it generates (the network "
                "alone %.3f)\n",
                r.truthLoop, r.natsPerNote, r.networkNatsPerNote);
    std::printf(
        "%zu files used, %zu skipped; %.3f s per continuation (%.3f s per seed, variations together)\n",
        r.files.size(), r.skipped.size(), r.secondsPerContinuation, r.secondsPerFile);
    if (r.memorizationChecked)
        std::printf(
            "memorization: %d continuation(s) copy more than %d distinct notes of a training file; the "
            "longest copy %zu (%s, bar %d)\n",
            r.copies, threshold, r.longestCopy,
            r.longestCopyFile.empty() ? "none" : r.longestCopyFile.c_str(), r.longestCopyBar);
}

int runBenchContinuation(const BenchContinuationOptions &o)
{
    ContinuationBenchOptions options;
    options.model = o.model.empty() ? defaultModelPath() : std::filesystem::path(o.model);
    options.corpus = o.corpus;
    options.split = evaluationSplit(o.split);
    options.files = o.files;
    options.atSec = o.atSec;
    options.humanize = o.humanize;
    options.copyThreshold = o.copyThreshold;
    options.windowSec = o.windowSec;
    options.settings = o.sampling.resolved();
    options.settings.modelName = options.model.filename().string();
    options.blend = o.sampling.blend;
    options.cacheDir = o.cache.folder();
    TerminalProgress progress;
    const std::optional<ContinuationBenchResult> result = runJob<ContinuationBenchResult>(
        progress, [&](JobContext &context) { return benchContinuation(options, context); });
    if (!result) {
        std::cerr << "cancelled\n";
        return 130;
    }
    if (o.asJson)
        std::cout << resultJson(o, options.model.string(), *result).dump(2) << "\n";
    else
        printTable(*result, o.copyThreshold);
    return 0;
}

} // namespace

void addBenchContinuationCommand(CLI::App &bench, int &exitCode)
{
    auto *cmd = bench.add_subcommand(
        "continuation", "Continue real seeds and compare with what really follows, beside two baselines");
    auto o = std::make_shared<BenchContinuationOptions>();
    o->sampling.settings.variations = 4;
    o->sampling.settings.rngSeed = 7;
    cmd->add_option("--model", o->model, "Model checkpoint (.ckpt); default: the bundled default model")
        ->check(CLI::ExistingFile);
    cmd->add_option("--corpus", o->corpus, "Folder of MIDI files to take seeds from")
        ->required()
        ->check(CLI::ExistingDirectory);
    addSplitOption(*cmd, o->split);
    cmd->add_option("--files", o->files, "Use this many files, evenly spaced in path order (0: all)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--at", o->atSec, "Where each seed starts, in seconds")->capture_default_str();
    cmd->add_option("--window", o->windowSec, "Seconds of seed, and of continuation")->capture_default_str();
    cmd->add_flag(
        "--humanize", o->humanize,
        "Play each seed as a person would first: onsets within 25 ms, a 4% slowing, varied velocities");
    addSamplingOptions(*cmd, o->sampling);
    addCacheOptions(*cmd, o->cache);
    cmd->add_flag("--json", o->asJson, "Print the figures, per file too, as JSON");
    cmd->callback(
        [o, &exitCode] { exitCode = runReportingErrors([&] { return runBenchContinuation(*o); }); });
}

} // namespace continuo::cli
