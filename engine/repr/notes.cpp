// SPDX-License-Identifier: GPL-3.0-or-later
// The notes representation: grid quantization, chord grouping, pitch-set vocabulary, decoding.
#include "repr/notes.h"

#include "core/error.h"
#include "repr/grid.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <tuple>

namespace continuo {

using namespace notesrepr;

std::string notesrepr::pitchSetText(const PitchSet &pitches)
{
    std::string text;
    for (std::size_t i = 0; i < pitches.size(); ++i)
        text += (i ? "." : "") + std::to_string(pitches[i]);
    return text;
}

std::vector<ChordStep> chordSteps(const Score &score, NotesEncodingStats *stats)
{
    NotesEncodingStats counts;
    grid::GridCounts gridCounts;
    std::vector<grid::GridNote> notes = grid::gridNotes(score, gridCounts);
    counts.drumNotes = gridCounts.drumNotes;
    counts.lengthenedNotes = gridCounts.lengthenedNotes;
    counts.notes = notes.size();
    for (grid::GridNote &note : notes)
        if (note.duration > kMaxDurationUnits) {
            note.duration = kMaxDurationUnits;
            ++counts.clampedDurations;
        }
    std::sort(notes.begin(), notes.end(), [](const grid::GridNote &a, const grid::GridNote &b) {
        return std::tie(a.onset, a.duration, a.pitch) < std::tie(b.onset, b.duration, b.pitch);
    });

    std::vector<ChordStep> steps;
    std::int64_t previousOnset = notes.empty() ? 0 : notes.front().onset;
    for (std::size_t i = 0; i < notes.size();) {
        ChordStep step;
        const std::int64_t gap = notes[i].onset - previousOnset;
        step.offsetUnits = int(std::min<std::int64_t>(gap, kMaxOffsetUnits));
        if (gap > kMaxOffsetUnits)
            ++counts.clampedOffsets;
        step.durationUnits = int(notes[i].duration);
        std::size_t j = i;
        for (; j < notes.size() && notes[j].onset == notes[i].onset && notes[j].duration == notes[i].duration;
             ++j)
            if (step.pitches.empty() || step.pitches.back() != notes[j].pitch)
                step.pitches.push_back(notes[j].pitch);
        previousOnset = notes[i].onset;
        steps.push_back(std::move(step));
        i = j;
    }
    if (stats)
        *stats = counts;
    return steps;
}

NotesVocabulary NotesVocabulary::build(const std::vector<std::vector<ChordStep>> &steps, int minCount)
{
    std::map<PitchSet, int> counts;
    for (const auto &file : steps)
        for (const ChordStep &step : file)
            ++counts[step.pitches];
    std::vector<std::pair<PitchSet, int>> frequent;
    for (const auto &[set, count] : counts)
        if (count >= minCount)
            frequent.emplace_back(set, count);
    std::stable_sort(frequent.begin(), frequent.end(),
                     [](const auto &a, const auto &b) { return a.second > b.second; });
    std::vector<std::string> texts;
    texts.reserve(frequent.size());
    for (const auto &entry : frequent)
        texts.push_back(pitchSetText(entry.first));
    return fromPitchSetsText(texts);
}

NotesVocabulary NotesVocabulary::fromPitchSetsText(const std::vector<std::string> &texts)
{
    NotesVocabulary vocabulary;
    for (const std::string &text : texts) {
        PitchSet set;
        std::istringstream in(text);
        std::string part;
        while (std::getline(in, part, '.')) {
            if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string::npos)
                throw ModelError("The model's chord vocabulary is damaged (entry \"" + text + "\").");
            set.push_back(std::stoi(part));
        }
        if (set.empty() || set.back() > 127 || !std::is_sorted(set.begin(), set.end())
            || std::adjacent_find(set.begin(), set.end()) != set.end())
            throw ModelError("The model's chord vocabulary is damaged (entry \"" + text + "\").");
        vocabulary.m_sets.push_back(set);
        vocabulary.m_index.emplace_back(set, int(vocabulary.m_sets.size()));
    }
    std::sort(vocabulary.m_index.begin(), vocabulary.m_index.end());
    if (std::adjacent_find(vocabulary.m_index.begin(), vocabulary.m_index.end(),
                           [](const auto &a, const auto &b) { return a.first == b.first; })
        != vocabulary.m_index.end())
        throw ModelError("The model's chord vocabulary lists a chord twice.");
    return vocabulary;
}

int NotesVocabulary::tokenOf(const PitchSet &pitches) const
{
    const auto it = std::lower_bound(m_index.begin(), m_index.end(), pitches,
                                     [](const auto &entry, const PitchSet &p) { return entry.first < p; });
    return it != m_index.end() && it->first == pitches ? it->second : kUnknownToken;
}

const PitchSet &NotesVocabulary::pitchSetOf(int token) const
{
    static const PitchSet kNone;
    return token >= 1 && token <= int(m_sets.size()) ? m_sets[std::size_t(token - 1)] : kNone;
}

std::vector<std::string> NotesVocabulary::pitchSetsText() const
{
    std::vector<std::string> texts;
    texts.reserve(m_sets.size());
    for (const PitchSet &set : m_sets)
        texts.push_back(pitchSetText(set));
    return texts;
}

std::vector<NoteStep> tokenizeNotes(const std::vector<ChordStep> &steps, const NotesVocabulary &vocabulary,
                                    NotesEncodingStats *stats)
{
    std::vector<NoteStep> tokens;
    tokens.reserve(steps.size());
    for (const ChordStep &step : steps) {
        NoteStep token { vocabulary.tokenOf(step.pitches), step.offsetUnits, step.durationUnits };
        if (token.pitchSet == kUnknownToken && stats)
            stats->unknownNotes += step.pitches.size();
        tokens.push_back(token);
    }
    return tokens;
}

Score decodeNotes(const std::vector<NoteStep> &steps, const NotesVocabulary &vocabulary)
{
    constexpr int kTicksPerUnit = grid::kDecodeTicksPerUnit;
    Score score = grid::decodedScore();
    std::int64_t onset = 0;
    for (const NoteStep &step : steps) {
        onset += std::clamp(step.offset, 0, kMaxOffsetUnits);
        const int duration = std::clamp(step.duration, 1, kMaxDurationUnits);
        for (const int pitch : vocabulary.pitchSetOf(step.pitchSet)) {
            Note note;
            note.pitch = pitch;
            note.velocity = 80;
            note.startTick = onset * kTicksPerUnit;
            note.endTick = (onset + duration) * kTicksPerUnit;
            score.notes.push_back(note);
            score.endTick = std::max(score.endTick, note.endTick);
        }
    }
    score.sortEvents();
    score.updateSeconds();
    return score;
}

} // namespace continuo
