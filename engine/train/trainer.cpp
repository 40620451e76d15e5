// SPDX-License-Identifier: GPL-3.0-or-later
// Training and evaluation loops over the model's LibTorch network.
#include "train/trainer.h"

#include "core/error.h"
#include "core/names.h"
#include "data/infillingwindow.h"
#include "nn/internal/modelimpl.h"
#include "train/internal/trainstep.h"
#include "train/lossshaping.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

namespace continuo {

namespace {

using torch::Tensor;
using Clock = std::chrono::steady_clock;

/// Windows [count][steps + 1][heads] -> time-major inputs and targets [steps, count, heads].
std::pair<Tensor, Tensor> windowTensors(const std::vector<std::int32_t> &flat, int64_t count, int64_t steps,
                                        int64_t heads, const torch::Device &device)
{
    const Tensor all =
        torch::from_blob(const_cast<std::int32_t *>(flat.data()), { count, steps + 1, heads }, torch::kInt)
            .to(torch::kLong);
    return { all.narrow(1, 0, steps).transpose(0, 1).contiguous().to(device),
             all.narrow(1, 1, steps).transpose(0, 1).contiguous().to(device) };
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(Optimizer kind, std::vector<Tensor> parameters,
                                                       double learningRate)
{
    switch (kind) {
    case Optimizer::RmsProp:
        return std::make_unique<torch::optim::RMSprop>(parameters,
                                                       torch::optim::RMSpropOptions(learningRate));
    case Optimizer::Sgd:
        return std::make_unique<torch::optim::SGD>(parameters,
                                                   torch::optim::SGDOptions(learningRate).momentum(0.9));
    case Optimizer::Adam: break;
    }
    return std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(learningRate));
}

void setLearningRate(torch::optim::Optimizer &optimizer, double learningRate)
{
    for (auto &group : optimizer.param_groups())
        group.options().set_lr(learningRate);
}

std::string saveOptimizerState(const torch::optim::Optimizer &optimizer)
{
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    std::ostringstream bytes;
    archive.save_to(bytes);
    return bytes.str();
}

void loadOptimizerState(torch::optim::Optimizer &optimizer, const std::string &state,
                        const torch::Device &device)
{
    try {
        torch::serialize::InputArchive archive;
        std::istringstream bytes(state);
        archive.load_from(bytes, device);
        optimizer.load(archive);
    } catch (const c10::Error &error) {
        throw ModelError("The model's saved optimizer state does not fit the model; train it anew.",
                         error.what_without_backtrace());
    }
}

torch::Tensor floatTensor(const std::vector<float> &values, const torch::Device &device)
{
    return torch::tensor(values, torch::kFloat).to(device);
}

train::LossShaping lossShaping(const TrainOptions &options, const Model &model, const TokenCorpus &corpus,
                               const FileSplit &split, const Transposer &transposer,
                               const torch::Device &device)
{
    train::LossShaping shaping;
    const std::vector<int> &headSizes = model.spec().headSizes;
    if (options.classWeights)
        for (const std::vector<float> &weights : inverseFrequencyWeights(corpus, split.train, headSizes))
            shaping.classWeights.push_back(floatTensor(weights, device));
    if (options.labelSmoothing > 0) {
        if (options.labelSmoothing > 0.5)
            throw ModelError("Label smoothing must be between 0 and 0.5.");
        const int head = pitchHeadOf(model.spec().representation);
        const int classes = headSizes[std::size_t(head)];
        const PitchNeighbours table = intervalNeighbours(classes, corpus.heads, head, transposer);
        shaping.smoothing = options.labelSmoothing;
        shaping.smoothedHead = std::size_t(head);
        shaping.neighbours =
            torch::tensor(table.classes, torch::kLong).view({ classes, kSmoothingWidth }).to(device);
        shaping.neighbourWeights = floatTensor(table.weights, device).view({ classes, kSmoothingWidth });
    }
    return shaping;
}

/// Where a run starts: after the epochs of `history` when resuming.
struct RunState
{
    double bestLoss = std::numeric_limits<double>::infinity();
    int bestEpoch = 0;
    int epochsWithoutBetter = 0;
    double learningRate = 0.0;

