// SPDX-License-Identifier: GPL-3.0-or-later
// Generation latency benchmark.
#include "generate/generatebench.h"

#include "generate/sampling.h"
#include "nn/computeinfo.h"
#include "nn/internal/lstmstepper.h"
#include "nn/internal/transformerstepper.h"

#include <chrono>
#include <functional>
#include <memory>
#include <set>

namespace continuo {

GenerateBenchResult benchmarkGeneration(const GenerateBenchConfig &config)
{
    if (config.threads > 0)
        torch::set_num_threads(config.threads);
    torch::manual_seed(0);
    const SingleThreadedBlas singleThreaded; // as generation runs
    std::mt19937_64 rng(0);
    std::int64_t token = 0;
    std::set<std::int64_t> drawn;
    const auto draw = [&](float *logits) {
        token = sampleFromLogits(logits, config.shape.vocab, 1.0, rng);
        drawn.insert(token);
    };
    std::function<void()> step; // holds the network and its stepper
    if (config.shape.arch == "transformer") {
        // The cache holds every token of the run (no eviction), as the peer's does.
        auto net = std::make_shared<nn::TransformerNetImpl>(nn::TransformerNetOptions::of(config.shape));
        net->eval();
        auto stepper = std::make_shared<nn::TransformerStepper>(*net, 1, config.gen + 64 + 96);
        stepper->prime({ token });
        step = [net, stepper, &draw, &token] {
            stepper->step(&token);
            draw(stepper->headLogits(0, 0, nullptr));
        };
    } else {
        auto net = std::make_shared<nn::SequenceNetImpl>(nn::SequenceNetOptions::of(config.shape));
        net->eval();
        auto stepper = std::make_shared<nn::LstmStepper>(*net, 1);
        step = [net, stepper, &draw, &token] { draw(stepper->step(&token)[0].data_ptr<float>()); };
    }
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
