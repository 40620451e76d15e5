// SPDX-License-Identifier: GPL-3.0-or-later
// The training loop: teacher-forced next-step prediction over random windows, with per-epoch validation.
#pragma once

#include "data/dataset.h"
#include "jobs/jobcontext.h"
#include "nn/model.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace continuo {

/// How the weights are updated.
enum class Optimizer { Adam, RmsProp, Sgd };
/// "adam", "rmsprop" or "sgd": the name checkpoints, JSON and the command line use. Any thread.
const char *optimizerName(Optimizer optimizer);
/// The optimizer called `name`. @throws ModelError naming the text and the names there are.
Optimizer optimizerFromName(const std::string &name);

/// The arithmetic of training (see train/internal/trainstep.h, MixedPrecision).
enum class Precision {
    Auto, ///< mixed bfloat16 for the Transformer on CPUs with bfloat16 matrix units; else float32
    Float32,
    BFloat16, ///< mixed: bfloat16 products, float32 weights
};
/// "auto", "float32" or "bfloat16". Any thread.
const char *precisionName(Precision precision);
/// @throws ModelError naming the text and the names there are.
Precision precisionFromName(const std::string &name);

struct TrainOptions
{
    int epochs = 20;
    int batchSize = 32;
    int sequenceLength = 128; ///< steps per window (targets are the next steps)
    int stepsPerEpoch = 0; ///< batches per epoch; 0: as many as cover the training steps once
    double learningRate = 1e-3;
    Optimizer optimizer = Optimizer::Adam;
    double gradientClip = 3.0; ///< max global gradient norm; 0 turns clipping off
    double learningRateDecay = 1.0; ///< the learning rate is multiplied by this after every epoch
    int patience = 3; ///< stop after this many epochs without a better validation loss; 0: never
    int maxTranspose = 0; ///< random transposition of training windows, in semitones
    bool classWeights = false; ///< weight each target by its class's inverse frequency
    double labelSmoothing = 0.0; ///< interval-aware smoothing of the pitch head (0 to 0.5); 0: off
    std::uint64_t seed = 0;
    std::string device = "auto"; ///< "auto" (CUDA when available), "cpu" or "cuda"
    Precision precision = Precision::Auto;
    /// The share of training windows rewritten as infilling examples (makeInfillingWindow; compound
    /// models only), so that the model learns to fill a gap from both its sides; 0: none.
    double infilling = 0.0;
    /// Validate the model before the first epoch of a new run (fine-tuning): an epoch is then the
    /// best only when it beats the model it started from, and patience counts from there.
    bool validateStart = false;
};

/// Accuracy of one head on validation windows.
struct HeadAccuracy
{
    double top1 = 0.0;
    double top5 = 0.0;
};

struct EpochMetrics
{
    int epoch = 0; ///< from 1
    double trainLoss = 0.0; ///< mean cross-entropy per step (summed over heads), nats
    double validLoss = 0.0;
    double perplexity = 0.0; ///< exp(validLoss)
    std::vector<HeadAccuracy> heads; ///< validation accuracy per head
    double tokensPerSec = 0.0; ///< training steps per second
    double seconds = 0.0;
    double learningRate = 0.0;
    bool isBest = false; ///< the best validation loss so far
};

struct TrainResult
{
    std::vector<EpochMetrics> history; ///< every epoch, those of a resumed run's earlier runs first
    int bestEpoch = 0;
    bool stoppedEarly = false;
    bool cancelled = false;
    std::string device;
    bool mixedPrecision = false; ///< trained in mixed bfloat16 (TrainOptions::precision)
    std::optional<EpochMetrics> start; ///< the model before training (TrainOptions::validateStart), epoch 0
};

/// Called after every epoch with the model as it is then (to save the last and the best checkpoint).
using EpochCallback = std::function<void(const Model &model, const EpochMetrics &metrics)>;

/// Trains `model` on the training files of `split`, validating on its validation files after
/// every epoch. Progress is reported per batch; cancellation is checked at every batch, of training
/// and of validation, and ends the run after the current batch (result.cancelled). An epoch whose
/// validation was cut short is not an epoch: it is neither recorded nor passed to `onEpoch`, so a
/// cancel never writes a checkpoint. Call on a job's worker thread.
///
/// To resume, pass the epochs already trained as `history` (from the checkpoint's metrics) and a
/// model loaded with its training state: training goes on from epoch history.size() + 1 up to
/// options.epochs, with the optimizer's state, the learning rate, the best validation loss and
/// the patience count where they were. After every epoch the model carries the optimizer's state
/// (save it with Model::TrainingState::Keep to be able to resume). With options.validateStart, a
/// new run validates the model first and passes the figures, as epoch 0, to `onStart`.
/// @throws ModelError if there is nothing to train or validate on, or the device is unavailable.
TrainResult trainModel(Model &model, const TokenCorpus &corpus, const FileSplit &split,
                       const TrainOptions &options, const Transposer &transposer, JobContext &context,
                       const EpochCallback &onEpoch = {}, const std::vector<EpochMetrics> &history = {},
                       const EpochCallback &onStart = {});

} // namespace continuo
