// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli train`: train a model on a folder of MIDI files, with a progress bar and checkpoints.
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

namespace continuo::cli {

namespace {

using nlohmann::json;

struct TrainCommandOptions
{
    std::string corpus;
    std::string out;
    std::string preset = "small";
    TrainingDataOptions data;
    TrainOptions train;
    bool asJson = false;
};

json epochJson(const EpochMetrics &m)
{
    json heads = json::array();
    for (const HeadAccuracy &h : m.heads)
        heads.push_back({ { "top1", h.top1 }, { "top5", h.top5 } });
    return { { "epoch", m.epoch },          { "train_loss", m.trainLoss },
             { "valid_loss", m.validLoss }, { "perplexity", m.perplexity },
             { "accuracy", heads },         { "tokens_per_s", m.tokensPerSec },
             { "seconds", m.seconds },      { "learning_rate", m.learningRate },
             { "best", m.isBest } };
}

json trainingJson(const TrainCommandOptions &o)
{
    return { { "corpus", o.corpus },
             { "preset", o.preset },
             { "representation", o.data.representation },
             { "epochs", o.train.epochs },
             { "batch", o.train.batchSize },
             { "seq", o.train.sequenceLength },
             { "lr", o.train.learningRate },
             { "optimizer", o.train.optimizer },
             { "clip", o.train.gradientClip },
             { "lr_decay", o.train.learningRateDecay },
             { "patience", o.train.patience },
             { "transpose", o.train.maxTranspose },
             { "validation", o.data.validationFraction },
             { "seed", o.train.seed },
             { "min_chord_count", o.data.minChordCount } };
}

std::filesystem::path lastCheckpointPath(const std::filesystem::path &best)
{
    std::filesystem::path last = best;
    last.replace_extension(".last.ckpt");
    return last;
}

int runTrain(TrainCommandOptions o)
{
    TerminalProgress progress;
    o.data.seed = o.train.seed;
    o.data.maxTranspose = o.train.maxTranspose;
    const TrainingData data = prepareTrainingData(o.corpus, o.data, progress);
    progress.finishLine();
    std::cerr << data.scan.files.size() << " MIDI file(s), " << data.scan.usableCount() << " usable; "
              << data.split.train.size() << " for training, " << data.split.validation.size()
              << " for validation\n";
    for (const CorpusFile &file : data.scan.files)
        if (file.status != CorpusFileStatus::Usable)
            std::cerr << "  skipped (" << corpusFileStatusText(file.status) << "): " << file.problem << "\n";
    if (o.data.representation == "notes")
        std::cerr << "chord vocabulary: " << data.vocabulary.size() << " pitch sets; "
                  << data.notesStats.unknownNotes << " note(s) fall outside it\n";

    ModelSpec spec = ModelSpec::preset(o.preset, o.data.representation, data.headSizes);
    spec.vocabulary = data.vocabulary;
    Model model(spec, o.train.seed);
    std::cerr << "training a " << o.preset << " " << o.data.representation << " model ("
              << model.parameterCount() << " parameters)\n";

    ModelMetadata metadata;
    metadata.corpusFingerprint = data.scan.fingerprint();
    metadata.trainingJson = trainingJson(o).dump();
    json history = json::array();
    const std::filesystem::path bestPath = o.out, lastPath = lastCheckpointPath(o.out);
    const auto onEpoch = [&](const Model &current, const EpochMetrics &m) {
        progress.finishLine();
        history.push_back(epochJson(m));
        metadata.metricsJson = history.dump();
        current.save(lastPath, metadata);
        if (m.isBest)
            current.save(bestPath, metadata);
        if (o.asJson) {
            std::cout << epochJson(m).dump() << std::endl;
            return;
        }
        std::fprintf(stderr,
                     "epoch %d: train %.3f, valid %.3f (perplexity %.2f), top-1 %.1f%%, top-5 %.1f%%, %.0f "
                     "tokens/s%s\n",
                     m.epoch, m.trainLoss, m.validLoss, m.perplexity, 100 * m.heads[0].top1,
                     100 * m.heads[0].top5, m.tokensPerSec, m.isBest ? ", best so far" : "");
    };
    const TrainResult result =
        trainModel(model, data.corpus, data.split, o.train, data.transposer, progress, onEpoch);
    progress.finishLine();
    if (result.cancelled) {
        std::cerr << "cancelled; the checkpoints written so far are intact"
                  << (result.history.empty() ? " (none yet)" : ": " + bestPath.string()) << "\n";
        return 130;
    }
    std::cerr << "done on " << result.device << ": best epoch " << result.bestEpoch
              << (result.stoppedEarly ? " (stopped early)" : "") << "; best model " << bestPath.string()
              << ", last " << lastPath.string() << "\n";
    return 0;
}

} // namespace

void addTrainCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("train", "Train a model on a folder of MIDI files");
    auto o = std::make_shared<TrainCommandOptions>();
    cmd->add_option("--corpus", o->corpus, "Folder of MIDI files (searched recursively)")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--out", o->out,
                    "Where to save the best model (.ckpt); the last goes beside it as NAME.last.ckpt")
        ->required();
    cmd->add_option("--repr", o->data.representation, "performance or notes")
        ->capture_default_str()
        ->check(CLI::IsMember({ "performance", "notes" }));
    cmd->add_option("--preset", o->preset, "tiny, small or medium")
        ->capture_default_str()
        ->check(CLI::IsMember({ "tiny", "small", "medium" }));
    cmd->add_option("--epochs", o->train.epochs, "Epochs at most")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--batch", o->train.batchSize, "Windows per batch")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    cmd->add_option("--seq", o->train.sequenceLength, "Steps per window")
        ->capture_default_str()
        ->check(CLI::Range(2, 100000));
    cmd->add_option("--steps-per-epoch", o->train.stepsPerEpoch,
                    "Batches per epoch (0: one pass over the data)")
        ->capture_default_str();
    cmd->add_option("--lr", o->train.learningRate, "Learning rate")->capture_default_str();
    cmd->add_option("--lr-decay", o->train.learningRateDecay, "Learning-rate factor after each epoch")
        ->capture_default_str();
    cmd->add_option("--optimizer", o->train.optimizer, "adam, rmsprop or sgd")
        ->capture_default_str()
        ->check(CLI::IsMember({ "adam", "rmsprop", "sgd" }));
    cmd->add_option("--clip", o->train.gradientClip, "Gradient norm clip (0: off)")->capture_default_str();
    cmd->add_option("--patience", o->train.patience,
                    "Stop after this many epochs without improvement (0: never)")
        ->capture_default_str();
    cmd->add_option("--transpose", o->train.maxTranspose, "Random transposition, +/- semitones")
        ->capture_default_str()
        ->check(CLI::Range(0, 12));
    cmd->add_option("--validation", o->data.validationFraction, "Fraction of files for validation")
        ->capture_default_str()
        ->check(CLI::Range(0.01, 0.9));
    cmd->add_option("--min-count", o->data.minChordCount, "notes: minimum count of a chord in the vocabulary")
        ->capture_default_str();
    cmd->add_option("--seed", o->train.seed, "Random seed")->capture_default_str();
    cmd->add_option("--device", o->train.device, "auto, cpu or cuda")
        ->capture_default_str()
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    cmd->add_flag("--json", o->asJson, "Print one JSON object per epoch on standard output");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runTrain(*o); }); });
}

} // namespace continuo::cli
