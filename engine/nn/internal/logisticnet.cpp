// SPDX-License-Identifier: GPL-3.0-or-later
// Logistic-regression baseline network.
#include "nn/internal/logisticnet.h"

#include <algorithm>
#include <numeric>
#include <string>

namespace continuo::nn {

namespace {

/// [classes, maxFeatures] feature indices per class, shifted by `offset`, padded with `padding`.
torch::Tensor featureTable(const std::vector<std::vector<int64_t>> &features, int64_t classes, int64_t offset,
                           int64_t padding)
{
    if (features.empty())
        return torch::arange(offset, offset + classes, torch::kLong).unsqueeze(1);
    std::size_t width = 1;
    for (const auto &list : features)
        width = std::max(width, list.size());
    torch::Tensor table = torch::full({ classes, int64_t(width) }, padding, torch::kLong);
    auto rows = table.accessor<int64_t, 2>();
    for (std::size_t c = 0; c < features.size() && int64_t(c) < classes; ++c)
        for (std::size_t i = 0; i < features[c].size(); ++i)
            rows[int64_t(c)][int64_t(i)] = offset + features[c][i];
    return table;
}

int64_t featureCount(const std::vector<std::vector<int64_t>> &features, int64_t classes)
{
    if (features.empty())
        return classes;
    int64_t count = 0;
    for (const auto &list : features)
        for (const int64_t f : list)
            count = std::max(count, f + 1);
    return count;
}

} // namespace

LogisticNetImpl::LogisticNetImpl(LogisticNetOptions options) : m_options(std::move(options))
{
    const auto &sizes = m_options.headSizes;
    m_options.features.resize(sizes.size());
    m_outputs = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
    for (std::size_t h = 0; h < sizes.size(); ++h)
        m_stepFeatures += featureCount(m_options.features[h], sizes[h]);
    for (int64_t h = 0, offset = 0; h < int64_t(sizes.size()); ++h) {
        const auto &features = m_options.features[std::size_t(h)];
        m_featureTables.push_back(
            register_buffer("features" + std::to_string(h),
                            featureTable(features, sizes[std::size_t(h)], offset, m_stepFeatures)));
        offset += featureCount(features, sizes[std::size_t(h)]);
    }
    const int64_t padding = m_options.window * m_stepFeatures;
    m_weights = register_module(
        "weights",
        torch::nn::EmbeddingBag(
            torch::nn::EmbeddingBagOptions(padding + 1, m_outputs).mode(torch::kSum).padding_idx(padding)));
    torch::NoGradGuard noGrad;
    m_weights->weight.zero_();
    m_bias = register_parameter("bias", torch::zeros({ m_outputs }));
}

std::vector<torch::Tensor> LogisticNetImpl::logits(const torch::Tensor &tokens)
{
    const int64_t steps = tokens.size(0), batch = tokens.size(1);
    const int64_t padding = m_options.window * m_stepFeatures;
    // The features of each step: [T, B, features per step], padded with m_stepFeatures.
    std::vector<torch::Tensor> perHead;
    for (std::size_t h = 0; h < m_featureTables.size(); ++h)
        perHead.push_back(m_featureTables[h]
                              .index_select(0, tokens.select(2, int64_t(h)).reshape({ -1 }))
                              .view({ steps, batch, -1 }));
    const torch::Tensor stepFeatures = torch::cat(perHead, 2);
    const torch::Tensor isPadding = stepFeatures.eq(m_stepFeatures);
    // The bag of position t: the features of step t - lag, moved to the rows of that lag.
    std::vector<torch::Tensor> lags;
    for (int64_t lag = 0; lag < std::min(m_options.window, steps); ++lag) {
        const torch::Tensor rows = torch::where(isPadding, torch::full_like(stepFeatures, padding),
                                                stepFeatures + lag * m_stepFeatures);
        lags.push_back(
            torch::constant_pad_nd(rows.narrow(0, 0, steps - lag), { 0, 0, 0, 0, lag, 0 }, double(padding)));
    }
    const torch::Tensor bags = torch::cat(lags, 2).view({ steps * batch, -1 });
    const torch::Tensor sum = (m_weights(bags) + m_bias).view({ steps, batch, m_outputs });
    std::vector<torch::Tensor> out;
    int64_t first = 0;
    for (const int64_t size : m_options.headSizes) {
        out.push_back(sum.narrow(2, first, size));
        first += size;
    }
    return out;
}

} // namespace continuo::nn
