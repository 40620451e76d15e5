// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax sampling without allocation.
#include "generate/sampling.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuo {

namespace {
constexpr float kMasked = -std::numeric_limits<float>::infinity();
}

void mixGeometric(float *logits, float *other, int count, double w)
{
    toLogProbabilities(logits, count);
    toLogProbabilities(other, count);
    for (int c = 0; c < count; ++c)
        logits[c] = float((1 - w) * logits[c] + w * other[c]);
    toLogProbabilities(logits, count);
}

void mixArithmetic(float *logits, float *other, int count, double share)
{
    toLogProbabilities(logits, count);
    toLogProbabilities(other, count);
    const double keep = std::log1p(-share), take = std::log(share);
    for (int c = 0; c < count; ++c) {
        const double a = keep + logits[c], b = take + other[c];
        const double top = std::max(a, b);
        if (std::isinf(top) && top < 0)
            continue; // impossible in both
        logits[c] = float(top + std::log1p(std::exp(std::min(a, b) - top)));
    }
}

void toLogProbabilities(float *logits, int count)
{
    const float top = *std::max_element(logits, logits + count);
    double sum = 0;
    for (int c = 0; c < count; ++c)
        sum += std::exp(double(logits[c] - top));
    const auto logSum = float(double(top) + std::log(sum));
    for (int c = 0; c < count; ++c)
        logits[c] -= logSum;
}

int sampleFromLogits(const float *logits, int count, double temperature, std::mt19937_64 &rng)
{
    float top = kMasked;
    for (int i = 0; i < count; ++i)
        top = std::max(top, logits[i]);
    if (top == kMasked)
        return -1;
    const double scale = 1.0 / temperature;
    double total = 0.0;
    for (int i = 0; i < count; ++i)
        total += std::exp(double(logits[i] - top) * scale);
    double target = uniformUnit(rng) * total;
    int last = -1;
    for (int i = 0; i < count; ++i) {
        if (logits[i] == kMasked)
            continue;
        last = i;
        target -= std::exp(double(logits[i] - top) * scale);
        if (target < 0)
            return i;
    }
    return last; // rounding left a sliver of probability: the last possible class
}

TokenSampler::TokenSampler(SamplingControls controls, std::uint64_t rngSeed)
    : m_controls(controls), m_rng(rngSeed)
{ }

int TokenSampler::sample(float *logits, int count)
{
    if (m_controls.topK > 0 && m_controls.topK < count)
        keepTopK(logits, count);
    if (m_controls.topP < 1.0)
        keepTopP(logits, count);
    return sampleFromLogits(logits, count, m_controls.temperature, m_rng);
}

void TokenSampler::keepTopK(float *logits, int count)
{
    // The k-th largest logit is the threshold; ties at the threshold are kept in index order.
    m_scratch.assign(logits, logits + count);
    const auto kth = m_scratch.begin() + (m_controls.topK - 1);
    std::nth_element(m_scratch.begin(), kth, m_scratch.end(), std::greater<float>());
    const float threshold = *kth;
    int kept = 0;
    for (int i = 0; i < count; ++i)
        if (logits[i] > threshold)
            ++kept;
    for (int i = 0; i < count; ++i) {
        if (logits[i] < threshold)
            logits[i] = kMasked;
        else if (logits[i] == threshold && threshold != kMasked && kept++ >= m_controls.topK)
            logits[i] = kMasked;
    }
}

void TokenSampler::keepTopP(float *logits, int count)
{
    // Probabilities at the sampling temperature, likeliest first (ties by index, so it is stable).
    m_order.clear();
    for (int i = 0; i < count; ++i)
        if (logits[i] != kMasked)
            m_order.push_back(i);
    if (m_order.empty())
        return;
    std::sort(m_order.begin(), m_order.end(),
              [logits](int a, int b) { return logits[a] > logits[b] || (logits[a] == logits[b] && a < b); });
    const double scale = 1.0 / m_controls.temperature;
    const float top = logits[m_order.front()];
    double total = 0.0;
    for (int i : m_order)
        total += std::exp(double(logits[i] - top) * scale);
    double cumulative = 0.0;
    std::size_t keep = 0;
    while (keep < m_order.size() && cumulative < m_controls.topP * total)
        cumulative += std::exp(double(logits[m_order[keep++]] - top) * scale);
    for (std::size_t j = std::max<std::size_t>(keep, 1); j < m_order.size(); ++j)
        logits[m_order[j]] = kMasked;
}

RepetitionControl::RepetitionControl(double penalty, int noRepeatNgram, int window)
    : m_penalty(penalty), m_ngram(noRepeatNgram), m_window(window)
{ }

void RepetitionControl::push(int token) { m_history.push_back(token); }

void RepetitionControl::apply(float *logits, int count) const
{
    const auto inRange = [count](int token) { return token >= 0 && token < count; };
    if (m_penalty != 1.0) {
        const float step = float(std::log(m_penalty));
        const std::size_t from = m_history.size() > std::size_t(m_window) ? m_history.size() - m_window : 0;
        for (std::size_t i = from; i < m_history.size(); ++i)
            if (inRange(m_history[i]))
                logits[m_history[i]] -= step;
    }
    if (m_ngram < 2 || m_history.size() < std::size_t(m_ngram - 1))
        return;
    // Every earlier occurrence of the last n-1 tokens bans the token that followed it.
    const std::size_t prefix = std::size_t(m_ngram - 1);
    const auto tail = m_history.end() - std::ptrdiff_t(prefix);
    for (std::size_t start = 0; start + prefix < m_history.size(); ++start)
        if (std::equal(tail, m_history.end(), m_history.begin() + std::ptrdiff_t(start))
            && inRange(m_history[start + prefix]))
            logits[m_history[start + prefix]] = kMasked;
}

std::uint64_t variationSeed(std::uint64_t rngSeed, int index)
{
    std::uint64_t z = rngSeed + 0x9E3779B97F4A7C15ull * std::uint64_t(index + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace continuo
