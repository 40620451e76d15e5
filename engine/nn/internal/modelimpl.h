// SPDX-License-Identifier: GPL-3.0-or-later
// The inside of continuo::Model, for the engine's training and generation code only.
#pragma once

#include "nn/internal/sequencenet.h"
#include "nn/model.h"

namespace continuo {

struct Model::Impl
{
    ModelSpec spec;
    nn::SequenceNet net { nullptr };
};

} // namespace continuo
