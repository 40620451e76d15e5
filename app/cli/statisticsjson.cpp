// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/statisticsjson.h"

#include <cmath>

namespace continuo::cli {

nlohmann::json distancesJson(const StatisticsDistances &distances)
{
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t f = 0; f < kFeatureCount; ++f)
        j[featureKey(Feature(f))] =
            std::isfinite(distances[f]) ? nlohmann::json(distances[f]) : nlohmann::json();
    return j;
}

nlohmann::json histogramsJson(const MusicStatistics &stats)
{
    nlohmann::json j = nlohmann::json::object();
    for (std::size_t f = 0; f < kFeatureCount; ++f)
        j[featureKey(Feature(f))] = stats.histograms[f].normalised();
    return j;
}

nlohmann::json figureJson(double value)
{
    return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

nlohmann::json continuationFiguresJson(const ContinuationFigures &f)
{
    return { { "pitch_content", figureJson(f.pitchContent) },
             { "key", figureJson(f.key) },
             { "density", figureJson(f.density) },
             { "register", figureJson(f.registerMean) },
             { "span", figureJson(f.registerSpan) },
             { "rhythm", figureJson(f.rhythm) },
             { "loop", figureJson(f.loop) } };
}

} // namespace continuo::cli
