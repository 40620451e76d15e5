// SPDX-License-Identifier: GPL-3.0-or-later
// Generation latency benchmark.
#include "generate/generatebench.h"

#include "generate/sampling.h"
#include "nn/computeinfo.h"
#include "nn/internal/lstmstepper.h"

#include <chrono>
#include <set>

namespace continuo {

GenerateBenchResult benchmarkGeneration(const GenerateBenchConfig &config)
{
    if (config.threads > 0)
        torch::set_num_threads(config.threads);
    torch::manual_seed(0);
    nn::SequenceNet net(nn::SequenceNetOptions::of(config.shape));
    net->eval();
    nn::LstmStepper stepper(*net, 1);
    const SingleThreadedBlas singleThreaded; // as generation runs
    std::mt19937_64 rng(0);
    std::int64_t token = 0;
    std::set<std::int64_t> drawn;
    const auto step = [&] {
        const torch::Tensor &logits = stepper.step(&token)[0];
        token = sampleFromLogits(logits.data_ptr<float>(), config.shape.vocab, 1.0, rng);
        drawn.insert(token);
    };
    for (int i = 0; i < 10; ++i) // warm-up
        step();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < config.gen; ++i)
        step();
    GenerateBenchResult result;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.msPerToken = result.seconds / config.gen * 1000.0;
    result.distinctTokens = int(drawn.size());
    result.threads = int(torch::get_num_threads());
    return result;
}

} // namespace continuo
