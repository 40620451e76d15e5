// SPDX-License-Identifier: GPL-3.0-or-later
// Corpus statistics and continuation figures as JSON, as `eval --generated` and the benchmarks print them.
#pragma once

#include "analysis/continuationmetrics.h"
#include "analysis/statistics.h"

#include <nlohmann/json.hpp>

namespace continuo::cli {

/// {"pitch_class": d, "interval": d, ...}: one distance per feature, null where undefined.
nlohmann::json distancesJson(const StatisticsDistances &distances);
/// {"pitch_class": [...], ...}: every feature's histogram, normalised.
nlohmann::json histogramsJson(const MusicStatistics &stats);
/// A figure, or null when it is undefined (NaN).
nlohmann::json figureJson(double value);
/// {"pitch_content":…, "key":…, "density":…, "register":…, "span":…, "rhythm":…, "loop":…}.
nlohmann::json continuationFiguresJson(const ContinuationFigures &figures);

} // namespace continuo::cli
