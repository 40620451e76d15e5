// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/piecememory.h"

#include "core/error.h"
#include "data/dataset.h"
#include "repr/compound.h"
#include "repr/notes.h"

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

PieceMatcher::PieceMatcher(int heads, int keyHeads)
    : m_heads(heads), m_keyHeads(keyHeads > 0 ? keyHeads : heads)
{ }

bool PieceMatcher::sameRun(std::size_t endA, std::size_t endB, std::size_t length) const
{
    const std::size_t width = std::size_t(m_heads);
    const std::size_t key = std::size_t(m_keyHeads) * sizeof(std::int32_t);
    for (std::size_t k = 1; k <= length; ++k)
        if (std::memcmp(&m_steps[(endA - k) * width], &m_steps[(endB - k) * width], key) != 0)
            return false;
    return true;
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
    const std::vector<Follower> *followers = nullptr;
    std::size_t length = 0;
    for (std::size_t k = 1; k <= std::min<std::size_t>(kMaxMatch, n); ++k) {
        hash = extend(hash, m_stepHashes[n - k]);
        const auto found = m_followers[k - 1].find(hash);
        if (found == m_followers[k - 1].end())
            break; // a longer run cannot have occurred if this one did not
        length = k;
        followers = &found->second;
    }
    if (length == 0)
        return;
    const Follower *chosen = &followers->front();
    for (const Follower &f : *followers)
        if (f.count > chosen->count || (f.count == chosen->count && f.latest > chosen->latest))
            chosen = &f;
    // The 64-bit hashes stand for the runs on the way; the run found is compared in full.
    if (sameRun(chosen->latest, n, length)) {
        m_matchLength = int(length);
        m_follower = chosen->latest;
    }
}

void PieceMatcher::append(const std::int32_t *step)
{
    const std::size_t n = size();
    const std::uint64_t newHash = stepHash(step, m_keyHeads);
    std::uint64_t hash = 0;
    for (std::size_t k = 1; k <= std::min<std::size_t>(kMaxMatch, n); ++k) {
        hash = extend(hash, m_stepHashes[n - k]);
        std::vector<Follower> &followers = m_followers[k - 1][hash];
        const auto same = std::find_if(followers.begin(), followers.end(),
                                       [&](const Follower &f) { return m_stepHashes[f.latest] == newHash; });
        if (same == followers.end())
            followers.push_back({ std::uint32_t(n), 1 });
        else
            *same = { std::uint32_t(n), same->count + 1 };
    }
    m_steps.insert(m_steps.end(), step, step + m_heads);
    m_stepHashes.push_back(newHash);
    findLongestMatch();
}

ChordShapes::ChordShapes(const std::vector<std::string> &vocabulary)
{
    if (vocabulary.empty())
        return;
    const NotesVocabulary notes = NotesVocabulary::fromPitchSetsText(vocabulary);
    std::unordered_map<std::string, int> ids; // shape as text -> id
    m_shapes.resize(std::size_t(notes.size()));
    for (int token = 1; token < notes.size(); ++token) {
        const PitchSet &pitches = notes.pitchSetOf(token);
        if (pitches.empty())
            continue;
        PitchSet shape = pitches;
        for (int &pitch : shape)
            pitch -= pitches.front();
        const int id = ids.emplace(notesrepr::pitchSetText(shape), int(ids.size())).first->second;
        m_shapes[std::size_t(token)] = { id, pitches.front() };
        m_tokens[std::int64_t(id) * 128 + pitches.front()] = token;
    }
}

ChordShapes::Shape ChordShapes::shapeOf(std::int32_t token) const
{
    return token >= 0 && std::size_t(token) < m_shapes.size() ? m_shapes[std::size_t(token)] : Shape {};
}

std::int32_t ChordShapes::tokenOf(int id, int lowest) const
{
    if (id < 0 || lowest < 0 || lowest > 127)
        return -1;
    const auto found = m_tokens.find(std::int64_t(id) * 128 + lowest);
    return found == m_tokens.end() ? -1 : found->second;
}

namespace {
constexpr std::int32_t kNoInterval = 1000; ///< no lowest pitch before this step
constexpr std::int32_t kControlBase = 2000; ///< + a compound pitch-head control token (wait, hold)
} // namespace

RecallLayout RecallLayout::of(Representation representation)
{
    switch (representation) {
    case Representation::Performance: return whole(1);
    case Representation::Notes: return whole(3);
    case Representation::Compound: return { compoundrepr::kHeads, 2, 1 };
    }
    return whole(1);
}

PieceRecall::PieceRecall(const RecallLayout &layout, const ChordShapes &shapes)
    : m_layout(layout)
    , m_shapes(shapes)
    , m_exact(layout.heads, layout.keyHeads)
    , m_relative(shapes.empty() ? PieceMatcher(layout.heads, layout.keyHeads)
                                : PieceMatcher(layout.heads + 1))
    , m_scratch(std::size_t(layout.heads + 1))
{ }

PieceRecall::Guess PieceRecall::exact(int head) const
{
    const PieceMatcher::Prediction p = m_exact.predict();
    return p.length > 0 ? Guess { p.step[head], p.length } : Guess {};
}

PieceRecall::Guess PieceRecall::transposed(int head) const
{
    const PieceMatcher::Prediction p = m_relative.predict();
    if (!transposes() || p.length == 0)
        return {};
    if (m_shapes.empty()) { // single pitches
        const std::int32_t value = p.step[head];
        if (head != m_layout.pitchHead)
            return { value, p.length };
        if (value >= kControlBase)
            return { value - kControlBase, p.length };
        const std::int32_t pitch = m_anchor + value;
        if (value == kNoInterval || m_anchor < 0 || pitch < 0 || pitch > 127)
            return {};
        return { pitch, p.length };
    }
    if (head > 0)
        return { p.step[head + 1], p.length };
    const std::int32_t shape = p.step[0], interval = p.step[1];
    if (shape < 0) // a token without pitches, as it is
        return { -1 - shape, p.length };
    if (interval == kNoInterval || m_anchor < 0)
        return {};
    const std::int32_t token = m_shapes.tokenOf(shape, m_anchor + interval);
    return token >= 0 ? Guess { token, p.length } : Guess {};
}

