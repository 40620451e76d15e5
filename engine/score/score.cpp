// SPDX-License-Identifier: GPL-3.0-or-later
// Score helpers: seconds, ordering, names of keys.
#include "score/score.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace continuo {

std::string KeySignature::name() const
{
    // Circle of fifths from 7 flats to 7 sharps.
    static const char *const kMajor[15] = { "Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C",
                                            "G",  "D",  "A",  "E",  "B",  "F#", "C#" };
    static const char *const kMinor[15] = { "Ab", "Eb", "Bb", "F",  "C",  "G",  "D", "A",
                                            "E",  "B",  "F#", "C#", "G#", "D#", "A#" };
    const int index = std::clamp(sharps, -7, 7) + 7;
    return std::string(isMinor ? kMinor[index] : kMajor[index]) + (isMinor ? " minor" : " major");
}

int Score::ticksPerQuarter() const
{
    if (!division.isSmpte)
        return division.ticksPerQuarter;
    return std::max(1, int(std::lround(division.smpteTicksPerSecond() / 2.0)));
}

void Score::updateSeconds()
{
    // Notes are sorted by onset, so the onset cursor only moves forward; ends mostly do too.
    std::size_t startHint = 0, endHint = 0;
    for (Note &note : notes) {
        note.startSec = tempoMap.tickToSeconds(note.startTick, startHint);
        note.endSec = tempoMap.tickToSeconds(note.endTick, endHint);
    }
}

bool noteOrder(const Note &a, const Note &b)
{
    return std::tie(a.startTick, a.pitch, a.part, a.channel, a.endTick, a.velocity, a.program)
         < std::tie(b.startTick, b.pitch, b.part, b.channel, b.endTick, b.velocity, b.program);
}

void Score::sortEvents()
{
    if (!std::is_sorted(notes.begin(), notes.end(), noteOrder))
        std::sort(notes.begin(), notes.end(), noteOrder);
    const auto byTick = [](const auto &a, const auto &b) { return a.tick < b.tick; };
    std::stable_sort(pedals.begin(), pedals.end(), byTick);
    std::stable_sort(texts.begin(), texts.end(), byTick);
    std::stable_sort(timeSignatures.begin(), timeSignatures.end(), byTick);
    std::stable_sort(keySignatures.begin(), keySignatures.end(), byTick);
}

TimeSignature Score::timeSignatureAt(std::int64_t tick) const
{
    TimeSignature current;
    for (const TimeSignature &ts : timeSignatures) {
        if (ts.tick > tick)
            break;
        current = ts;
    }
    return current;
}

} // namespace continuo
