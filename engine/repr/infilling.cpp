// SPDX-License-Identifier: GPL-3.0-or-later
#include "repr/infilling.h"

#include <algorithm>
#include <tuple>

namespace continuo {

using namespace compoundrepr;

namespace {

bool onsetOrder(const InfillingNote &a, const InfillingNote &b)
{
    return std::tie(a.onset, a.pitch) < std::tie(b.onset, b.pitch);
}

/// Appends wait steps until `gap` fits one step's time; returns what is left of it.
std::int64_t appendWaits(std::vector<CompoundStep> &steps, std::int64_t gap)
{
    for (; gap > kMaxTimeUnits; gap -= kMaxTimeUnits)
        steps.push_back({ kMaxTimeUnits, kWait, 0, 0 });
    return gap;
}

} // namespace

std::vector<InfillingNote> notesOfCompoundSteps(const std::vector<CompoundStep> &steps,
                                                std::int64_t firstOnset)
{
    std::vector<InfillingNote> notes;
    std::int64_t onset = firstOnset;
    for (const CompoundStep &step : steps) {
        onset += step.time;
        if (step.pitch == kHold) {
            if (!notes.empty())
                notes.back().duration += step.duration;
        } else if (step.pitch >= 0 && step.pitch < 128) {
            notes.push_back({ onset, std::max(1, step.duration), step.pitch, step.velocity });
        }
    }
    return notes;
}

std::vector<CompoundStep> compoundStepsFrom(std::vector<InfillingNote> notes, std::int64_t origin)
{
    std::sort(notes.begin(), notes.end(), onsetOrder);
    std::vector<CompoundStep> steps;
    std::int64_t previous = origin;
    for (const InfillingNote &note : notes) {
        const std::int64_t gap = appendWaits(steps, note.onset - previous);
        std::int64_t left = note.duration;
        steps.push_back(
            { int(gap), note.pitch, int(std::min<std::int64_t>(left, kMaxDurationUnits)), note.velocity });
        for (left -= kMaxDurationUnits; left > 0; left -= kMaxDurationUnits)
            steps.push_back({ 0, kHold, int(std::min<std::int64_t>(left, kMaxDurationUnits)), 0 });
        previous = note.onset;
    }
    return steps;
}

InfillingLayout infillingLayout(const std::vector<InfillingNote> &before,
                                const std::vector<InfillingNote> &known,
                                const std::vector<InfillingNote> &middle, std::int64_t gapStart)
{
    InfillingLayout layout;
    std::int64_t lastOnset = gapStart;
    if (!before.empty()) {
        const auto first = std::min_element(before.begin(), before.end(), onsetOrder);
        const auto last = std::max_element(before.begin(), before.end(), onsetOrder);
        layout.prompt = compoundStepsFrom(before, first->onset);
        lastOnset = last->onset;
    }
    const std::int64_t gap = appendWaits(layout.prompt, gapStart - lastOnset);
    layout.prompt.push_back({ int(gap), kFillMarker, 0, 0 });
    const std::vector<CompoundStep> knownSteps = compoundStepsFrom(known, gapStart);
    layout.prompt.insert(layout.prompt.end(), knownSteps.begin(), knownSteps.end());
    layout.prompt.push_back({ 0, kMiddleMarker, 0, 0 });
    layout.middle = compoundStepsFrom(middle, gapStart);
    return layout;
}

} // namespace continuo
