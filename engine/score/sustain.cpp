// SPDX-License-Identifier: GPL-3.0-or-later
// Sustain pedal application: extend to pedal release, cut at a re-strike of the same key.
#include "score/sustain.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace continuo {

namespace {
struct PedalSpan
{
    std::int64_t downTick;
    std::int64_t upTick;
};
} // namespace

void applySustainPedal(Score &score)
{
    // Pedal-down spans per (part, channel).
    std::map<std::pair<int, int>, std::vector<PedalSpan>> spans;
    std::map<std::pair<int, int>, std::int64_t> downSince;
    for (const PedalEvent &pedal : score.pedals) {
        const auto key = std::make_pair(pedal.part, pedal.channel);
        if (pedal.isDown)
            downSince.emplace(key, pedal.tick);
        else if (auto it = downSince.find(key); it != downSince.end()) {
            spans[key].push_back({ it->second, pedal.tick });
            downSince.erase(it);
        }
    }
    for (const auto &[key, tick] : downSince) // never released: held to the end of the piece
        spans[key].push_back({ tick, std::max(score.endTick, tick) });

    // Order notes by key so that each note's next re-strike is its successor.
    std::vector<std::size_t> order(score.notes.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const Note &x = score.notes[a], &y = score.notes[b];
        return std::tie(x.part, x.channel, x.pitch, x.startTick)
             < std::tie(y.part, y.channel, y.pitch, y.startTick);
    });

    for (std::size_t k = 0; k < order.size(); ++k) {
        Note &note = score.notes[order[k]];
        const auto found = spans.find({ note.part, note.channel });
        if (found == spans.end())
            continue;
        const auto &list = found->second;
        // The span that contains the release: downTick <= endTick < upTick.
        const auto it = std::upper_bound(list.begin(), list.end(), note.endTick,
                                         [](std::int64_t t, const PedalSpan &s) { return t < s.downTick; });
        if (it == list.begin())
            continue;
        const PedalSpan &span = *std::prev(it);
        if (note.endTick >= span.upTick)
            continue;
        std::int64_t newEnd = span.upTick;
        if (k + 1 < order.size()) {
            const Note &next = score.notes[order[k + 1]];
            if (next.part == note.part && next.channel == note.channel && next.pitch == note.pitch)
                newEnd = std::min(newEnd, std::max(note.endTick, next.startTick));
        }
        note.endTick = newEnd;
        score.endTick = std::max(score.endTick, newEnd);
    }
    score.updateSeconds();
}

} // namespace continuo
