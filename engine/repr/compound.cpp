// SPDX-License-Identifier: GPL-3.0-or-later
// The compound representation: grid quantization, one step per note, decoding, transposition.
#include "repr/compound.h"

#include "repr/grid.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace continuo {

using namespace compoundrepr;

namespace {

/// Quantized non-drum notes in (onset, pitch) order, one per (onset, pitch): the longest, loudest.
std::vector<grid::GridNote> distinctGridNotes(const Score &score, CompoundEncodingStats &counts)
{
    grid::GridCounts gridCounts;
    std::vector<grid::GridNote> notes = grid::gridNotes(score, gridCounts);
    counts.drumNotes = gridCounts.drumNotes;
    counts.lengthenedNotes = gridCounts.lengthenedNotes;
    for (grid::GridNote &note : notes)
        note.velocity = velocityBin(note.velocity);
    std::sort(notes.begin(), notes.end(), [](const grid::GridNote &a, const grid::GridNote &b) {
        return std::tie(a.onset, a.pitch, b.duration, b.velocity)
             < std::tie(b.onset, b.pitch, a.duration, a.velocity);
    });
    const auto same = [](const grid::GridNote &a, const grid::GridNote &b) {
        return a.onset == b.onset && a.pitch == b.pitch;
    };
    const auto end = std::unique(notes.begin(), notes.end(), same); // keeps the first: the longest, loudest
    counts.mergedNotes += std::size_t(notes.end() - end);
    notes.erase(end, notes.end());
    counts.notes = notes.size();
    return notes;
}

} // namespace

std::vector<CompoundStep> compoundSteps(const Score &score, CompoundEncodingStats *stats)
{
    CompoundEncodingStats counts;
    const std::vector<grid::GridNote> notes = distinctGridNotes(score, counts);
    std::vector<CompoundStep> steps;
    steps.reserve(notes.size());
    std::int64_t previous = notes.empty() ? 0 : notes.front().onset;
    for (const grid::GridNote &note : notes) {
        std::int64_t gap = note.onset - previous;
        for (; gap > kMaxTimeUnits; gap -= kMaxTimeUnits)
            steps.push_back({ kMaxTimeUnits, kWait, 0, 0 });
        std::int64_t left = note.duration;
        steps.push_back(
            { int(gap), note.pitch, int(std::min<std::int64_t>(left, kMaxDurationUnits)), note.velocity });
        for (left -= kMaxDurationUnits; left > 0; left -= kMaxDurationUnits) {
            steps.push_back({ 0, kHold, int(std::min<std::int64_t>(left, kMaxDurationUnits)), 0 });
            ++counts.holdSteps;
        }
        previous = note.onset;
    }
    if (stats)
        *stats = counts;
    return steps;
}

std::vector<std::int32_t> flattenCompoundSteps(const std::vector<CompoundStep> &steps)
{
    std::vector<std::int32_t> tokens;
    tokens.reserve(steps.size() * kHeads);
    for (const CompoundStep &step : steps)
        tokens.insert(tokens.end(), { step.time, step.pitch, step.duration, step.velocity });
    return tokens;
}

std::vector<CompoundStep> compoundStepsOf(const std::int32_t *tokens, std::size_t stepCount)
{
    std::vector<CompoundStep> steps;
    steps.reserve(stepCount);
    for (std::size_t i = 0; i < stepCount; ++i, tokens += kHeads)
        steps.push_back({ tokens[0], tokens[1], tokens[2], tokens[3] });
    return steps;
}

Score decodeCompound(const std::vector<CompoundStep> &steps)
{
    constexpr int kTicksPerUnit = grid::kDecodeTicksPerUnit;
    Score score = grid::decodedScore();
    std::int64_t onset = 0;
    for (const CompoundStep &step : steps) {
        onset += std::clamp(step.time, 0, kMaxTimeUnits);
        if (step.pitch == kHold && !score.notes.empty()) {
            score.notes.back().endTick +=
                std::int64_t(std::clamp(step.duration, 1, kMaxDurationUnits)) * kTicksPerUnit;
            score.endTick = std::max(score.endTick, score.notes.back().endTick);
        }
        if (step.pitch < 0 || step.pitch > 127)
            continue;
        Note note;
        note.pitch = step.pitch;
        note.velocity = binVelocity(step.velocity);
        note.startTick = onset * kTicksPerUnit;
        note.endTick = (onset + std::clamp(step.duration, 1, kMaxDurationUnits)) * kTicksPerUnit;
        score.notes.push_back(note);
        score.endTick = std::max(score.endTick, note.endTick);
    }
    score.sortEvents();
    score.updateSeconds();
    return score;
}

bool transposeCompound(std::int32_t *tokens, std::size_t stepCount, int semitones)
{
    for (std::size_t i = 0; i < stepCount; ++i) {
        const int pitch = tokens[i * kHeads + 1];
        if (pitch <= 127 && (pitch + semitones < 0 || pitch + semitones > 127))
            return false;
    }
    for (std::size_t i = 0; i < stepCount; ++i)
        if (tokens[i * kHeads + 1] <= 127)
            tokens[i * kHeads + 1] += semitones;
    return true;
}

} // namespace continuo
