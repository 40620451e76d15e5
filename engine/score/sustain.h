// SPDX-License-Identifier: GPL-3.0-or-later
// Applies the sustain pedal (CC64) to note lengths, as a separate step after reading.
#pragma once

#include "score/score.h"

namespace continuo {

/// Lengthens notes held by the sustain pedal: a note whose key is released while the pedal of its
/// part and channel is down sounds until the pedal is released, unless the same pitch is struck
/// again first, in which case it ends at that new onset (never earlier than its own release).
/// This is how Performance RNN prepares piano performances. Updates seconds and Score::endTick;
/// leaves Score::pedals in place. Any thread.
void applySustainPedal(Score &score);

} // namespace continuo
