// SPDX-License-Identifier: GPL-3.0-or-later
// Class weights and pitch neighbours for the training loss.
#include "train/lossshaping.h"

#include <algorithm>

namespace continuo {

std::vector<std::vector<float>> inverseFrequencyWeights(const TokenCorpus &corpus,
                                                        const std::vector<std::size_t> &files,
                                                        const std::vector<int> &headSizes, float maxWeight)
{
    const std::size_t heads = headSizes.size();
    std::vector<std::vector<std::uint64_t>> counts(heads);
    for (std::size_t h = 0; h < heads; ++h)
        counts[h].assign(std::size_t(headSizes[h]), 0);
    for (const std::size_t f : files) {
        const auto &sequence = corpus.sequences[f];
        for (std::size_t i = heads; i < sequence.size(); ++i) // the first step is never a target
            ++counts[i % heads][std::size_t(sequence[i])];
    }
    std::vector<std::vector<float>> weights(heads);
    for (std::size_t h = 0; h < heads; ++h) {
        std::uint64_t total = 0, seen = 0;
        for (const std::uint64_t n : counts[h]) {
            total += n;
            seen += n > 0;
        }
        for (const std::uint64_t n : counts[h])
            weights[h].push_back(
                n == 0 ? 1.0f : std::min(maxWeight, float(double(total) / (double(seen) * double(n)))));
    }
    return weights;
}

PitchNeighbours intervalNeighbours(int classes, int heads, int pitchHead, const Transposer &transposer)
{
    PitchNeighbours table;
    table.classes.assign(std::size_t(classes) * kSmoothingWidth, 0);
    table.weights.assign(std::size_t(classes) * kSmoothingWidth, 0.0f);
    std::vector<std::int32_t> step(std::size_t(heads), 0);
    for (int c = 0; c < classes; ++c) {
        float sum = 0.0f;
        const std::size_t row = std::size_t(c) * kSmoothingWidth;
        for (int i = 0; i < kSmoothingWidth; ++i) {
            std::int32_t &pitch = step[std::size_t(pitchHead)];
            pitch = c;
            if (!transposer(step.data(), 1, kSmoothingIntervals[i].semitones) || pitch == c || pitch < 0
                || pitch >= classes)
                continue;
            table.classes[row + std::size_t(i)] = pitch;
            table.weights[row + std::size_t(i)] = kSmoothingIntervals[i].weight;
            sum += kSmoothingIntervals[i].weight;
        }
        for (int i = 0; sum > 0 && i < kSmoothingWidth; ++i)
            table.weights[row + std::size_t(i)] /= sum;
    }
    return table;
}

} // namespace continuo
