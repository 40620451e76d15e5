// SPDX-License-Identifier: GPL-3.0-or-later
// Drawing the next token from a model's scores.
#pragma once

#include <cstdint>
#include <random>

namespace continuo {

/// A uniform double in [0, 1) from the top 53 bits of one draw: the same on every platform.
inline double uniformUnit(std::mt19937_64 &rng) { return double(rng() >> 11) * 0x1.0p-53; }

/// Draws a class from softmax(logits / temperature) with one uniform draw. Classes whose logit is
/// -infinity (masked) are never drawn. temperature > 0. @return -1 if every class is masked.
int sampleFromLogits(const float *logits, int count, double temperature, std::mt19937_64 &rng);

} // namespace continuo
