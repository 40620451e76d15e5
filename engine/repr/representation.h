// SPDX-License-Identifier: GPL-3.0-or-later
// Which representation a model reads music in, and its name at the edges (checkpoints, JSON, CLI).
#pragma once

#include <string>

namespace continuo {

/// How music becomes model steps (see repr/performance.h, repr/notes.h, repr/compound.h).
enum class Representation {
    Performance, ///< Performance RNN events: note-on, note-off, time shift, velocity
    Notes, ///< one step per onset: a pitch set, its offset and its duration
    Compound, ///< one step per note: time since the previous step, pitch, duration, velocity
};

/// "performance", "notes" or "compound": the name checkpoints, JSON and the command line use. Any thread.
const char *representationName(Representation representation);
/// The head whose classes are pitches (label smoothing moves probability between them): the one
/// head of a performance model (its note events), the pitch set of notes, the pitch of compound.
int pitchHeadOf(Representation representation);
/// The representation called `name`. @throws ModelError naming the text and the names there are.
Representation representationFromName(const std::string &name);

} // namespace continuo
