// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli bench fill`: a model's fills of real gaps against the real bars, beside two baselines.
#include "cli/commands.h"
#include "cli/statisticsjson.h"
#include "cli/terminalprogress.h"

#include "core/error.h"
#include "core/resources.h"
#include "train/fillbench.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {

namespace {

using nlohmann::json;

struct BenchFillOptions
{
    std::string model;
    std::string corpus;
    std::string split = "all";
    int files = 0;
    double atSec = 10.0;
    std::string keep = "nothing";
    SamplingOptions sampling;
    CacheOptions cache;
    bool asJson = false;
};

json withSeam(const ContinuationFigures &figures, double seam)
{
    json j = continuationFiguresJson(figures);
    j["seam_nats_per_note"] = seam;
    return j;
}

json candidateJson(const FillCandidateFigures &c) { return withSeam(c.figures, c.seamNatsPerNote); }

json resultJson(const BenchFillOptions &o, const std::string &model, const FillBenchResult &r)
{
    json files = json::array();
    for (const FillBenchFile &f : r.files)
        files.push_back({ { "file", f.file },
                          { "truth_notes", f.truthNotes },
                          { "next_bar_notes", f.nextBarNotes },
                          { "fill", candidateJson(f.fill) },
                          { "left_to_right", candidateJson(f.leftToRight) },
                          { "repeat", candidateJson(f.repeat) },
                          { "truth_seam_nats_per_note", f.truthSeamNatsPerNote },
                          { "fill_nats_per_note", f.fillNatsPerNote },
                          { "left_to_right_nats_per_note", figureJson(f.leftToRightNatsPerNote) },
                          { "fill_s", f.fillSec } });
    return { { "benchmark", "fill" },
             { "model", model },
             { "corpus", o.corpus },
             { "split", o.split },
             { "at_s", o.atSec },
             { "window_bars", 10 },
             { "gap_bars", 2 },
             { "keep", o.keep },
             { "settings", o.sampling.resolved().describe(Representation::Compound) },
             { "files_used", r.files.size() },
             { "files_skipped", r.skipped.size() },
             { "skipped", r.skipped },
             { "fill", withSeam(r.fill, r.fillSeam) },
             { "left_to_right", withSeam(r.leftToRight, r.leftToRightSeam) },
             { "repeat", withSeam(r.repeat, r.repeatSeam) },
             { "truth_seam_nats_per_note", r.truthSeam },
             { "fill_nats_per_note", r.fillNatsPerNote },
             { "left_to_right_nats_per_note", figureJson(r.leftToRightNatsPerNote) },
             { "seconds_per_fill", r.secondsPerFill },
             { "files", files } };
}

void printRow(const char *name, const ContinuationFigures &f, double seam)
{
    std::printf("| %-22s | %13.2f | %+6.2f | %7.2f | %8.1f | %5.1f | %6.2f | %4.2f | %6.3f |\n", name,
                f.pitchContent, f.key, f.density, f.registerMean, f.registerSpan, f.rhythm, f.loop, seam);
}

void printTable(const FillBenchResult &r)
{
    std::printf("| %-22s | pitch content | key    | density | register | span  | rhythm | loop | seam   |\n",
                "");
    std::printf("| ---------------------- | ------------- | ------ | ------- | -------- | ----- | ------ | "
                "---- | ------ |\n");
    printRow("fill", r.fill, r.fillSeam);
    printRow("left to right", r.leftToRight, r.leftToRightSeam);
    printRow("bars before, repeated", r.repeat, r.repeatSeam);
    std::printf(
        "\nseam: nats per note of the bar after the gap (%.3f with the real bars); NLL of the real bars "
        "%.3f nats per note as a fill, %.3f left to right\n",
        r.truthSeam, r.fillNatsPerNote, r.leftToRightNatsPerNote);
    std::printf("%zu files used, %zu skipped; %.3f s per fill (all variations together)\n", r.files.size(),
                r.skipped.size(), r.secondsPerFill);
}

int runBenchFill(const BenchFillOptions &o)
{
    FillBenchOptions options;
    options.model = o.model.empty() ? defaultFillModelPath() : std::filesystem::path(o.model);
    options.corpus = o.corpus;
    options.split = evaluationSplit(o.split);
    options.cacheDir = o.cache.folder();
    options.files = o.files;
    options.atSec = o.atSec;
    options.keep = KeepChoice::parse(o.keep);
    options.settings = o.sampling.resolved();
    options.settings.modelName = options.model.filename().string();
    TerminalProgress progress;
    const std::optional<FillBenchResult> result =
        runJob<FillBenchResult>(progress, [&](JobContext &context) { return benchFill(options, context); });
    if (!result) {
        std::cerr << "cancelled\n";
        return 130;
    }
    if (o.asJson)
        std::cout << resultJson(o, options.model.string(), *result).dump(2) << "\n";
    else
        printTable(*result);
    return 0;
}

} // namespace

void addBenchFillCommand(CLI::App &bench, int &exitCode)
{
    auto *cmd = bench.add_subcommand(
        "fill",
        "Blank two bars in the middle of ten and fill them; compare with the real bars, beside baselines");
    auto o = std::make_shared<BenchFillOptions>();
    o->sampling.settings.variations = 4;
    o->sampling.settings.rngSeed = 7;
    cmd->add_option(
           "--model", o->model,
           "Model checkpoint (.ckpt); default: the bundled model taught to fill gaps (fill-compound)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--corpus", o->corpus, "Folder of MIDI files")->required()->check(CLI::ExistingDirectory);
    addSplitOption(*cmd, o->split);
    cmd->add_option("--files", o->files, "Use this many files, evenly spaced in path order (0: all)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--at", o->atSec, "The window starts at the first bar line after this many seconds")
        ->capture_default_str();
    cmd->add_option(
           "--keep", o->keep,
           "What stays in the gap (nothing, above:C4, below:C4, track:N, top-voice); the figures are "
           "those of the regenerated notes")
        ->capture_default_str();
    addSamplingOptions(*cmd, o->sampling);
    addFillCandidatesOption(*cmd, o->sampling);
    addCacheOptions(*cmd, o->cache);
    cmd->add_flag("--json", o->asJson, "Print the figures, per file too, as JSON");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runBenchFill(*o); }); });
}

} // namespace continuo::cli
