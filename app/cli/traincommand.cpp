// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli train`: train a model on a folder of MIDI files, with a progress bar and checkpoints.
#include "cli/commands.h"
#include "cli/terminalprogress.h"

#include "analysis/memorization.h"
#include "core/error.h"
#include "nn/model.h"
#include "train/metricsjson.h"
#include "train/trainer.h"
#include "train/trainingdata.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace continuo::cli {

namespace {

using nlohmann::json;

struct TrainCommandOptions
{
    std::string corpus;
    std::string out;
    std::string resume;
    std::string preset = "small";
    bool layerNorm = false;
    int attentionHeads = 0;
    int window = 8;
    TrainingDataOptions data;
    TrainOptions train;
    CacheOptions cache;
    bool asJson = false;
};

/// Every setting of a run, kept in the checkpoint so that --resume goes on with the same ones.
json trainingJson(const TrainCommandOptions &o)
{
    return { { "corpus", o.corpus },
             { "preset", o.preset },
             { "representation", o.data.representation },
             { "epochs", o.train.epochs },
             { "batch", o.train.batchSize },
             { "seq", o.train.sequenceLength },
             { "steps_per_epoch", o.train.stepsPerEpoch },
             { "lr", o.train.learningRate },
             { "optimizer", o.train.optimizer },
             { "clip", o.train.gradientClip },
             { "lr_decay", o.train.learningRateDecay },
             { "patience", o.train.patience },
             { "transpose", o.train.maxTranspose },
             { "class_weights", o.train.classWeights },
             { "label_smoothing", o.train.labelSmoothing },
             { "validation", o.data.validationFraction },
             { "seed", o.train.seed },
             { "min_chord_count", o.data.minChordCount } };
}

/// The settings of the run a checkpoint came from; --epochs and --device stay as given.
void restoreSettings(TrainCommandOptions &o, const json &j)
{
    if (o.corpus.empty())
        o.corpus = j.at("corpus").get<std::string>();
    o.preset = j.at("preset").get<std::string>();
    o.data.representation = j.at("representation").get<std::string>();
    o.train.batchSize = j.at("batch").get<int>();
    o.train.sequenceLength = j.at("seq").get<int>();
    o.train.stepsPerEpoch = j.value("steps_per_epoch", 0);
    o.train.learningRate = j.at("lr").get<double>();
    o.train.optimizer = j.at("optimizer").get<std::string>();
    o.train.gradientClip = j.at("clip").get<double>();
    o.train.learningRateDecay = j.at("lr_decay").get<double>();
    o.train.patience = j.at("patience").get<int>();
    o.train.maxTranspose = j.at("transpose").get<int>();
    o.train.classWeights = j.value("class_weights", false);
    o.train.labelSmoothing = j.value("label_smoothing", 0.0);
    o.data.validationFraction = j.at("validation").get<double>();
    o.train.seed = j.at("seed").get<std::uint64_t>();
    o.data.minChordCount = j.at("min_chord_count").get<int>();
}

std::filesystem::path lastCheckpointPath(const std::filesystem::path &best)
{
    std::filesystem::path last = best;
    last.replace_extension(".last.ckpt");
    return last;
}

/// "NAME.last.ckpt" -> "NAME.ckpt"
std::filesystem::path bestCheckpointPath(const std::filesystem::path &last)
{
    const std::string name = last.string(), suffix = ".last.ckpt";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return name.substr(0, name.size() - suffix.size()) + ".ckpt";
    return name;
}

/// The checkpoint to resume from, with its history; fills in the run's settings.
Model loadForResume(TrainCommandOptions &o, std::vector<EpochMetrics> &history, ModelMetadata &metadata)
{
    Model model = Model::load(o.resume, &metadata);
    if (!model.hasTrainingState())
        throw ModelError(o.resume
                         + ": this checkpoint holds no optimizer state to resume from (resume from "
                           "the NAME.last.ckpt that training writes).");
    try {
        restoreSettings(o, json::parse(metadata.trainingJson));
    } catch (const json::exception &) {
        throw ModelError(o.resume + ": the checkpoint does not say how it was trained, so it cannot resume.");
    }
    history = parseMetricsHistory(metadata.metricsJson);
    o.data.fixedVocabulary = model.spec().vocabulary;
    if (o.out.empty())
        o.out = bestCheckpointPath(o.resume).string();
    return model;
}

Model newModel(const TrainCommandOptions &o, const TrainingData &data)
{
    ModelSpec spec = ModelSpec::preset(o.preset, o.data.representation, data.headSizes);
    spec.vocabulary = data.vocabulary;
    spec.layerNorm = o.layerNorm;
    spec.attentionHeads = o.attentionHeads;
    spec.window = o.window;
    return Model(spec, o.train.seed);
}

void reportCorpus(const TrainingData &data, const std::string &representation)
{
    std::cerr << data.scan.files.size() << " MIDI file(s), " << data.scan.usableCount() << " usable ("
              << data.scan.cachedCount() << " from the cache); " << data.split.train.size()
              << " for training, " << data.split.validation.size() << " for validation\n";
    for (const CorpusFile &file : data.scan.files)
        if (file.status != CorpusFileStatus::Usable)
            std::cerr << "  skipped (" << corpusFileStatusText(file.status) << "): " << file.problem << "\n";
    if (representation == "notes")
        std::cerr << "chord vocabulary: " << data.vocabulary.size() << " pitch sets; "
                  << data.notesStats.unknownNotes << " note(s) fall outside it\n";
}

/// NAME.memo beside the best checkpoint: the melodies and statistics of the training files, so that
/// eval --generated can check a generation without the corpus.
void writeMemorizationIndex(const TrainingData &data, const std::filesystem::path &bestPath,
                            JobContext &progress)
{
    std::vector<std::filesystem::path> files;
    for (const std::size_t f : data.split.train)
        files.push_back(data.corpus.files[f]);
    MemorizationIndex index = buildMemorizationIndex(data.scan.folder, files, progress);
    if (progress.isCancelled())
        return;
    index.setCorpusFingerprint(data.scan.fingerprint());
    const std::filesystem::path path = memorizationIndexPathFor(bestPath);
    index.save(path);
    std::cerr << "memorization index of " << index.fileCount() << " training file(s): " << path.string()
              << "\n";
}

void printEpoch(const EpochMetrics &m)
{
    std::fprintf(stderr,
                 "epoch %d: train %.3f, valid %.3f (perplexity %.2f), top-1 %.1f%%, top-5 %.1f%%, %.0f "
                 "tokens/s%s\n",
                 m.epoch, m.trainLoss, m.validLoss, m.perplexity, 100 * m.heads[0].top1,
                 100 * m.heads[0].top5, m.tokensPerSec, m.isBest ? ", best so far" : "");
}

int runTrain(TrainCommandOptions o)
{
    TerminalProgress progress;
    std::vector<EpochMetrics> history;
    ModelMetadata metadata;
    std::optional<Model> model;
    if (!o.resume.empty())
        model = loadForResume(o, history, metadata);
    if (o.corpus.empty())
        throw ModelError("Say which folder of MIDI files to train on (--corpus).");
    if (o.out.empty())
        throw ModelError("Say where to save the model (--out).");
    o.data.seed = o.train.seed;
    o.data.maxTranspose = o.train.maxTranspose;
    o.data.cacheDir = o.cache.folder();
    const TrainingData data = prepareTrainingData(o.corpus, o.data, progress);
    progress.finishLine();
    reportCorpus(data, o.data.representation);
    writeMemorizationIndex(data, o.out, progress);
    progress.finishLine();
    if (model) {
        if (metadata.corpusFingerprint != data.scan.fingerprint())
            std::cerr << "warning: the corpus has changed since this model was trained\n";
        std::cerr << "resuming after epoch " << history.size() << " of " << o.train.epochs << "\n";
    } else {
        model = newModel(o, data);
    }
    std::cerr << "training a " << o.preset << " " << o.data.representation << " model ("
              << model->parameterCount() << " parameters)\n";

    metadata.corpusFingerprint = data.scan.fingerprint();
    metadata.trainingJson = trainingJson(o).dump();
    std::vector<EpochMetrics> all = history;
    const std::filesystem::path bestPath = o.out, lastPath = lastCheckpointPath(o.out);
    const auto onEpoch = [&](const Model &current, const EpochMetrics &m) {
        progress.finishLine();
        all.push_back(m);
        metadata.metricsJson = metricsHistoryJson(all);
        current.save(lastPath, metadata, Model::TrainingState::Keep);
        if (m.isBest)
            current.save(bestPath, metadata);
        if (o.asJson)
            std::cout << epochMetricsJson(m) << std::endl;
        else
            printEpoch(m);
    };
    const TrainResult result =
        trainModel(*model, data.corpus, data.split, o.train, data.transposer, progress, onEpoch, history);
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
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--out", o->out,
                    "Where to save the best model (.ckpt); the last goes beside it as NAME.last.ckpt");
    cmd->add_option("--resume", o->resume,
                    "Continue the run of NAME.last.ckpt with its settings, up to --epochs")
        ->check(CLI::ExistingFile);
    cmd->add_option("--repr", o->data.representation, "performance or notes")
        ->capture_default_str()
        ->check(CLI::IsMember({ "performance", "notes" }));
    cmd->add_option("--preset", o->preset, "tiny, small, medium or baseline (logistic regression)")
        ->capture_default_str()
        ->check(CLI::IsMember({ "tiny", "small", "medium", "baseline" }));
    cmd->add_flag("--layer-norm", o->layerNorm, "Layer normalisation after every LSTM layer");
    cmd->add_option("--attention", o->attentionHeads,
                    "Heads of causal self-attention over the LSTM (0: none)")
        ->capture_default_str()
        ->check(CLI::Range(0, 16));
    cmd->add_option("--window", o->window, "baseline: how many latest steps it sees")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
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
    cmd->add_flag("--class-weights", o->train.classWeights, "Weight targets by inverse class frequency");
    cmd->add_option("--label-smoothing", o->train.labelSmoothing,
                    "Interval-aware smoothing of pitch targets (octave, fifth, fourth, steps), 0 to 0.5")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 0.5));
    cmd->add_option("--validation", o->data.validationFraction, "Fraction of files for validation")
        ->capture_default_str()
        ->check(CLI::Range(0.01, 0.9));
    cmd->add_option("--min-count", o->data.minChordCount, "notes: minimum count of a chord in the vocabulary")
        ->capture_default_str();
    cmd->add_option("--seed", o->train.seed, "Random seed")->capture_default_str();
    cmd->add_option("--device", o->train.device, "auto, cpu or cuda")
        ->capture_default_str()
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    addCacheOptions(*cmd, o->cache);
    cmd->add_flag("--json", o->asJson, "Print one JSON object per epoch on standard output");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runTrain(*o); }); });
}

} // namespace continuo::cli
