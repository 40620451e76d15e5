// SPDX-License-Identifier: GPL-3.0-or-later
// Softmax sampling without allocation.
#include "generate/sampling.h"

#include <cmath>
#include <limits>

namespace continuo {

int sampleFromLogits(const float *logits, int count, double temperature, std::mt19937_64 &rng)
{
    float top = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < count; ++i)
        top = std::max(top, logits[i]);
    if (top == -std::numeric_limits<float>::infinity())
        return -1;
    const double scale = 1.0 / temperature;
    double total = 0.0;
    for (int i = 0; i < count; ++i)
        total += std::exp(double(logits[i] - top) * scale);
    double target = uniformUnit(rng) * total;
    int last = -1;
    for (int i = 0; i < count; ++i) {
        if (logits[i] == -std::numeric_limits<float>::infinity())
            continue;
        last = i;
        target -= std::exp(double(logits[i] - top) * scale);
        if (target < 0)
            return i;
    }
    return last; // rounding left a sliver of probability: the last possible class
}

} // namespace continuo
