// SPDX-License-Identifier: GPL-3.0-or-later
// Drawing the next token from a model's scores: temperature, top-k, top-p, repetition control.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace continuo {

/// A uniform double in [0, 1) from the top 53 bits of one draw: the same on every platform.
inline double uniformUnit(std::mt19937_64 &rng) { return double(rng() >> 11) * 0x1.0p-53; }

/// Draws a class from softmax(logits / temperature) with one uniform draw. Classes whose logit is
/// -infinity (masked) are never drawn. temperature > 0. @return -1 if every class is masked.
int sampleFromLogits(const float *logits, int count, double temperature, std::mt19937_64 &rng);

/// Turns logits into log-probabilities (a log-softmax), in place. Not for masked (-infinity) rows.
void toLogProbabilities(float *logits, int count);

/// Replaces `logits` by the log-probabilities of the geometric mixture p^(1 - w) q^w of their
/// distribution p and that of `other` (q, turned into log-probabilities in place): w in 0..1
/// blends, w < 0 contrasts (p^(1 + |w|) / q^|w|). Not for masked rows.
void mixGeometric(float *logits, float *other, int count, double w);

/// Replaces `logits` by the log-probabilities of the mixture (1 - share) p + share q of their
/// distribution p and that of `other` (q, turned into log-probabilities in place). share in 0..1.
/// A class masked (-infinity) in both stays masked; neither row may be wholly masked.
void mixArithmetic(float *logits, float *other, int count, double share);

/// How a token is drawn from the model's distribution.
struct SamplingControls
{
    double temperature = 1.0; ///< > 0; lower is safer, higher more surprising
    int topK = 0; ///< keep only the k likeliest classes; 0: all
    double topP = 1.0; ///< keep the smallest set of likeliest classes whose probability reaches p; 1: all
};

/// Draws tokens with SamplingControls from one random stream. Reuses its buffers: no allocation
/// per draw once warmed up. One per sequence; not thread-safe.
class TokenSampler
{
public:
    TokenSampler(SamplingControls controls, std::uint64_t rngSeed);
    /// Draws a class; masked classes (-infinity) are never drawn. The logits are modified (top-k
    /// and top-p mask what they leave out). @return -1 if every class is masked.
    int sample(float *logits, int count);

private:
    void keepTopK(float *logits, int count);
    void keepTopP(float *logits, int count);

    SamplingControls m_controls;
    std::mt19937_64 m_rng;
    std::vector<int> m_order;
    std::vector<float> m_scratch;
};

/// Discourages repeating what was just played: every occurrence of a token among the last
/// `window` content tokens divides its probability by `penalty`, and a token that would complete
/// an n-gram already present in the history is masked (no-repeat n-gram, n = noRepeatNgram).
/// Content tokens are the ones that carry pitch (performance NOTE_ONs, notes pitch sets); they
/// index the same logits that apply() changes.
class RepetitionControl
{
public:
    RepetitionControl(double penalty, int noRepeatNgram, int window = 32);
    bool isActive() const { return m_penalty != 1.0 || m_ngram > 1; }
    /// Appends a content token to the history.
    void push(int token);
    /// Lowers or masks the logits of content tokens 0..count-1.
    void apply(float *logits, int count) const;

private:
    double m_penalty;
    int m_ngram;
    int m_window;
    std::vector<int> m_history;
};

/// A seed for variation `index` of a generation seeded with `rngSeed` (splitmix64): each
/// variation has its own stream, so variation 2 is the same whether 2 or 8 were asked for.
std::uint64_t variationSeed(std::uint64_t rngSeed, int index);

} // namespace continuo
