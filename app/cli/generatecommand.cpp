// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli generate`: continue a seed (a range of a MIDI file, or a random corpus window) with a model.
#include "cli/commands.h"
#include "cli/terminalprogress.h"

#include "core/error.h"
#include "core/resources.h"
#include "generate/generator.h"
#include "generate/seed.h"
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

struct GenerateCommandOptions
{
    std::string model;
    std::string seedFile;
    std::string seedCorpus;
    ScoreRangeOptions range;
    int seedBars = 4;
    double notes = 0, bars = 0, seconds = 0, events = 0;
    SamplingOptions sampling;
    std::string out;
    bool asJson = false;
};

struct Seed
{
    Score score;
    std::string source; ///< file the seed comes from
    std::string where; ///< the range in words
};

Seed loadSeed(const GenerateCommandOptions &o, TerminalProgress &progress)
{
    if (!o.seedCorpus.empty()) {
        const std::optional<CorpusSeed> picked = runJob<CorpusSeed>(progress, [&](JobContext &context) {
            return randomSeedFromCorpus(o.seedCorpus, o.seedBars, o.sampling.settings.rngSeed, context);
        });
        if (!picked)
            throw GenerationError("Looking for a seed was cancelled.");
        return { picked->seed, picked->file.string(),
                 "bars " + std::to_string(picked->firstBar) + "-"
                     + std::to_string(picked->firstBar + picked->bars - 1) };
    }
    std::string where;
    Score seed = scoreRange(readScoreFile(o.seedFile), o.range, &where);
    requireSeedDuration(seed, "The seed from " + o.seedFile);
    return { std::move(seed), o.seedFile, where };
}

nlohmann::json variationJson(const Score &score, const fs::path &file)
{
    int notes = 0, lowest = 127, highest = 0;
    double firstSec = 1e30, lastSec = 0;
    for (const Note &note : score.notes) {
        if (note.part != kContinuationPart)
            continue;
        ++notes;
        lowest = std::min(lowest, note.pitch);
        highest = std::max(highest, note.pitch);
        firstSec = std::min(firstSec, note.startSec);
        lastSec = std::max(lastSec, note.endSec);
    }
    nlohmann::json json = { { "file", file.string() }, { "notes", notes } };
    if (notes > 0) {
        json["lowest"] = noteName(lowest);
        json["highest"] = noteName(highest);
        json["seconds"] = lastSec - firstSec;
    }
    return json;
}

int runGenerate(GenerateCommandOptions o)
{
    GenerationSettings settings = o.sampling.resolved();
    if (o.bars > 0) {
        settings.length = o.bars;
        settings.unit = LengthUnit::Bars;
    } else if (o.seconds > 0) {
        settings.length = o.seconds;
        settings.unit = LengthUnit::Seconds;
    } else if (o.events > 0) {
        settings.length = o.events;
        settings.unit = LengthUnit::Events;
    } else if (o.notes > 0) {
        settings.length = o.notes;
    }
    settings.validate();

    const fs::path modelPath = o.model.empty() ? defaultModelPath() : fs::path(o.model);
    settings.modelName = modelPath.filename().string();
    Model model = Model::load(modelPath);
    std::optional<Model> blend;
    if (!o.sampling.blend.empty())
        blend = Model::load(o.sampling.blend);
    TerminalProgress progress;
    const Seed seed = loadSeed(o, progress);

    const std::optional<Generation> generation = runJob<Generation>(progress, [&](JobContext &context) {
        return generateContinuations(model, seed.score, settings, context, {}, blend ? &*blend : nullptr);
    });
    if (!generation) {
        std::cerr << "cancelled; nothing was written\n";
        return 130;
    }
    nlohmann::json variations = nlohmann::json::array();
    saveVariations(*generation, o.out, [&](const Score &variation, const fs::path &file) {
        variations.push_back(variationJson(variation, file));
    });
    const double msPerStep =
        generation->steps > 0 ? generation->seconds * 1000.0 / double(generation->steps) : 0.0;
    if (o.asJson) {
        std::cout << nlohmann::json {
            { "model", modelPath.string() },
            { "representation", representationName(model.spec().representation) },
            { "seed",
              { { "file", seed.source }, { "range", seed.where }, { "notes", seed.score.notes.size() } } },
            { "settings", generation->settingsText },
            { "steps", generation->steps },
            { "generation_s", generation->seconds },
            { "ms_per_step", msPerStep },
            { "variations", variations }
        }.dump(2) << "\n";
    } else {
        for (const nlohmann::json &v : variations)
            std::fprintf(stderr, "wrote %s: %d notes\n", v["file"].get<std::string>().c_str(),
                         v["notes"].get<int>());
        std::fprintf(stderr, "%lld steps in %.3f s (%.3f ms per step, %zu variation%s together)\n",
                     static_cast<long long>(generation->steps), generation->seconds, msPerStep,
                     generation->variations.size(), generation->variations.size() == 1 ? "" : "s");
    }
    return 0;
}

} // namespace

void addGenerateCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("generate", "Continue a seed with a model and write the result as MIDI");
    auto o = std::make_shared<GenerateCommandOptions>();
    cmd->add_option("--model", o->model, "Model checkpoint (.ckpt); default: the bundled default model")
        ->check(CLI::ExistingFile);
    auto *seedFile = cmd->add_option("--seed-file", o->seedFile, "MIDI file to take the seed from")
                         ->check(CLI::ExistingFile);
    auto *seedCorpus =
        cmd->add_option("--seed-random", o->seedCorpus,
                        "Pick a musically useful seed at random from this folder of MIDI files")
            ->check(CLI::ExistingDirectory);
    seedFile->excludes(seedCorpus);
    addScoreRangeOptions(*cmd, o->range, seedFile);
    cmd->add_option("--seed-bars", o->seedBars, "Bars of a random seed")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    auto *notes =
        cmd->add_option("--length", o->notes, "Notes to generate (default 64)")->check(CLI::PositiveNumber);
    auto *bars = cmd->add_option("--bars", o->bars, "Bars to generate")->check(CLI::PositiveNumber);
    auto *seconds =
        cmd->add_option("--seconds", o->seconds, "Seconds to generate")->check(CLI::PositiveNumber);
    auto *events =
        cmd->add_option("--events", o->events, "Model steps to generate")->check(CLI::PositiveNumber);
    notes->excludes(bars)->excludes(seconds)->excludes(events);
    bars->excludes(seconds)->excludes(events);
    seconds->excludes(events);
    addSamplingOptions(*cmd, o->sampling);
    cmd->add_option("--out", o->out, "MIDI file to write (through a temporary file)")->required();
    cmd->add_flag("--json", o->asJson, "Print a summary as JSON on standard output");
    cmd->callback([o, &exitCode] {
        if (o->seedFile.empty() && o->seedCorpus.empty()) {
            std::cerr << "error: give a seed with --seed-file MIDI or --seed-random CORPUS_DIR\n";
            exitCode = 2;
            return;
        }
        exitCode = runReportingErrors([&] { return runGenerate(*o); });
    });
}

} // namespace continuo::cli
