// SPDX-License-Identifier: GPL-3.0-or-later
// Piece memory: a match model over the piece being read, mixed into the network's prediction.
// Music repeats itself (written-out repeats, recapitulations, accompaniment figures); a recurrent
// network forgets what it read a few hundred steps ago, the match model does not.
#pragma once

#include "repr/representation.h"

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace continuo {

struct TokenCorpus;

/// After every step of a piece, finds the longest run of its latest steps (up to kMaxMatch) that
/// occurred earlier in the same piece and predicts the step that most often followed it (on a tie,
/// the one that followed it last). A step is `heads` integers; steps match when their first
/// `keyHeads` integers do (all of them unless told). Not thread-safe.
class PieceMatcher
{
public:
    static constexpr int kMaxMatch = 32;
    explicit PieceMatcher(int heads, int keyHeads = 0);

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
    int m_keyHeads;
    std::vector<std::int32_t> m_steps;
    std::vector<std::uint64_t> m_stepHashes;
    /// A step that followed a run: where it did last, and how often a step equal to it did.
    struct Follower
    {
        std::uint32_t latest;
        std::uint32_t count;
    };
    /// [k - 1]: hash of a run of k steps -> the different steps that followed it
    std::array<std::unordered_map<std::uint64_t, std::vector<Follower>>, kMaxMatch> m_followers;
    int m_matchLength = 0; ///< the match for the next step
    std::size_t m_follower = 0; ///< the index of the step it predicts
};

/// The chord tokens of a notes vocabulary as shapes (a pitch set less its lowest pitch) at a
/// lowest pitch, so that a passage can be recognised in another key. Empty for a vocabulary of
/// no pitch sets (the performance representation).
class ChordShapes
{
public:
    ChordShapes() = default;
    /// @param vocabulary  the pitch sets of tokens 1.. as ModelSpec::vocabulary holds them
    /// @throws ModelError if malformed
    explicit ChordShapes(const std::vector<std::string> &vocabulary);
    bool empty() const { return m_shapes.empty(); }

    struct Shape
    {
        int id = -1; ///< the same for every transposition of a pitch set; -1: no pitches
        int lowest = -1;
    };
    Shape shapeOf(std::int32_t token) const;
    /// The token of shape `id` with its lowest pitch at `lowest`, or -1 when the vocabulary has none.
    std::int32_t tokenOf(int id, int lowest) const;

private:
    std::vector<Shape> m_shapes; ///< by token
    std::unordered_map<std::int64_t, std::int32_t> m_tokens; ///< id * 128 + lowest -> token
};

/// What the matchers of a representation compare.
struct RecallLayout
{
    int heads = 1;
    /// Steps match on their first keyHeads tokens: a compound note matches on its time and pitch,
    /// as its duration and velocity vary between the repeats of a passage in a performance.
    int keyHeads = 1;
    /// The head of single pitches (compound), also matched as intervals from the pitch before; -1: none.
    int pitchHead = -1;

    /// Every step matched whole; no pitch head.
    static RecallLayout whole(int heads) { return { heads, heads, -1 }; }
    static RecallLayout of(Representation representation);
};

/// Reads one piece with two matchers: one on the steps as they are (PieceMatcher), and one on the
/// steps relative to the pitch before them, whose prediction is transposed to where the piece is
/// now, so that a sequence or a theme in another key is recognised. Notes: head 0 holds chord tokens
/// (`shapes` not empty), relative to the lowest pitch of the chord before. Compound: the layout's
/// pitch head, relative to the pitch of the step before. Otherwise there is no transposing matcher.
/// Not thread-safe; `shapes` must outlive it.
class PieceRecall
{
public:
    PieceRecall(const RecallLayout &layout, const ChordShapes &shapes);
    /// Whether the transposing matcher runs.
    bool transposes() const { return !m_shapes.empty() || m_layout.pitchHead >= 0; }

    /// A head's predicted class (-1: none) and the length of the match it comes from (0: none).
    struct Guess
    {
        std::int32_t value = -1;
        int length = 0;
    };
    Guess exact(int head) const;
    Guess transposed(int head) const;
    void append(const std::int32_t *step);

private:
    void appendRelativeChord(const std::int32_t *step);
    void appendRelativePitch(const std::int32_t *step);

    RecallLayout m_layout;
    const ChordShapes &m_shapes;
    PieceMatcher m_exact;
    /// Chords: shape, interval from the last lowest pitch, heads 1..; pitches: the step with its
    /// pitch as the interval from the last pitch
    PieceMatcher m_relative;
    int m_anchor = -1; ///< the (lowest) pitch of the latest step that had pitches
    std::vector<std::int32_t> m_scratch;
};

/// How far to trust the matchers: trust[h][k] is how often the exact matcher's prediction for head
/// h was right after a match of k steps (k = 0..kMaxMatch, trust[h][0] = 0), measured on training
/// files; transposedTrust the same for the transposing matcher (empty: not used). Mixing takes the
/// more trusted of the two predictions, p'(x) = t [x = predicted] + (1 - t) p(x). Empty: the model
/// has no piece memory.
struct PieceMemory
{
    std::vector<std::vector<double>> trust;
    std::vector<std::vector<double>> transposedTrust;
    std::vector<std::vector<double>> agreedTrust; ///< both predict the same: by the longer match

    bool empty() const { return trust.empty(); }
    /// The chord shapes a recall for this memory reads: those of the notes `vocabulary` when the
    /// memory trusts the transposing matcher on chords, none otherwise.
    ChordShapes shapesFor(const std::vector<std::string> &vocabulary) const
    {
        return ChordShapes(transposedTrust.empty() ? std::vector<std::string>() : vocabulary);
    }
    /// Counts the matchers' hits on `files` of `corpus` (smoothed: (hits + 1) / (tries + 2)).
    /// `vocabulary`: the notes vocabulary (ModelSpec::vocabulary), empty for the other
    /// representations. Any thread.
    static PieceMemory fit(const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                           const RecallLayout &layout, const std::vector<std::string> &vocabulary);
    /// Mixes what `recall` predicts for head `head` into its log-probabilities, in place.
    /// `strength` scales the trust (1: as measured, 0: the network alone).
    void mix(int head, const PieceRecall &recall, float *logProbabilities, int classes,
             double strength = 1.0) const;
};

} // namespace continuo