    RunState(const TrainOptions &options, const std::vector<EpochMetrics> &history)
        : learningRate(options.learningRate)
    {
        for (EpochMetrics m : history)
            record(m);
        if (!history.empty())
            learningRate = history.back().learningRate * options.learningRateDecay;
    }
    /// Marks m.isBest when it is; updates the patience count.
    void record(EpochMetrics &m)
    {
        m.isBest = m.validLoss < bestLoss;
        if (m.isBest) {
            bestLoss = m.validLoss;
            bestEpoch = m.epoch;
            epochsWithoutBetter = 0;
        } else {
            ++epochsWithoutBetter;
        }
    }
};

/// Loss and accuracy over windows, in batches, without gradients; nothing when cancelled before the
/// last batch (a part of the windows is a biased figure, and none is no figure at all).
std::optional<EpochMetrics> evaluateWindows(nn::Network &net, const std::vector<std::int32_t> &windows,
                                            int64_t steps, int64_t heads, int batchSize,
                                            const torch::Device &device, bool mixedPrecision,
                                            JobContext &context)
{
    torch::NoGradGuard noGrad;
    net.eval();
    const int64_t windowValues = (steps + 1) * heads;
    const int64_t count = int64_t(windows.size()) / windowValues;
    EpochMetrics metrics;
    metrics.heads.assign(std::size_t(heads), {});
    double lossSum = 0.0;
    int64_t targets = 0;
    for (int64_t first = 0; first < count; first += batchSize) {
        if (context.isCancelled())
            return std::nullopt;
        const int64_t n = std::min<int64_t>(batchSize, count - first);
        const std::vector<std::int32_t> slice(windows.begin() + first * windowValues,
                                              windows.begin() + (first + n) * windowValues);
        const auto [x, y] = windowTensors(slice, n, steps, heads, device);
        const auto logits = train::floatLogits(net, x, y, mixedPrecision);
        lossSum += train::stepLoss(logits, y).item<double>() * double(n * steps);
        targets += n * steps;
        for (int64_t h = 0; h < heads; ++h) {
            const Tensor target = y.select(2, h).unsqueeze(-1);
            const Tensor top = std::get<1>(
                logits[std::size_t(h)].topk(std::min<int64_t>(5, logits[std::size_t(h)].size(-1)), -1));
            metrics.heads[std::size_t(h)].top1 += top.narrow(-1, 0, 1).eq(target).sum().item<double>();
            metrics.heads[std::size_t(h)].top5 += top.eq(target).any(-1).sum().item<double>();
        }
    }
    if (targets > 0) {
        metrics.validLoss = lossSum / double(targets);
        metrics.perplexity = std::exp(metrics.validLoss);
        for (HeadAccuracy &head : metrics.heads) {
            head.top1 /= double(targets);
            head.top5 /= double(targets);
        }
    }
    return metrics;
}

} // namespace

const char *optimizerName(Optimizer optimizer)
{
    switch (optimizer) {
    case Optimizer::RmsProp: return "rmsprop";
    case Optimizer::Sgd: return "sgd";
    case Optimizer::Adam: break;
    }
    return "adam";
}

const char *precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Auto: return "auto";
    case Precision::Float32: return "float32";
    case Precision::BFloat16: return "bfloat16";
    }
    return "";
}

Precision precisionFromName(const std::string &name)
{
    return valueNamed(name, { Precision::Auto, Precision::Float32, Precision::BFloat16 }, precisionName,
                      "precision");
}

Optimizer optimizerFromName(const std::string &name)
{
    return valueNamed(name, { Optimizer::Adam, Optimizer::RmsProp, Optimizer::Sgd }, optimizerName,
                      "optimizer");
}

