// SPDX-License-Identifier: GPL-3.0-or-later
// The inside of continuo::Model, for the engine's training and generation code only.
#pragma once

#include "nn/internal/network.h"
#include "nn/model.h"

#include <memory>
#include <string>

namespace continuo {

struct Model::Impl
{
    ModelSpec spec;
    std::shared_ptr<nn::Network> net;
    PieceMemory pieceMemory;
    /// The training optimizer's state as a LibTorch archive, and its name; empty when none.
    std::string optimizerState;
    std::string optimizerName;
};

} // namespace continuo
