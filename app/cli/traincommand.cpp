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
#include "train/trainingrun.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {

namespace {

struct TrainCommandOptions
{
    TrainingRunOptions run;
    CacheOptions cache;
    bool asJson = false;
};

void reportCorpus(const TrainingData &data, Representation representation)
{
    std::cerr << data.scan.files.size() << " MIDI file(s), " << data.scan.usableCount() << " usable ("
              << data.scan.cachedCount() << " from the cache); ";
    if (data.split.train.size() + data.split.validation.size() > data.scan.usableCount())
        std::cerr << "too few to hold a file out: validating on the end of " << data.split.validation.size()
                  << " of them\n";
    else
        std::cerr << data.split.train.size() << " for training, " << data.split.validation.size()
                  << " for validation\n";
    for (const CorpusFile &file : data.scan.files)
        if (file.status != CorpusFileStatus::Usable)
            std::cerr << "  skipped (" << corpusFileStatusText(file.status) << "): " << file.problem << "\n";
    if (representation == Representation::Notes)
        std::cerr << "chord vocabulary: " << data.vocabulary.size() << " pitch sets; "
                  << data.notesStats.unknownNotes << " note(s) fall outside it\n";
}

/// NAME.memo beside the best checkpoint: the melodies and statistics of the training files, so that
/// eval --generated can check a generation without the corpus.
void printEpoch(const EpochMetrics &m)
{
    std::fprintf(stderr,
                 "epoch %d: train %.3f, valid %.3f (perplexity %.2f), top-1 %.1f%%, top-5 %.1f%%, %.0f "
                 "tokens/s%s\n",
                 m.epoch, m.trainLoss, m.validLoss, m.perplexity, 100 * m.heads[0].top1,
                 100 * m.heads[0].top5, m.tokensPerSec, m.isBest ? ", best so far" : "");
}

/// Fine-tuning: the settings the student did not give on the command line come from
/// fineTuningDefaults(). The model's own network and representation are used.
void applyFineTuningDefaults(const CLI::App &command, TrainingRunOptions &run)
{
    for (const char *own : { "--repr", "--arch", "--preset", "--resume" })
        if (command.count(own) > 0)
            throw ModelError(
                std::string("--init starts from a model, with its own network and representation: "
                            "leave out ")
                + own + ".");
    const TrainingRunOptions tuned = fineTuningDefaults();
    const auto keep = [&](const char *flag, auto &value, const auto &fallback) {
        if (command.count(flag) == 0)
            value = fallback;
    };
    keep("--lr", run.train.learningRate, tuned.train.learningRate);
    keep("--lr-decay", run.train.learningRateDecay, tuned.train.learningRateDecay);
    keep("--epochs", run.train.epochs, tuned.train.epochs);
    keep("--patience", run.train.patience, tuned.train.patience);
    keep("--batch", run.train.batchSize, tuned.train.batchSize);
    keep("--seq", run.train.sequenceLength, tuned.train.sequenceLength);
    keep("--steps-per-epoch", run.train.stepsPerEpoch, tuned.train.stepsPerEpoch);
    keep("--transpose", run.train.maxTranspose, tuned.train.maxTranspose);
    keep("--validation", run.data.validationFraction, tuned.data.validationFraction);
}

void reportReplays(const ReplayCheck &check)
{
    std::cerr << "replay check: " << check.replays << " of " << check.continuations
              << " continuation(s) of seeds from these pieces replay one of them";
    if (check.longestCopy > 0)
        std::cerr << " (the longest shared run: " << check.longestCopy << " distinct notes of " << check.file
                  << ", bar " << check.bar << ")";
    std::cerr << "\n";
    if (check.mostlyReplays())
        std::cerr << "warning: the model mostly plays back the pieces it was tuned on (" << check.file
                  << ", bar " << check.bar
                  << "): tune it for fewer epochs, with a smaller learning rate, or on more pieces\n";
}

int runTrain(TrainCommandOptions o)
{
    if (o.run.resume.empty() && o.run.corpus.empty())
        throw ModelError("Say which folder of MIDI files to train on (--corpus).");
    if (o.run.resume.empty() && o.run.out.empty())
        throw ModelError("Say where to save the model (--out).");
    TerminalProgress progress;
    o.run.data.cacheDir = o.cache.folder();
    TrainingRunHooks hooks;
    hooks.prepared = [&](const TrainingRunOptions &settings, const TrainingData &data, const Model &model,
                         const std::vector<EpochMetrics> &history, bool corpusChanged) {
        progress.finishLine();
        reportCorpus(data, data.representation);
        if (corpusChanged)
            std::cerr << "warning: the corpus has changed since this model was trained\n";
        if (!history.empty())
            std::cerr << "resuming after epoch " << history.size() << " of " << settings.train.epochs << "\n";
        if (!settings.init.empty())
            std::cerr << "fine-tuning " << settings.init << " (" << representationName(data.representation)
                      << ", " << model.parameterCount() << " parameters)\n";
        else
            std::cerr << "training a " << settings.preset << " " << representationName(data.representation)
                      << " model (" << model.parameterCount() << " parameters)\n";
        std::cerr << "memorization index of " << data.split.train.size()
                  << " training file(s): " << memorizationIndexPathFor(settings.out).string() << "\n";
    };
    hooks.start = [&](const EpochMetrics &m) {
        progress.finishLine();
        std::fprintf(stderr, "before fine-tuning: valid %.3f (perplexity %.2f), top-1 %.1f%%\n", m.validLoss,
                     m.perplexity, 100 * m.heads[0].top1);
    };
    hooks.epoch = [&](const EpochMetrics &m) {
        progress.finishLine();
        if (o.asJson)
            std::cout << epochMetricsJson(m) << std::endl;
        else
            printEpoch(m);
    };
    const TrainingRunResult run = runTraining(o.run, progress, hooks);
    const TrainResult &result = run.train;
    progress.finishLine();
    if (result.cancelled) {
        std::cerr << "cancelled; the checkpoints written so far are intact"
                  << (result.history.empty() ? " (none yet)" : ": " + run.bestPath.string()) << "\n";
        return 130;
    }
    if (run.replays)
        reportReplays(*run.replays);
    std::cerr << "done on " << result.device << ": best epoch " << result.bestEpoch
              << (result.stoppedEarly ? " (stopped early)" : "") << "; best model " << run.bestPath.string()
              << ", last " << run.lastPath.string() << "\n";
    return 0;
}

} // namespace

void addTrainCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("train", "Train a model on a folder of MIDI files");
    auto o = std::make_shared<TrainCommandOptions>();
    cmd->add_option("--corpus", o->run.corpus, "Folder of MIDI files (searched recursively)")
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--out", o->run.out,
                    "Where to save the best model (.ckpt); the last goes beside it as NAME.last.ckpt");
    cmd->add_option("--resume", o->run.resume,
                    "Continue the run of NAME.last.ckpt with its settings, up to --epochs")
        ->check(CLI::ExistingFile);
    cmd->add_option(
           "--init", o->run.init,
           "Fine-tune: start from this model (the bundled default, or any) on the pieces of --corpus, "
           "with a small learning rate and few steps")
        ->check(CLI::ExistingFile);
    cmd->add_option("--repr", o->run.data.representation, "performance (the default), notes or compound")
        ->transform(namedValue(representationFromName, "performance|notes|compound"));
    cmd->add_option("--arch", o->run.architecture, "lstm (the default) or transformer")
        ->transform(namedValue(architectureFromName, "lstm|transformer"));
    cmd->add_option("--preset", o->run.preset, "tiny, small, medium or baseline (logistic regression)")
        ->capture_default_str()
        ->check(CLI::IsMember({ "tiny", "small", "medium", "baseline" }));
    cmd->add_flag("--layer-norm", o->run.layerNorm, "Layer normalisation after every LSTM layer");
    cmd->add_flag("--beat-phase", o->run.beatPhase,
                  "compound transformer: each note also reads its position in the beat (with --init, "
                  "added to the model it starts from)");
    cmd->add_option("--attention", o->run.attentionHeads,
                    "lstm: heads of causal self-attention over the LSTM (0: none)")
        ->capture_default_str()
        ->check(CLI::Range(0, 16));
    cmd->add_option("--window", o->run.window, "baseline: how many latest steps it sees")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    cmd->add_option("--epochs", o->run.train.epochs, "Epochs at most")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--batch", o->run.train.batchSize, "Windows per batch")
        ->capture_default_str()
        ->check(CLI::Range(1, 4096));
    cmd->add_option("--seq", o->run.train.sequenceLength, "Steps per window")
        ->capture_default_str()
        ->check(CLI::Range(2, 100000));
    cmd->add_option("--steps-per-epoch", o->run.train.stepsPerEpoch,
                    "Batches per epoch (0: one pass over the data)")
        ->capture_default_str();
    cmd->add_option("--lr", o->run.train.learningRate, "Learning rate")->capture_default_str();
    cmd->add_option("--lr-decay", o->run.train.learningRateDecay, "Learning-rate factor after each epoch")
        ->capture_default_str();
    cmd->add_option("--optimizer", o->run.train.optimizer, "adam (the default), rmsprop or sgd")
        ->transform(namedValue(optimizerFromName, "adam|rmsprop|sgd"));
    cmd->add_option("--clip", o->run.train.gradientClip, "Gradient norm clip (0: off)")
        ->capture_default_str();
    cmd->add_option("--patience", o->run.train.patience,
                    "Stop after this many epochs without improvement (0: never)")
        ->capture_default_str();
    cmd->add_option("--transpose", o->run.train.maxTranspose, "Random transposition, +/- semitones")
        ->capture_default_str()
        ->check(CLI::Range(0, 12));
    cmd->add_flag("--class-weights", o->run.train.classWeights, "Weight targets by inverse class frequency");
    cmd->add_option("--infilling", o->run.train.infilling,
                    "Share of training windows that teach filling a gap from both sides (compound models)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--label-smoothing", o->run.train.labelSmoothing,
                    "Interval-aware smoothing of pitch targets (octave, fifth, fourth, steps), 0 to 0.5")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 0.5));
    cmd->add_option("--validation", o->run.data.validationFraction, "Fraction of files for validation")
        ->capture_default_str()
        ->check(CLI::Range(0.01, 0.9));
    cmd->add_option("--min-count", o->run.data.minChordCount,
                    "notes: minimum count of a chord in the vocabulary")
        ->capture_default_str();
    cmd->add_option("--seed", o->run.train.seed, "Random seed")->capture_default_str();
    cmd->add_option("--device", o->run.train.device, "auto, cpu or cuda")
        ->capture_default_str()
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    cmd->add_option(
           "--precision", o->run.train.precision,
           "auto (mixed bfloat16 for the Transformer on CPUs with bfloat16 units), float32 or bfloat16")
        ->transform(namedValue(precisionFromName, "auto|float32|bfloat16"));
    addCacheOptions(*cmd, o->cache);
    cmd->add_flag("--json", o->asJson, "Print one JSON object per epoch on standard output");
    cmd->callback([cmd, o, &exitCode] {
        exitCode = runReportingErrors([&] {
            if (!o->run.init.empty())
                applyFineTuningDefaults(*cmd, o->run);
            return runTrain(*o);
        });
    });
}

} // namespace continuo::cli