TrainResult trainModel(Model &model, const TokenCorpus &corpus, const FileSplit &split,
                       const TrainOptions &options, const Transposer &transposer, JobContext &context,
                       const EpochCallback &onEpoch, const std::vector<EpochMetrics> &history,
                       const EpochCallback &onStart)
{
    if (corpus.heads != int(model.spec().headSizes.size()))
        throw ModelError("The corpus was encoded for another representation than the model's.");
    const torch::Device device = train::chooseDevice(options.device);
    const int64_t steps = options.sequenceLength, heads = corpus.heads;
    const int firstEpoch = int(history.size()) + 1;
    WindowSampler sampler(corpus, split.train, std::size_t(steps), options.seed, options.maxTranspose,
                          transposer);
    const bool beatPhase = model.spec().beatPhase;
    sampler.setStartsOnBeat(beatPhase);
    if (options.infilling > 0) {
        if (model.spec().representation != Representation::Compound)
            throw ModelError("Only a compound model can learn to fill gaps (--infilling).");
        if (beatPhase)
            throw ModelError("A model that reads the position in the beat cannot learn to fill gaps yet.");
        sampler.setRewriter(
            [share = options.infilling](std::int32_t *steps, std::size_t count, std::mt19937_64 &rng) {
                if (double(uniformIndex(rng, 1000)) < share * 1000)
                    makeInfillingWindow(steps, count, rng);
            });
    }
    if (sampler.isEmpty())
        throw ModelError("No training file is long enough for a window of " + std::to_string(steps)
                         + " steps.");
    const std::vector<std::int32_t> validation =
        sequentialWindows(corpus, split.validation, std::size_t(steps), beatPhase);
    if (validation.empty())
        throw ModelError("No validation file is long enough for a window of " + std::to_string(steps)
                         + " steps.");
    std::size_t trainSteps = 0;
    for (const std::size_t f : split.train)
        trainSteps += corpus.stepCount(f);
    const int batchesPerEpoch = options.stepsPerEpoch > 0
                                  ? options.stepsPerEpoch
                                  : std::max(1, int(trainSteps / std::size_t(options.batchSize * steps)));

    // A resumed run draws the windows the uninterrupted run would have drawn.
    for (int64_t b = 0; b < int64_t(firstEpoch - 1) * batchesPerEpoch; ++b)
        sampler.sample(std::size_t(options.batchSize));
    torch::manual_seed(options.seed + std::uint64_t(firstEpoch - 1));
    Model::Impl &impl = nn::ModelAccess::impl(model);
    nn::Network &net = *impl.net;
    net.to(device);
    const auto optimizer = makeOptimizer(options.optimizer, net.parameters(), options.learningRate);
    if (!history.empty() && !impl.optimizerState.empty()
        && impl.optimizerName == optimizerName(options.optimizer))
        loadOptimizerState(*optimizer, impl.optimizerState, device);
    const train::LossShaping shaping = lossShaping(options, model, corpus, split, transposer, device);
    const bool mixedPrecision = train::usesMixedPrecision(options.precision, net, device);
    RunState state(options, history);
    setLearningRate(*optimizer, state.learningRate);
    TrainResult result;
    result.history = history;
    result.bestEpoch = state.bestEpoch;
    result.device = device.is_cuda() ? "cuda" : "cpu";
    result.mixedPrecision = mixedPrecision;
    const int64_t totalBatches = int64_t(options.epochs - firstEpoch + 1) * batchesPerEpoch;
    if (options.validateStart && history.empty()) {
        result.start = evaluateWindows(net, validation, steps, heads, options.batchSize, device,
                                       mixedPrecision, context);
        if (!result.start) {
            result.cancelled = true;
            net.to(torch::kCPU);
            return result;
        }
        result.start->epoch = 0;
        state.record(*result.start);
        if (onStart)
            onStart(model, *result.start);
    }

    for (int epoch = firstEpoch; epoch <= options.epochs && !result.cancelled; ++epoch) {
        net.train();
        const auto start = Clock::now();
        double lossSum = 0.0;
        int batches = 0;
        for (; batches < batchesPerEpoch; ++batches) {
            if (context.isCancelled()) {
                result.cancelled = true;
                break;
            }
            const auto [x, y] = windowTensors(sampler.sample(std::size_t(options.batchSize)),
                                              options.batchSize, steps, heads, device);
            lossSum += train::trainStep(net, *optimizer, x, y, options.gradientClip, shaping, mixedPrecision)
                           .item<double>();
            context.reportProgress(int64_t(epoch - firstEpoch) * batchesPerEpoch + batches + 1, totalBatches,
                                   "Epoch " + std::to_string(epoch) + " of "
                                       + std::to_string(options.epochs));
        }
        if (result.cancelled)
            break;
        const double trainSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        std::optional<EpochMetrics> validated = evaluateWindows(
            net, validation, steps, heads, options.batchSize, device, mixedPrecision, context);
        if (!validated) { // an epoch without its whole validation is not an epoch: nothing is recorded
            result.cancelled = true;
            break;
        }
        EpochMetrics &metrics = *validated;
        metrics.epoch = epoch;
        metrics.trainLoss = lossSum / batches;
        metrics.tokensPerSec = double(batches) * options.batchSize * double(steps) / trainSeconds;
        metrics.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        metrics.learningRate = state.learningRate;
        state.record(metrics);
        result.bestEpoch = state.bestEpoch;
        result.history.push_back(metrics);
        impl.optimizerState = saveOptimizerState(*optimizer);
        impl.optimizerName = optimizerName(options.optimizer);
        if (onEpoch)
            onEpoch(model, metrics);
        if (options.patience > 0 && state.epochsWithoutBetter >= options.patience) {
            result.stoppedEarly = true;
            break;
        }
        state.learningRate *= options.learningRateDecay;
        setLearningRate(*optimizer, state.learningRate);
    }
    net.to(torch::kCPU);
    return result;
}

} // namespace continuo
