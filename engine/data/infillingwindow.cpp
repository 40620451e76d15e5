// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/infillingwindow.h"

#include "data/dataset.h"
#include "repr/infilling.h"

#include <algorithm>

namespace continuo {

using namespace compoundrepr;

namespace {

constexpr std::size_t kFewestNotes = 16; ///< windows with fewer notes stay continuations
constexpr std::size_t kFewestNotesBefore = 8; ///< what trimming leaves of the notes before the gap

/// The top note of each onset, marked in a copy of `notes` (onset order): true where kept.
std::vector<bool> topVoice(const std::vector<InfillingNote> &notes)
{
    std::vector<bool> top(notes.size(), false);
    for (std::size_t i = 0; i < notes.size(); ++i)
        top[i] = i + 1 == notes.size() || notes[i + 1].onset != notes[i].onset;
    return top;
}

/// The window's notes split around a random gap, a voice of it kept at random.
struct WindowSplit
{
    std::vector<InfillingNote> before, known, middle;
    std::size_t keptAfter = 0; ///< how many of `known` come after the gap (they are its tail)
    std::int64_t gapStart = 0;
};

WindowSplit splitWindow(const std::vector<InfillingNote> &notes, std::mt19937_64 &rng)
{
    const std::size_t n = notes.size();
    const std::size_t first = n / 4 + uniformIndex(rng, n / 4 + 1);
    WindowSplit split;
    split.gapStart = notes[first].onset;
    const std::int64_t gapEnd =
        split.gapStart + std::int64_t(kGridPerQuarter) * std::int64_t(1 + uniformIndex(rng, 16));
    std::vector<InfillingNote> inside;
    for (const InfillingNote &note : notes) {
        if (note.onset < split.gapStart)
            split.before.push_back(note);
        else if (note.onset < gapEnd)
            inside.push_back(note);
    }
    std::vector<bool> kept(inside.size(), false);
    if (uniformIndex(rng, 10) < 3 && !inside.empty()) {
        std::vector<int> pitches;
        for (const InfillingNote &note : inside)
            pitches.push_back(note.pitch);
        std::nth_element(pitches.begin(), pitches.begin() + std::ptrdiff_t(pitches.size() / 2),
                         pitches.end());
        const int middlePitch = pitches[pitches.size() / 2];
        const std::uint64_t rule = uniformIndex(rng, 3);
        const std::vector<bool> top = topVoice(inside);
        for (std::size_t i = 0; i < inside.size(); ++i)
            kept[i] = rule == 0 ? inside[i].pitch >= middlePitch
                    : rule == 1 ? inside[i].pitch < middlePitch
                                : bool(top[i]);
    }
    for (std::size_t i = 0; i < inside.size(); ++i)
        (kept[i] ? split.known : split.middle).push_back(inside[i]);
    for (const InfillingNote &note : notes)
        if (note.onset >= gapEnd) {
            split.known.push_back(note);
            ++split.keptAfter;
        }
    return split;
}

std::size_t layoutSize(const InfillingLayout &layout) { return layout.prompt.size() + layout.middle.size(); }

} // namespace

bool makeInfillingWindow(std::int32_t *tokens, std::size_t stepCount, std::mt19937_64 &rng)
{
    const std::vector<InfillingNote> notes = notesOfCompoundSteps(compoundStepsOf(tokens, stepCount));
    if (notes.size() < kFewestNotes)
        return false;
    WindowSplit split = splitWindow(notes, rng);
    if (split.middle.empty())
        return false;
    InfillingLayout layout = infillingLayout(split.before, split.known, split.middle, split.gapStart);
    // Too long: leave out known notes after the gap from the end, then notes before it from the start.
    while (layoutSize(layout) > stepCount) {
        const std::size_t over = layoutSize(layout) - stepCount;
        if (split.keptAfter > 0) {
            const std::size_t drop = std::min(over, split.keptAfter);
            split.known.resize(split.known.size() - drop);
            split.keptAfter -= drop;
        } else if (split.before.size() > kFewestNotesBefore) {
            const std::size_t drop = std::min(over, split.before.size() - kFewestNotesBefore);
            split.before.erase(split.before.begin(), split.before.begin() + std::ptrdiff_t(drop));
        } else {
            return false;
        }
        layout = infillingLayout(split.before, split.known, split.middle, split.gapStart);
    }
    if (layoutSize(layout) < stepCount)
        return false; // fewer waits than the window had: a continuation it stays
    std::vector<CompoundStep> steps = std::move(layout.prompt);
    steps.insert(steps.end(), layout.middle.begin(), layout.middle.end());
    const std::vector<std::int32_t> flat = flattenCompoundSteps(steps);
    std::copy(flat.begin(), flat.end(), tokens);
    return true;
}

} // namespace continuo
