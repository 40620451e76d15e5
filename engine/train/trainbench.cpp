// SPDX-License-Identifier: GPL-3.0-or-later
// Training-throughput benchmark over the real model code.
#include "train/trainbench.h"

#include "core/error.h"
#include "nn/internal/sequencenet.h"
#include "nn/internal/transformernet.h"
#include "train/internal/trainstep.h"

#include <chrono>

namespace continuo {

TrainBenchResult benchmarkTraining(const TrainBenchConfig &config)
{
    if (config.device != "cpu" && config.device != "cuda")
        throw ModelError("Unknown device \"" + config.device + "\" (use cpu or cuda).");
    if (config.device == "cuda" && !torch::cuda::is_available())
        throw ModelError("No CUDA device is available to this build of LibTorch.");
    if (config.threads > 0)
        torch::set_num_threads(config.threads);
    const torch::Device device(config.device == "cuda" ? torch::kCUDA : torch::kCPU);
    torch::manual_seed(0);

    std::shared_ptr<nn::Network> net;
    if (config.shape.arch == "transformer")
        net = std::make_shared<nn::TransformerNetImpl>(nn::TransformerNetOptions::of(config.shape));
    else
        net = std::make_shared<nn::SequenceNetImpl>(nn::SequenceNetOptions::of(config.shape));
    net->to(device);
    net->train();
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-3));
    // Random time-major inputs and targets [T, B, 1], as the peer uses random tokens.
    const auto longs = torch::TensorOptions().dtype(torch::kLong).device(device);
    const torch::Tensor x = torch::randint(config.shape.vocab, { config.seq, config.batch, 1 }, longs);
    const torch::Tensor y = torch::randint(config.shape.vocab, { config.seq, config.batch, 1 }, longs);
    const bool mixed = train::usesMixedPrecision(config.precision, *net, device);
    const auto step = [&] { return train::trainStep(*net, optimizer, x, y, 3.0, {}, mixed); };

    TrainBenchResult result;
    result.firstLoss = step().item<double>(); // warm-up
    if (device.is_cuda())
        torch::cuda::synchronize();
    const auto start = std::chrono::steady_clock::now();
    torch::Tensor loss;
    for (int i = 0; i < config.steps; ++i)
        loss = step();
    result.lastLoss = loss.item<double>();
    if (device.is_cuda())
        torch::cuda::synchronize();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.trainTokensPerSec = double(config.batch) * config.seq * config.steps / result.seconds;
    result.threads = int(torch::get_num_threads());
    result.device = config.device;
    result.mixedPrecision = mixed;
    return result;
}

} // namespace continuo
