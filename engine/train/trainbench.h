// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli bench train`: training throughput of Continuo's LSTM or Transformer, on the same work as the
// Python peer.
#pragma once

#include "nn/netshape.h"
#include "train/trainer.h"

#include <string>

namespace continuo {

/// The peer's flags (../shared/reference/torch_reference.py) and their defaults.
struct TrainBenchConfig
{
    NetShape shape;
    int batch = 32;
    int seq = 128;
    int steps = 6; ///< timed steps, after one warm-up step
    int threads = 0; ///< LibTorch intra-op threads; 0 leaves LibTorch's default
    std::string device = "cpu"; ///< "cpu" or "cuda"
    Precision precision = Precision::Auto; ///< as training takes it
};

struct TrainBenchResult
{
    double trainTokensPerSec = 0.0;
    double seconds = 0.0;
    double firstLoss = 0.0; ///< loss of the warm-up step (about ln(vocab) for random data)
    double lastLoss = 0.0;
    int threads = 0;
    std::string device;
    bool mixedPrecision = false; ///< the products ran in bfloat16
};

/// Builds Continuo's sequence model (embedding, LSTM layers or Transformer blocks, linear head) with seed 0,
/// then times `steps` of the training loop's own step: Adam (lr 1e-3, gradient norm clipped at 3) of
/// teacher-forced cross-entropy on random tokens, as the peer does. Blocks the calling thread.
/// @throws ModelError if the device is unknown or unavailable.
TrainBenchResult benchmarkTraining(const TrainBenchConfig &config);

} // namespace continuo
