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

/// What a prompt is: a seed to continue, or the context of a gap to fill (its latest steps are the
/// notes after the gap).
enum class PromptKind { Seed, Gap };

/// The weight in each head of the model reading only its latest steps (GenerationSettings::
/// followSeed): -followSeed in the heads it contrasts, 0 in the others. After a seed, the heads up
/// to the pitch head (when and which note: velocity and duration gain nothing from it on
/// `bench continuation` and lose likelihood); in a gap, the pitch head alone (contrasting the
/// timing with the notes after the gap makes fills too dense or too sparse).
std::vector<double> followSeedWeights(const ModelSpec &spec, double followSeed, PromptKind kind);

/// Reads `promptSteps` (step-major, one token per head) into `model` and `blend` (when not null)
/// for one sequence per walker, then steps them all in one batch until every walker is done or
/// the job is cancelled; the model reading only its latest steps is contrasted at
/// settings.followSeed, and the piece memory mixed in at settings.stayClose. Reports progress.
/// Returns the steps taken. @throws GenerationError (a blend model that reads music otherwise,
/// nothing left to draw), ModelError.
std::int64_t walkToTheEnd(Model &model, Model *blend, const std::vector<std::int64_t> &promptSteps,
                          PromptKind kind, const std::vector<std::unique_ptr<Walker>> &walkers,
                          const GenerationSettings &settings, JobContext &context);

} // namespace continuo::generation
