// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli fill`: write a span of a MIDI file anew, from what comes before and after it.
#include "cli/commands.h"
#include "cli/terminalprogress.h"

#include "core/error.h"
#include "core/resources.h"
#include "generate/fill.h"
#include "generate/pitchconstraints.h"
#include "nn/model.h"
#include "score/smfconvert.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace continuo::cli {

namespace {

namespace fs = std::filesystem;

struct FillCommandOptions
{
    std::string in;
    std::string model;
    ScoreRangeOptions range;
    std::string keep = "nothing";
    SamplingOptions sampling;
    std::string out;
    bool asJson = false;
};

/// The new notes of a fill: how many, and their lowest and highest.
nlohmann::json fillJson(const Score &score, const fs::path &file)
{
    const int fillPart = int(score.parts.size()) - 1;
    int notes = 0, lowest = 127, highest = 0;
    for (const Note &note : score.notes)
        if (note.part == fillPart) {
            ++notes;
            lowest = std::min(lowest, note.pitch);
            highest = std::max(highest, note.pitch);
        }
    nlohmann::json json = { { "file", file.string() }, { "notes", notes } };
    if (notes > 0) {
        json["lowest"] = noteName(lowest);
        json["highest"] = noteName(highest);
    }
    return json;
}

int runFill(const FillCommandOptions &o)
{
    const GenerationSettings settings = o.sampling.resolved();
    const fs::path modelPath = o.model.empty() ? defaultFillModelPath() : fs::path(o.model);
    const Score score = readScoreFile(o.in);
    FillRequest request;
    std::string where;
    std::tie(request.startTick, request.endTick) = tickRange(score, o.range, &where);
    request.keep = KeepChoice::parse(o.keep);
    Model model = Model::load(modelPath);
    std::optional<Model> blend;
    if (!o.sampling.blend.empty())
        blend = Model::load(o.sampling.blend);
    TerminalProgress progress;
    const std::optional<Generation> generation = runJob<Generation>(progress, [&](JobContext &context) {
        return fillSpan(model, score, request, settings, context, {}, blend ? &*blend : nullptr);
    });
    if (!generation) {
        std::cerr << "cancelled; nothing was written\n";
        return 130;
    }
    nlohmann::json variations = nlohmann::json::array();
    saveVariations(*generation, o.out, [&](const Score &variation, const fs::path &file) {
        variations.push_back(fillJson(variation, file));
    });
    if (o.asJson) {
        std::cout << nlohmann::json {
            { "model", modelPath.string() },
            { "file", o.in },
            { "span",
              { { "range", where }, { "start_tick", request.startTick }, { "end_tick", request.endTick } } },
            { "keep", request.keep.describe() },
            { "settings", generation->settingsText },
            { "steps", generation->steps },
            { "generation_s", generation->seconds },
            { "variations", variations }
        }.dump(2) << "\n";
    } else {
        for (const nlohmann::json &v : variations)
            std::fprintf(stderr, "wrote %s: %d new notes in %s\n", v["file"].get<std::string>().c_str(),
                         v["notes"].get<int>(), where.c_str());
        std::fprintf(stderr, "%lld steps in %.3f s\n", static_cast<long long>(generation->steps),
                     generation->seconds);
    }
    return 0;
}

} // namespace

void addFillCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand(
        "fill", "Write a span of a MIDI file anew from what comes before and after it (a compound model)");
    auto o = std::make_shared<FillCommandOptions>();
    auto *in = cmd->add_option("in", o->in, "MIDI file")->required()->check(CLI::ExistingFile);
    cmd->add_option(
           "--model", o->model,
           "Model checkpoint (.ckpt); default: the bundled model taught to fill gaps (fill-compound)")
        ->check(CLI::ExistingFile);
    addScoreRangeOptions(*cmd, o->range, in);
    cmd->get_option("--from")->required();
    cmd->get_option("--to")->required();
    cmd->add_option("--keep", o->keep,
                    "What stays in the span: nothing, above:C4, below:C4, track:N (from 1) or top-voice")
        ->capture_default_str();
    addSamplingOptions(*cmd, o->sampling);
    addFillCandidatesOption(*cmd, o->sampling);
    cmd->add_option("--out", o->out, "MIDI file to write (through a temporary file)")->required();
    cmd->add_flag("--json", o->asJson, "Print a summary as JSON on standard output");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runFill(*o); }); });
}

} // namespace continuo::cli
