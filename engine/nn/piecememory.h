// SPDX-License-Identifier: GPL-3.0-or-later
// Piece memory: a match model over the piece being read, mixed into the network's prediction.
// Music repeats itself (written-out repeats, recapitulations, accompaniment figures); a recurrent
// network forgets what it read a few hundred steps ago, the match model does not.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace continuo {

struct TokenCorpus;

/// After every step of a piece, finds the longest run of its latest steps (up to kMaxMatch) that
/// occurred earlier in the same piece and predicts the step that followed that run's latest
/// occurrence (once a run of kMaxMatch steps matches, the matcher follows it while it goes on).
/// A step is `heads` integers, matched whole. Not thread-safe.
class PieceMatcher
{
public:
    static constexpr int kMaxMatch = 32;
    explicit PieceMatcher(int heads);

    struct Prediction
    {
        int length = 0; ///< steps matched; 0: no prediction
        const std::int32_t *step =
            nullptr; ///< the predicted step; valid while the matcher lives, until its next append()
    };
    Prediction predict() const;
    /// Reads one more step (`heads` integers).
    void append(const std::int32_t *step);
    std::size_t size() const { return m_stepHashes.size(); }

private:
    bool sameRun(std::size_t endA, std::size_t endB, std::size_t length) const;
    void findLongestMatch();

    int m_heads;
    std::vector<std::int32_t> m_steps;
    std::vector<std::uint64_t> m_stepHashes;
    /// [k - 1]: hash of a run of k steps -> index of the step that followed its latest occurrence
    std::array<std::unordered_map<std::uint64_t, std::uint32_t>, kMaxMatch> m_followers;
    int m_matchLength = 0; ///< the match for the next step
    std::size_t m_follower = 0; ///< the index of the step it predicts
};

/// How far to trust the matcher: trust[h][k] is how often its prediction for head h was right
/// after a match of k steps (k = 0..kMaxMatch, trust[h][0] = 0), measured on training files.
/// Mixing gives p'(x) = t [x = predicted] + (1 - t) p(x). Empty: the model has no piece memory.
struct PieceMemory
{
    std::vector<std::vector<double>> trust;

    bool empty() const { return trust.empty(); }
    /// Counts the matcher's hits on `files` of `corpus` (smoothed: (hits + 1) / (tries + 2)). Any thread.
    static PieceMemory fit(const TokenCorpus &corpus, const std::vector<std::size_t> &files);
    /// Mixes the prediction for head `head` into its log-probabilities, in place. `strength` scales
    /// the trust (1: as measured, 0: the network alone).
    void mix(int head, const PieceMatcher::Prediction &prediction, float *logProbabilities, int classes,
             double strength = 1.0) const;
};

} // namespace continuo
