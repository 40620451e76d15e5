// SPDX-License-Identifier: GPL-3.0-or-later
#include "repr/beatphase.h"

#include <algorithm>
#include <array>
#include <utility>

namespace continuo::beatphase {

namespace {
/// How much an onset at each position in the beat says that the beat is there.
constexpr std::array<int, kPhases> kWeights = { 8, 0, 0, 2, 1, 0, 4, 0, 1, 2, 0, 0 };
} // namespace

int fittedBeatOrigin(const std::int64_t *steps, std::size_t stepCount)
{
    std::array<int, kPhases> onsets {}; // note onsets at each position, counted once per onset
    int firstOnset = -1; // the position of the first note
    std::int64_t onset = 0;
    for (std::size_t i = 0; i < stepCount; ++i) {
        const std::int64_t *step = steps + i * compoundrepr::kHeads;
        onset += step[0];
        if (step[1] > 127 || (i > 0 && step[0] == 0))
            continue; // no note, or a further note of a chord
        ++onsets[std::size_t(onset % kPhases)];
        if (firstOnset < 0)
            firstOnset = int(onset % kPhases);
    }
    // The best score; between equals (even eighths fit on and off the beat alike), the one that
    // puts the first note on the stronger position, then the smallest shift.
    const auto weightAt = [](int position, int shift) {
        return kWeights[std::size_t((position + shift) % kPhases)];
    };
    int best = 0;
    std::pair<long, int> bestKey { -1, -1 };
    for (int shift = 0; shift < kPhases; ++shift) {
        long score = 0;
        for (int p = 0; p < kPhases; ++p)
            score += long(onsets[std::size_t(p)]) * weightAt(p, shift);
        const std::pair<long, int> key { score, firstOnset < 0 ? 0 : weightAt(firstOnset, shift) };
        if (key > bestKey)
            best = shift, bestKey = key;
    }
    return best;
}

void alignToFittedBeat(std::vector<std::int64_t> &steps, std::size_t contextSteps)
{
    if (steps.empty())
        return;
    const std::size_t count = std::min(contextSteps, steps.size() / std::size_t(compoundrepr::kHeads));
    steps[0] = (fittedBeatOrigin(steps.data(), count) + steps[0]) % kPhases;
}

} // namespace continuo::beatphase
