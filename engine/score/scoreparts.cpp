// SPDX-License-Identifier: GPL-3.0-or-later
#include "score/scoreparts.h"

#include <algorithm>
#include <iterator>

namespace continuo {

int partIndexNamed(const Score &score, const std::string &partName)
{
    const auto part = std::find_if(score.parts.begin(), score.parts.end(),
                                   [&](const Part &p) { return p.name == partName; });
    return part == score.parts.end() ? -1 : int(part - score.parts.begin());
}

std::optional<Score> partNamed(const Score &score, const std::string &partName)
{
    const int index = partIndexNamed(score, partName);
    if (index < 0)
        return std::nullopt;
    Score result = score;
    result.notes.clear();
    std::copy_if(score.notes.begin(), score.notes.end(), std::back_inserter(result.notes),
                 [index](const Note &note) { return note.part == index; });
    result.pedals.clear();
    std::copy_if(score.pedals.begin(), score.pedals.end(), std::back_inserter(result.pedals),
                 [index](const PedalEvent &pedal) { return pedal.part == index; });
    return result;
}

std::vector<std::size_t> partNoteIndices(const Score &score, int part)
{
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < score.notes.size(); ++i)
        if (score.notes[i].part == part)
            indices.push_back(i);
    return indices;
}

} // namespace continuo
