// SPDX-License-Identifier: GPL-3.0-or-later
// Corpus statistics as JSON, as `eval --generated` and `bench continuation` print them.
#pragma once

#include "analysis/statistics.h"

#include <nlohmann/json.hpp>

namespace continuo::cli {

/// {"pitch_class": d, "interval": d, ...}: one distance per feature, null where undefined.
nlohmann::json distancesJson(const StatisticsDistances &distances);
/// {"pitch_class": [...], ...}: every feature's histogram, normalised.
nlohmann::json histogramsJson(const MusicStatistics &stats);

} // namespace continuo::cli
