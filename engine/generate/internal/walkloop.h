// SPDX-License-Identifier: GPL-3.0-or-later
// The sampling loop that every generation shares: the model (and a blend model) read a prompt once,
// then each walker draws its sequence's steps until it is done. Internal to engine/generate.
#pragma once

#include "generate/generator.h"
#include "generate/internal/walker.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace continuo::generation {

/// Reads `promptSteps` (step-major, one token per head) into `model` and `blend` (when not null)
/// for one sequence per walker, then steps them all in one batch until every walker is done or
/// the job is cancelled; the piece memory is mixed in at settings.stayClose. Reports progress.
/// Returns the steps taken. @throws GenerationError (a blend model that reads music otherwise,
/// nothing left to draw), ModelError.
std::int64_t walkToTheEnd(Model &model, Model *blend, const std::vector<std::int64_t> &promptSteps,
                          const std::vector<std::unique_ptr<Walker>> &walkers,
                          const GenerationSettings &settings, JobContext &context);

} // namespace continuo::generation
