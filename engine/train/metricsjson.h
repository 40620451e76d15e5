// SPDX-License-Identifier: GPL-3.0-or-later
// Epoch metrics as JSON: one object per epoch, as the CLI prints them and checkpoints keep them.
#pragma once

#include "train/trainer.h"

#include <string>
#include <vector>

namespace continuo {

/// {"epoch":1,"train_loss":…,"valid_loss":…,"perplexity":…,"accuracy":[{"top1":…,"top5":…}…],
///  "tokens_per_s":…,"seconds":…,"learning_rate":…,"best":true}
std::string epochMetricsJson(const EpochMetrics &metrics);
/// A JSON array of epochMetricsJson objects.
std::string metricsHistoryJson(const std::vector<EpochMetrics> &history);
/// Reads metricsHistoryJson back (a checkpoint's training curves). @throws ModelError if malformed.
std::vector<EpochMetrics> parseMetricsHistory(const std::string &json);

} // namespace continuo
