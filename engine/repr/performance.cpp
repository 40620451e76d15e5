// SPDX-License-Identifier: GPL-3.0-or-later
// Performance RNN encoding and decoding.
#include "repr/performance.h"

#include "score/sustain.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <tuple>

namespace continuo {

namespace performance {

int velocityToBin(int velocity)
{
    const int v = std::clamp(velocity, 1, 127);
    return (v - 1) * kVelocityBins / 127 + 1;
}

int binToVelocity(int bin)
{
    const int width = (127 + kVelocityBins - 1) / kVelocityBins; // 4
    return 1 + (std::clamp(bin, 1, kVelocityBins) - 1) * width;
}

std::string tokenName(int token)
{
    if (token >= kNoteOnBase && token < kNoteOffBase)
        return "NOTE_ON(" + std::to_string(token - kNoteOnBase) + ")";
    if (token >= kNoteOffBase && token < kTimeShiftBase)
        return "NOTE_OFF(" + std::to_string(token - kNoteOffBase) + ")";
    if (token >= kTimeShiftBase && token < kVelocityBase)
        return "TIME_SHIFT(" + std::to_string(token - kTimeShiftBase + 1) + ")";
    if (token >= kVelocityBase && token < kVocabularySize)
        return "VELOCITY(" + std::to_string(token - kVelocityBase + 1) + ")";
    return "INVALID(" + std::to_string(token) + ")";
}

} // namespace performance

using namespace performance;

namespace {

struct TimedEvent
{
    std::int64_t step;
    bool isOn;
    int pitch;
    int velocity;
};

std::int64_t toStep(double seconds) { return std::llround(std::max(0.0, seconds) * kStepsPerSecond); }

void appendShift(std::vector<int> &tokens, std::int64_t steps)
{
    while (steps > 0) {
        const int shift = int(std::min<std::int64_t>(steps, kMaxShiftSteps));
        tokens.push_back(kTimeShiftBase + shift - 1);
        steps -= shift;
    }
}

} // namespace

std::vector<Note> performanceNotes(const Score &score, PerformanceEncodingStats *stats)
{
    Score sustained = score;
    applySustainPedal(sustained);
    PerformanceEncodingStats counts;
    std::vector<Note> notes;
    notes.reserve(sustained.notes.size());
    for (const Note &note : sustained.notes) {
        if (note.isDrum())
            ++counts.drumNotes;
        else
            notes.push_back(note);
    }
    // One note per key at a time: walk each key's notes in onset order (longest first on ties).
    std::sort(notes.begin(), notes.end(), [](const Note &a, const Note &b) {
        return std::make_tuple(a.pitch, a.startTick, -a.endTick)
             < std::make_tuple(b.pitch, b.startTick, -b.endTick);
    });
    std::vector<Note> kept;
    kept.reserve(notes.size());
    for (const Note &note : notes) {
        if (!kept.empty() && kept.back().pitch == note.pitch) {
            Note &previous = kept.back();
            if (previous.startTick == note.startTick) {
                ++counts.duplicateNotes;
                continue;
            }
            if (previous.endTick > note.startTick) {
                previous.endTick = note.startTick;
                previous.endSec = note.startSec;
                ++counts.cutNotes;
            }
        }
        kept.push_back(note);
    }
    std::stable_sort(kept.begin(), kept.end(), noteOrder);
    counts.notes = kept.size();
    if (stats)
        *stats = counts;
    return kept;
}

std::vector<int> encodePerformance(const Score &score, PerformanceEncodingStats *stats)
{
    PerformanceEncodingStats counts;
    const std::vector<Note> notes = performanceNotes(score, &counts);
    std::vector<TimedEvent> events;
    events.reserve(notes.size() * 2);
    for (const Note &note : notes) {
        const std::int64_t start = toStep(note.startSec);
        std::int64_t end = toStep(note.endSec);
        if (end <= start) {
            end = start + 1;
            ++counts.lengthenedNotes;
        }
        events.push_back({ start, true, note.pitch, note.velocity });
        events.push_back({ end, false, note.pitch, 0 });
    }
    // By time; note-offs before note-ons; then by pitch, so the order is canonical.
    std::stable_sort(events.begin(), events.end(), [](const TimedEvent &a, const TimedEvent &b) {
        return std::make_tuple(a.step, a.isOn, a.pitch) < std::make_tuple(b.step, b.isOn, b.pitch);
    });

    std::vector<int> tokens;
    tokens.reserve(events.size() * 2);
    std::int64_t now = 0;
    int currentBin = 0;
    for (const TimedEvent &event : events) {
        appendShift(tokens, event.step - now);
        now = event.step;
        if (!event.isOn) {
            tokens.push_back(kNoteOffBase + event.pitch);
            continue;
        }
        const int bin = velocityToBin(event.velocity);
        if (bin != currentBin) {
            tokens.push_back(kVelocityBase + bin - 1);
            currentBin = bin;
        }
        tokens.push_back(kNoteOnBase + event.pitch);
    }
    if (stats)
        *stats = counts;
    return tokens;
}

Score decodePerformance(const std::vector<int> &tokens)
{
    constexpr int kTicksPerStep = 10; // 500 ticks per quarter at 120 bpm: 1 tick = 1 ms
    Score score;
    score.division.ticksPerQuarter = 500;
    score.tempoMap = TempoMap(500, {});
    score.parts.push_back(Part { "Piano", "", -1, false });

    std::array<std::deque<std::size_t>, 128> sounding;
    std::int64_t step = 0;
    int velocity = binToVelocity(velocityToBin(64));
    for (const int token : tokens) {
        if (token >= kNoteOnBase && token < kNoteOffBase) {
            Note note;
            note.pitch = token - kNoteOnBase;
            note.velocity = velocity;
            note.startTick = step * kTicksPerStep;
            note.endTick = note.startTick;
            sounding[std::size_t(note.pitch)].push_back(score.notes.size());
            score.notes.push_back(note);
        } else if (token >= kNoteOffBase && token < kTimeShiftBase) {
            auto &queue = sounding[std::size_t(token - kNoteOffBase)];
            if (!queue.empty()) {
                score.notes[queue.front()].endTick = step * kTicksPerStep;
                queue.pop_front();
            }
        } else if (token >= kTimeShiftBase && token < kVelocityBase) {
            step += token - kTimeShiftBase + 1;
        } else if (token >= kVelocityBase && token < kVocabularySize) {
            velocity = binToVelocity(token - kVelocityBase + 1);
        }
    }
    for (auto &queue : sounding)
        for (const std::size_t index : queue) {
            Note &note = score.notes[index];
            note.endTick = std::max(step * kTicksPerStep, note.startTick + kTicksPerStep);
        }
    for (const Note &note : score.notes)
        score.endTick = std::max(score.endTick, note.endTick);
    score.sortEvents();
    score.updateSeconds();
    return score;
}

} // namespace continuo
