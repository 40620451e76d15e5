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

namespace nn {

/// How the engine's own code (training, evaluation, generation) reaches a model's network and
/// training state; model.h shows the rest of the program only what it may use.
struct ModelAccess
{
    static Model::Impl &impl(Model &model) { return *model.m_impl; }
};

} // namespace nn

} // namespace continuo