void PieceRecall::append(const std::int32_t *step)
{
    m_exact.append(step);
    if (!m_shapes.empty())
        appendRelativeChord(step);
    else if (m_layout.pitchHead >= 0)
        appendRelativePitch(step);
}

void PieceRecall::appendRelativePitch(const std::int32_t *step)
{
    const auto head = std::size_t(m_layout.pitchHead);
    const std::int32_t pitch = step[head];
    std::copy(step, step + m_layout.heads, m_scratch.begin());
    if (pitch > 127)
        m_scratch[head] = kControlBase + pitch;
    else
        m_scratch[head] = m_anchor >= 0 ? pitch - m_anchor : kNoInterval;
    m_relative.append(m_scratch.data());
    if (pitch <= 127)
        m_anchor = pitch;
}

void PieceRecall::appendRelativeChord(const std::int32_t *step)
{
    const ChordShapes::Shape shape = m_shapes.shapeOf(step[0]);
    m_scratch[0] = shape.id >= 0 ? shape.id : -1 - step[0];
    m_scratch[1] = shape.id >= 0 && m_anchor >= 0 ? shape.lowest - m_anchor : kNoInterval;
    std::copy(step + 1, step + m_layout.heads, m_scratch.begin() + 2);
    m_relative.append(m_scratch.data());
    if (shape.id >= 0)
        m_anchor = shape.lowest;
}

namespace {

/// Hits and tries per head and match length, smoothed into trust.
struct HitCount
{
    std::vector<std::vector<double>> hits, tries;

    explicit HitCount(std::size_t heads)
        : hits(heads, std::vector<double>(PieceMatcher::kMaxMatch + 1)), tries(hits)
    { }
    void add(std::size_t head, const PieceRecall::Guess &guess, std::int32_t truth)
    {
        if (guess.length == 0)
            return;
        tries[head][std::size_t(guess.length)] += 1;
        hits[head][std::size_t(guess.length)] += guess.value == truth ? 1 : 0;
    }
    std::vector<std::vector<double>> trust() const
    {
        std::vector<std::vector<double>> trust(hits.size(), std::vector<double>(PieceMatcher::kMaxMatch + 1));
        for (std::size_t h = 0; h < hits.size(); ++h)
            for (std::size_t k = 1; k < trust[h].size(); ++k)
                trust[h][k] = (hits[h][k] + 1) / (tries[h][k] + 2);
        return trust;
    }
};

} // namespace

PieceMemory PieceMemory::fit(const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                             const RecallLayout &layout, const std::vector<std::string> &vocabulary)
{
    if (layout.heads != corpus.heads)
        throw ModelError("The piece memory's layout does not fit the corpus's steps.");
    const ChordShapes shapes(vocabulary);
    const std::size_t heads = std::size_t(corpus.heads);
    HitCount exact(heads), transposed(heads), agreed(heads);
    for (const std::size_t file : files) {
        const std::vector<std::int32_t> &steps = corpus.sequences[file];
        PieceRecall recall(layout, shapes);
        for (std::size_t t = 0; t < corpus.stepCount(file); ++t) {
            const std::int32_t *step = &steps[t * heads];
            for (std::size_t h = 0; h < heads; ++h) {
                const PieceRecall::Guess e = recall.exact(int(h)), t = recall.transposed(int(h));
                if (e.length > 0 && t.length > 0 && e.value == t.value) {
                    agreed.add(h, { e.value, std::max(e.length, t.length) }, step[h]);
                } else {
                    exact.add(h, e, step[h]);
                    transposed.add(h, t, step[h]);
                }
            }
            recall.append(step);
        }
    }
    PieceMemory memory;
    memory.trust = exact.trust();
    if (PieceRecall(layout, shapes).transposes()) {
        memory.transposedTrust = transposed.trust();
        memory.agreedTrust = agreed.trust();
    }
    return memory;
}

void PieceMemory::mix(int head, const PieceRecall &recall, float *logProbabilities, int classes,
                      double strength) const
{
    if (empty() || strength <= 0)
        return;
    const std::size_t h = std::size_t(head);
    const PieceRecall::Guess exact = recall.exact(head);
    double trusted = exact.length > 0 ? trust[h][std::size_t(exact.length)] : 0.0;
    std::int32_t predicted = exact.value;
    if (!transposedTrust.empty()) {
        const PieceRecall::Guess transposed = recall.transposed(head);
        if (exact.length > 0 && transposed.length > 0 && transposed.value == predicted) {
            trusted = agreedTrust[h][std::size_t(std::max(exact.length, transposed.length))];
        } else {
            const double t = transposed.length > 0 ? transposedTrust[h][std::size_t(transposed.length)] : 0.0;
            if (t > trusted) {
                trusted = t;
                predicted = transposed.value;
            }
        }
    }
    if (trusted <= 0 || predicted < 0 || predicted >= classes)
        return;
    trusted *= std::min(1.0, strength);
    const float keep = float(std::log1p(-trusted));
    for (int c = 0; c < classes; ++c)
        logProbabilities[c] += keep;
    const double network = std::exp(double(logProbabilities[predicted])); // already scaled by 1 - trusted
    logProbabilities[predicted] = float(std::log(trusted + network));
}

} // namespace continuo
