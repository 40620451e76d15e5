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

/// After a seed, the pitch head is contrasted at this share of GenerationSettings::followSeed, the
/// heads before it at all of it. Chosen on bench continuation (validation files, three random
/// seeds): with the holds keeping the seed's key and register, half the setting keeps the figures
/// (span 5.80 to 5.68 semitones from the real music's, register 3.52, pitch content 0.724 to
/// 0.723; humanized seeds span 5.93 to 6.03) and makes the real continuations 0.37 nats per note
/// likelier as generated; without it pitch content falls to 0.714. A fill's pitch head keeps all
/// of it (at three quarters, bench fill finds pitch content 0.004 lower and the seam 0.04 nats
/// dearer).
constexpr double kSeedPitchFollowShare = 0.5;

/// The weight in each head of the model reading only its latest steps (GenerationSettings::
/// followSeed): negative in the heads it contrasts, 0 in the others. After a seed, the heads up
/// to the pitch head (when and which note: velocity and duration gain nothing from it on
/// `bench continuation` and lose likelihood), -followSeed before the pitch head and
/// -kSeedPitchFollowShare * followSeed in it; in a gap, the pitch head alone, at -followSeed
/// (contrasting the timing with the notes after the gap makes fills too dense or too sparse).
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
