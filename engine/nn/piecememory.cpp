// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/piecememory.h"

#include "data/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace continuo {

namespace {

std::uint64_t stepHash(const std::int32_t *step, int heads)
{
    std::uint64_t hash = 0x9e3779b97f4a7c15ull;
    for (int h = 0; h < heads; ++h) {
        hash ^= std::uint64_t(std::uint32_t(step[h])) + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2);
        hash *= 0xff51afd7ed558ccdull;
    }
    return hash;
}

/// The hash of a run, one step longer at its start.
std::uint64_t extend(std::uint64_t runHash, std::uint64_t stepHash)
{
    std::uint64_t hash = runHash * 0xc4ceb9fe1a85ec53ull + stepHash;
    return hash ^ (hash >> 29);
}

} // namespace

PieceMatcher::PieceMatcher(int heads) : m_heads(heads) { }

bool PieceMatcher::sameRun(std::size_t endA, std::size_t endB, std::size_t length) const
{
    const std::size_t width = std::size_t(m_heads);
    return std::memcmp(&m_steps[(endA - length) * width], &m_steps[(endB - length) * width],
                       length * width * sizeof(std::int32_t))
        == 0;
}

PieceMatcher::Prediction PieceMatcher::predict() const
{
    Prediction prediction;
    if (m_matchLength > 0) {
        prediction.length = m_matchLength;
        prediction.step = &m_steps[m_follower * std::size_t(m_heads)];
    }
    return prediction;
}

void PieceMatcher::findLongestMatch()
{
    const std::size_t n = size();
    m_matchLength = 0;
    std::uint64_t hash = 0;
    std::size_t length = 0, follower = 0;
    for (std::size_t k = 1; k <= std::min<std::size_t>(kMaxMatch, n); ++k) {
        hash = extend(hash, m_stepHashes[n - k]);
        const auto &followers = m_followers[k - 1];
        const auto found = followers.find(hash);
        if (found == followers.end())
            break; // a longer run cannot have occurred if this one did not
        length = k;
        follower = found->second;
    }
    // The 64-bit hashes stand for the runs on the way; the run found is compared in full.
    if (length > 0 && sameRun(follower, n, length)) {
        m_matchLength = int(length);
        m_follower = follower;
    }
}

void PieceMatcher::append(const std::int32_t *step)
{
    const std::size_t n = size();
    std::uint64_t hash = 0;
    for (std::size_t k = 1; k <= std::min<std::size_t>(kMaxMatch, n); ++k) {
        hash = extend(hash, m_stepHashes[n - k]);
        m_followers[k - 1][hash] = std::uint32_t(n);
    }
    const bool continues = m_matchLength == kMaxMatch
                        && std::equal(step, step + m_heads, &m_steps[m_follower * std::size_t(m_heads)]);
    m_steps.insert(m_steps.end(), step, step + m_heads);
    m_stepHashes.push_back(stepHash(step, m_heads));
    if (continues)
        ++m_follower; // the longest run goes on: no need to look it up again
    else
        findLongestMatch();
}

PieceMemory PieceMemory::fit(const TokenCorpus &corpus, const std::vector<std::size_t> &files)
{
    const std::size_t heads = std::size_t(corpus.heads), lengths = PieceMatcher::kMaxMatch + 1;
    std::vector<std::vector<double>> hits(heads, std::vector<double>(lengths)), tries = hits;
    for (const std::size_t file : files) {
        const std::vector<std::int32_t> &steps = corpus.sequences[file];
        PieceMatcher matcher(corpus.heads);
        for (std::size_t t = 0; t < corpus.stepCount(file); ++t) {
            const std::int32_t *step = &steps[t * heads];
            const PieceMatcher::Prediction prediction = matcher.predict();
            for (std::size_t h = 0; h < heads && prediction.length > 0; ++h) {
                tries[h][std::size_t(prediction.length)] += 1;
                hits[h][std::size_t(prediction.length)] += prediction.step[h] == step[h] ? 1 : 0;
            }
            matcher.append(step);
        }
    }
    PieceMemory memory;
    memory.trust.assign(heads, std::vector<double>(lengths, 0.0));
    for (std::size_t h = 0; h < heads; ++h)
        for (std::size_t k = 1; k < lengths; ++k)
            memory.trust[h][k] = (hits[h][k] + 1) / (tries[h][k] + 2);
    return memory;
}

void PieceMemory::mix(int head, const PieceMatcher::Prediction &prediction, float *logProbabilities,
                      int classes, double strength) const
{
    if (empty() || prediction.length == 0 || strength <= 0)
        return;
    const int predicted = prediction.step[head];
    if (predicted < 0 || predicted >= classes)
        return;
    const double trusted = std::min(1.0, strength) * trust[std::size_t(head)][std::size_t(prediction.length)];
    const float keep = float(std::log1p(-trusted));
    for (int c = 0; c < classes; ++c)
        logProbabilities[c] += keep;
    const double network = std::exp(double(logProbabilities[predicted])); // already scaled by 1 - trusted
    logProbabilities[predicted] = float(std::log(trusted + network));
}

} // namespace continuo
