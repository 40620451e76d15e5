// SPDX-License-Identifier: GPL-3.0-or-later
// Training and evaluation loops over the model's LibTorch network.
#include "train/trainer.h"

#include "core/error.h"
#include "nn/internal/modelimpl.h"
#include "train/internal/trainstep.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace continuo {

namespace {

using torch::Tensor;
using Clock = std::chrono::steady_clock;

torch::Device chooseDevice(const std::string &name)
{
    if (name == "cpu")
        return torch::kCPU;
    if (name == "cuda" || name == "auto") {
        if (torch::cuda::is_available())
            return torch::kCUDA;
        if (name == "cuda")
            throw ModelError(
                "No CUDA device is available to this build of LibTorch; train on the CPU instead.");
        return torch::kCPU;
    }
    throw ModelError("Unknown device \"" + name + "\" (auto, cpu or cuda).");
}

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

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const std::string &name,
                                                       std::vector<Tensor> parameters, double learningRate)
{
    if (name == "adam")
        return std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(learningRate));
    if (name == "rmsprop")
        return std::make_unique<torch::optim::RMSprop>(parameters,
                                                       torch::optim::RMSpropOptions(learningRate));
    if (name == "sgd")
        return std::make_unique<torch::optim::SGD>(parameters,
                                                   torch::optim::SGDOptions(learningRate).momentum(0.9));
    throw ModelError("Unknown optimizer \"" + name + "\" (adam, rmsprop or sgd).");
}

void setLearningRate(torch::optim::Optimizer &optimizer, double learningRate)
{
    for (auto &group : optimizer.param_groups())
        group.options().set_lr(learningRate);
}

/// Loss and accuracy over windows, in batches, without gradients.
EpochMetrics evaluateWindows(nn::SequenceNet &net, const std::vector<std::int32_t> &windows, int64_t steps,
                             int64_t heads, int batchSize, const torch::Device &device, JobContext &context)
{
    torch::NoGradGuard noGrad;
    net->eval();
    const int64_t windowValues = (steps + 1) * heads;
    const int64_t count = int64_t(windows.size()) / windowValues;
    EpochMetrics metrics;
    metrics.heads.assign(std::size_t(heads), {});
    double lossSum = 0.0;
    int64_t targets = 0;
    for (int64_t first = 0; first < count && !context.isCancelled(); first += batchSize) {
        const int64_t n = std::min<int64_t>(batchSize, count - first);
        const std::vector<std::int32_t> slice(windows.begin() + first * windowValues,
                                              windows.begin() + (first + n) * windowValues);
        const auto [x, y] = windowTensors(slice, n, steps, heads, device);
        const auto logits = net->forward(x).first;
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

EpochMetrics evaluateModel(Model &model, const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                           int sequenceLength, int batchSize, const std::string &device, JobContext &context)
{
    const torch::Device target = chooseDevice(device);
    const std::vector<std::int32_t> windows = sequentialWindows(corpus, files, std::size_t(sequenceLength));
    if (windows.empty())
        throw ModelError("No file is long enough for a window of " + std::to_string(sequenceLength)
                         + " steps.");
    auto &net = model.impl().net;
    net->to(target);
    EpochMetrics metrics =
        evaluateWindows(net, windows, sequenceLength, corpus.heads, batchSize, target, context);
    net->to(torch::kCPU);
    return metrics;
}

TrainResult trainModel(Model &model, const TokenCorpus &corpus, const FileSplit &split,
                       const TrainOptions &options, const Transposer &transposer, JobContext &context,
                       const EpochCallback &onEpoch)
{
    if (corpus.heads != int(model.spec().headSizes.size()))
        throw ModelError("The corpus was encoded for another representation than the model's.");
    const torch::Device device = chooseDevice(options.device);
    const int64_t steps = options.sequenceLength, heads = corpus.heads;
    WindowSampler sampler(corpus, split.train, std::size_t(steps), options.seed, options.maxTranspose,
                          transposer);
    if (sampler.isEmpty())
        throw ModelError("No training file is long enough for a window of " + std::to_string(steps)
                         + " steps.");
    const std::vector<std::int32_t> validation =
        sequentialWindows(corpus, split.validation, std::size_t(steps));
    if (validation.empty())
        throw ModelError("No validation file is long enough for a window of " + std::to_string(steps)
                         + " steps.");
    std::size_t trainSteps = 0;
    for (const std::size_t f : split.train)
        trainSteps += corpus.stepCount(f);
    const int batchesPerEpoch = options.stepsPerEpoch > 0
                                  ? options.stepsPerEpoch
                                  : std::max(1, int(trainSteps / std::size_t(options.batchSize * steps)));

    torch::manual_seed(options.seed);
    auto &net = model.impl().net;
    net->to(device);
    const auto optimizer = makeOptimizer(options.optimizer, net->parameters(), options.learningRate);
    TrainResult result;
    result.device = device.is_cuda() ? "cuda" : "cpu";
    double bestLoss = std::numeric_limits<double>::infinity(), learningRate = options.learningRate;
    int epochsWithoutBetter = 0;
    const int64_t totalBatches = int64_t(options.epochs) * batchesPerEpoch;

    for (int epoch = 1; epoch <= options.epochs && !result.cancelled; ++epoch) {
        net->train();
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
            lossSum += train::trainStep(net, *optimizer, x, y, options.gradientClip).item<double>();
            context.reportProgress(int64_t(epoch - 1) * batchesPerEpoch + batches + 1, totalBatches,
                                   "Epoch " + std::to_string(epoch) + " of "
                                       + std::to_string(options.epochs));
        }
        if (result.cancelled)
            break;
        const double trainSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        EpochMetrics metrics =
            evaluateWindows(net, validation, steps, heads, options.batchSize, device, context);
        metrics.epoch = epoch;
        metrics.trainLoss = lossSum / batches;
        metrics.tokensPerSec = double(batches) * options.batchSize * double(steps) / trainSeconds;
        metrics.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        metrics.learningRate = learningRate;
        metrics.isBest = metrics.validLoss < bestLoss;
        if (metrics.isBest) {
            bestLoss = metrics.validLoss;
            result.bestEpoch = epoch;
            epochsWithoutBetter = 0;
        } else {
            ++epochsWithoutBetter;
        }
        result.history.push_back(metrics);
        if (onEpoch)
            onEpoch(model, metrics);
        if (options.patience > 0 && epochsWithoutBetter >= options.patience) {
            result.stoppedEarly = true;
            break;
        }
        learningRate *= options.learningRateDecay;
        setLearningRate(*optimizer, learningRate);
    }
    net->to(torch::kCPU);
    return result;
}

} // namespace continuo
