// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of a model on whole files: every step predicted from everything before it in its file.
#pragma once

#include "data/dataset.h"
#include "jobs/jobcontext.h"
#include "nn/model.h"
#include "train/trainer.h"

#include <optional>
#include <string>
#include <vector>

namespace continuo {

struct ModelEvaluation
{
    EpochMetrics network; ///< the network alone (validLoss, perplexity, heads)
    std::optional<EpochMetrics> withMemory; ///< with the model's piece memory, when it has one
    std::size_t files = 0; ///< files long enough to score (two steps or more)
    std::size_t steps = 0; ///< steps scored
};

/// Reads each of `files` from its first step to its last, as generation does: an LSTM carries its
/// state from one chunk of `chunkSteps` steps to the next, another network re-reads as many steps
/// (64 at least) before each chunk. Every step after a file's first is scored, by the network alone and mixed
/// with the model's piece memory. Reports progress per chunk; on cancel, returns what it has.
/// Call on a job's worker thread. @throws ModelError (no file to score, unknown device).
ModelEvaluation evaluateFiles(Model &model, const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                              int chunkSteps, const std::string &device, JobContext &context);

} // namespace continuo
