// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli bench generate`: one-event-at-a-time sampling latency, on the same work as the Python peer.
#pragma once

#include "nn/netshape.h"

#include <string>

namespace continuo {

/// The peer's flags (../shared/reference/torch_reference.py) that concern generation.
struct GenerateBenchConfig
{
    NetShape shape;
    int gen = 300; ///< tokens to sample, after 10 warm-up steps
    int threads = 0; ///< LibTorch intra-op threads; 0 leaves LibTorch's default
};

struct GenerateBenchResult
{
    double msPerToken = 0.0;
    double seconds = 0.0;
    int distinctTokens = 0; ///< how many different tokens were drawn (a sanity figure)
    int threads = 0;
};

/// Builds Continuo's sequence model with seed 0 and samples `gen` tokens one at a time at batch 1
/// through the generation path (LstmStepper, or TransformerStepper with its key/value cache): each
/// step reads the last token and draws from the softmax at temperature 1, as the peer does. CPU.
/// Blocks.
GenerateBenchResult benchmarkGeneration(const GenerateBenchConfig &config);

} // namespace continuo
