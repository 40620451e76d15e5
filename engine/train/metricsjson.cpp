// SPDX-License-Identifier: GPL-3.0-or-later
// Epoch metrics to and from JSON.
#include "train/metricsjson.h"

#include "core/error.h"

#include <nlohmann/json.hpp>

namespace continuo {

namespace {

using nlohmann::json;

json toJson(const EpochMetrics &m)
{
    json heads = json::array();
    for (const HeadAccuracy &h : m.heads)
        heads.push_back({ { "top1", h.top1 }, { "top5", h.top5 } });
    return { { "epoch", m.epoch },          { "train_loss", m.trainLoss },
             { "valid_loss", m.validLoss }, { "perplexity", m.perplexity },
             { "accuracy", heads },         { "tokens_per_s", m.tokensPerSec },
             { "seconds", m.seconds },      { "learning_rate", m.learningRate },
             { "best", m.isBest } };
}

EpochMetrics fromJson(const json &j)
{
    EpochMetrics m;
    m.epoch = j.at("epoch").get<int>();
    m.trainLoss = j.at("train_loss").get<double>();
    m.validLoss = j.at("valid_loss").get<double>();
    m.perplexity = j.at("perplexity").get<double>();
    for (const json &head : j.at("accuracy"))
        m.heads.push_back({ head.at("top1").get<double>(), head.at("top5").get<double>() });
    m.tokensPerSec = j.at("tokens_per_s").get<double>();
    m.seconds = j.at("seconds").get<double>();
    m.learningRate = j.at("learning_rate").get<double>();
    m.isBest = j.at("best").get<bool>();
    return m;
}

} // namespace

std::string epochMetricsJson(const EpochMetrics &metrics) { return toJson(metrics).dump(); }

std::string metricsHistoryJson(const std::vector<EpochMetrics> &history)
{
    json all = json::array();
    for (const EpochMetrics &m : history)
        all.push_back(toJson(m));
    return all.dump();
}

std::vector<EpochMetrics> parseMetricsHistory(const std::string &text)
{
    try {
        std::vector<EpochMetrics> history;
        for (const json &epoch : json::parse(text))
            history.push_back(fromJson(epoch));
        return history;
    } catch (const json::exception &error) {
        throw ModelError("The training history is damaged.", error.what());
    }
}

} // namespace continuo
