// SPDX-License-Identifier: GPL-3.0-or-later
// One part of a score as a score of its own, and where its notes sit in the whole.
#pragma once

#include "score/score.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace continuo {

/// The index into Score::parts of the first part named `partName`; -1 if none is. Any thread.
int partIndexNamed(const Score &score, const std::string &partName);

/// The notes of the part named `partName` ("Seed" or "Continuation" in a generation, also after a
/// round trip through a MIDI file), as a score with the same timing, parts and meter; nothing if
/// no part has the name. The notes keep their order, so the i-th note of the result is the
/// partNoteIndices(score, index)[i]-th note of `score`. Any thread; never throws but bad_alloc.
std::optional<Score> partNamed(const Score &score, const std::string &partName);

/// Indices into score.notes of the notes of part `part`, in note order. Any thread.
std::vector<std::size_t> partNoteIndices(const Score &score, int part);

} // namespace continuo
