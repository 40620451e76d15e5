// SPDX-License-Identifier: GPL-3.0-or-later
// One training run as the CLI and the UI start it: prepare the corpus, build or resume a model,
// train, and keep the best (NAME.ckpt) and the last (NAME.last.ckpt, with optimizer state) checkpoints.
#pragma once

#include "jobs/jobcontext.h"
#include "nn/model.h"
#include "train/replaycheck.h"
#include "train/trainer.h"
#include "train/trainingdata.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace continuo {

/// Every setting of a training run.
struct TrainingRunOptions
{
    std::string corpus; ///< folder of MIDI files; on resume, empty: the checkpoint's
    std::string out; ///< the best checkpoint (NAME.ckpt); on resume, empty: beside the resumed file
    std::string resume; ///< a NAME.last.ckpt to go on from, with its settings (epochs and device stay)
    /// Fine-tuning: a model to start from (its network, weights, representation and vocabulary) with
    /// a fresh optimizer, instead of a new model of `preset`. Not with `resume`.
    std::string init;
    std::string preset = "small"; ///< ModelSpec::preset name
    Architecture architecture =
        Architecture::Lstm; ///< of the preset (the baseline preset is always logistic)
    bool layerNorm = false;
    int attentionHeads = 0;
    int window = 8; ///< baseline: how many latest steps it sees
    /// compound Transformer: each step also reads its onset's position in the beat (ModelSpec). With
    /// `init` from a model without it, the new input starts at zero: the model begins as its start.
    bool beatPhase = false;
    TrainingDataOptions data;
    TrainOptions train;
};

/// The settings of a run as JSON (ModelMetadata::trainingJson), so that a resume goes on with them.
std::string trainingSettingsJson(const TrainingRunOptions &options);
/// Reads trainingSettingsJson back into `options`, except epochs and device, which stay as given;
/// the corpus only when `options.corpus` is empty. @throws ModelError if malformed.
void restoreTrainingSettings(TrainingRunOptions &options, const std::string &json);

/// "NAME.ckpt" -> "NAME.last.ckpt"
std::filesystem::path lastCheckpointPath(const std::filesystem::path &best);
/// "NAME.last.ckpt" -> "NAME.ckpt" (other names unchanged)
std::filesystem::path bestCheckpointPath(const std::filesystem::path &last);

/// Loads `options.resume` with its history and metadata, and fills in the run's settings and, when
/// empty, `options.out`. @throws IoError, ModelError (no optimizer state, no settings).
Model loadForResume(TrainingRunOptions &options, std::vector<EpochMetrics> &history, ModelMetadata &metadata);

/// The model with one more input, the position in the beat of each step, that starts at zero: it
/// predicts as `model` does until trained. @throws ModelError unless a compound Transformer.
Model withBeatPhase(Model &model);

/// A fresh model of `options.preset` for `data`. @throws ModelError.
Model newModel(const TrainingRunOptions &options, const TrainingData &data);

/// The settings fine-tuning starts from where the student changes nothing: a learning rate of 3e-5
/// (1e-4 overfitted three pieces by one composer and did worse on two others of his), 20 batches of 16
/// windows of 128 steps per epoch, at most 10 epochs, stopping after 2 without a better validation loss,
/// transposition by up to 6 semitones (a few pieces are in a few keys), a quarter of the files held out for
/// validation (see holdOutFileEnds for fewer than kFewestFilesToHoldOut).
TrainingRunOptions fineTuningDefaults();

/// Loads `options.init` to fine-tune: takes its architecture, representation and vocabulary into
/// `options` (and, for a Transformer, windows no longer than its context). Its optimizer state, if
/// it carries one, is not used. @throws IoError, ModelError naming the file, or when `options`
/// also resumes.
Model loadForFineTuning(TrainingRunOptions &options);

/// What a run reports besides progress. Every hook runs on the job's worker thread.
struct TrainingRunHooks
{
    /// The corpus is ready and the model built, or loaded with the epochs of its earlier runs in
    /// `history`; `settings` are those the run goes on with (a resumed checkpoint's).
    std::function<void(const TrainingRunOptions &settings, const TrainingData &data, const Model &model,
                       const std::vector<EpochMetrics> &history, bool corpusChanged)>
        prepared;
    /// After every epoch, once its checkpoints are written.
    std::function<void(const EpochMetrics &metrics)> epoch;
    /// Fine-tuning: the model validated before its first epoch (epoch 0), once it is saved as the best so
    /// far.
    std::function<void(const EpochMetrics &metrics)> start;
};

struct TrainingRunResult
{
    TrainResult train; ///< history holds the resumed epochs too
    std::filesystem::path bestPath; ///< NAME.ckpt (exists once an epoch was the best)
    std::filesystem::path lastPath; ///< NAME.last.ckpt
    std::size_t resumedEpochs = 0;
    /// Fine-tuning, once it ends: the best model's continuations of seeds from its training files,
    /// checked against them (checkReplays).
    std::optional<ReplayCheck> replays;
};

/// A folder read the way a model reads music (its representation and vocabulary).
struct ModelCorpus
{
    TrainingData data;
    /// data.split is the split the model was trained with: its checkpoint says how its files were
    /// split and the folder is the corpus it was trained on. Otherwise the split is not the model's.
    bool isTrainingSplit = false;
};

/// Scans and encodes `folder` for `model`, split as its training was when the checkpoint says how.
/// Call on a job's worker thread. @throws IoError, ModelError (no usable file).
ModelCorpus prepareModelCorpus(const std::filesystem::path &folder, const Model &model,
                               const ModelMetadata &metadata, const std::filesystem::path &cacheDir,
                               JobContext &context);

/// Builds the memorization index of the training files of `data` and saves it beside the best
/// checkpoint (memorizationIndexPathFor), for the memorization check without the corpus.
void writeMemorizationIndex(const TrainingData &data, const std::filesystem::path &bestPath,
                            JobContext &context);

/// Runs a whole training: resume, fine-tune or prepare, write the memorization index, train, save the last
/// checkpoint after every epoch and the best one whenever validation improves. Fine-tuning validates
/// the model it starts from first and saves it as the best, so an epoch is kept only when it beats it,
/// and at the end checks whether the best model replays the pieces it was tuned on (run.replays). A
/// cancelled run keeps the checkpoints written so far. Call on a job's worker thread. @throws IoError,
/// ModelError (for example, a resume whose epochs are already done).
TrainingRunResult runTraining(TrainingRunOptions options, JobContext &context,
                              const TrainingRunHooks &hooks = {});

} // namespace continuo
