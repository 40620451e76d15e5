// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli eval`: a model's loss, perplexity and accuracy per head on a folder of MIDI files.
#include "cli/commands.h"
#include "cli/terminalprogress.h"

#include "core/error.h"
#include "nn/model.h"
#include "train/trainer.h"
#include "train/trainingdata.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <numeric>

namespace continuo::cli {

namespace {

struct EvalCommandOptions
{
    std::string model;
    std::string corpus;
    int sequenceLength = 128;
    int batchSize = 32;
    std::string device = "auto";
    CacheOptions cache;
    bool asJson = false;
};

int runEval(const EvalCommandOptions &o)
{
    TerminalProgress progress;
    Model model = Model::load(o.model);
    TrainingDataOptions dataOptions;
    dataOptions.representation = model.spec().representation;
    dataOptions.fixedVocabulary = model.spec().vocabulary;
    dataOptions.cacheDir = o.cache.folder();
    const TrainingData data = prepareTrainingData(o.corpus, dataOptions, progress, 1);
    std::vector<std::size_t> files(data.corpus.sequences.size());
    std::iota(files.begin(), files.end(), 0);
    const EpochMetrics m =
        evaluateModel(model, data.corpus, files, o.sequenceLength, o.batchSize, o.device, progress);
    progress.finishLine();
    static const char *const kHeadNames[] = { "chord", "offset", "duration" };
    const auto headName = [&](std::size_t h) {
        return data.representation == "notes" ? std::string(kHeadNames[h]) : std::string("event");
    };
    if (o.asJson) {
        nlohmann::json heads = nlohmann::json::object();
        for (std::size_t h = 0; h < m.heads.size(); ++h)
            heads[headName(h)] = { { "top1", m.heads[h].top1 }, { "top5", m.heads[h].top5 } };
        std::cout << nlohmann::json {
            { "model", o.model },      { "corpus", o.corpus },  { "representation", data.representation },
            { "files", files.size() }, { "loss", m.validLoss }, { "perplexity", m.perplexity },
            { "accuracy", heads }
        }.dump(2) << "\n";
        return 0;
    }
    std::printf("%s on %zu file(s): loss %.4f nats per step, perplexity %.2f\n", o.model.c_str(),
                files.size(), m.validLoss, m.perplexity);
    for (std::size_t h = 0; h < m.heads.size(); ++h)
        std::printf("  %-8s top-1 %.1f%%, top-5 %.1f%%\n", headName(h).c_str(), 100 * m.heads[h].top1,
                    100 * m.heads[h].top5);
    return 0;
}

} // namespace

void addEvalCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("eval", "Evaluate a model on a folder of MIDI files");
    auto o = std::make_shared<EvalCommandOptions>();
    cmd->add_option("--model", o->model, "Model file (.ckpt)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--corpus", o->corpus, "Folder of MIDI files")->required()->check(CLI::ExistingDirectory);
    addCacheOptions(*cmd, o->cache);
    cmd->add_option("--seq", o->sequenceLength, "Steps per window")
        ->capture_default_str()
        ->check(CLI::Range(2, 100000));
    cmd->add_option("--batch", o->batchSize, "Windows per batch")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    cmd->add_option("--device", o->device, "auto, cpu or cuda")
        ->capture_default_str()
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    cmd->add_flag("--json", o->asJson, "Print JSON");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runEval(*o); }); });
}

} // namespace continuo::cli
