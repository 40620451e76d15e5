// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/seed.h"

#include "analysis/meter.h"
#include "core/error.h"
#include "generate/sampling.h"
#include "jobs/jobcontext.h"
#include "midi/midifiles.h"
#include "score/smfconvert.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <sstream>

namespace continuo {

namespace {

template <typename Event>
std::vector<Event> carriedOver(const std::vector<Event> &events, std::int64_t from, std::int64_t to)
{
    // The event in effect at `from` moves to tick 0; later ones before `to` shift with the range.
    std::vector<Event> result;
    for (const Event &event : events) {
        if (event.tick >= to)
            break;
        Event moved = event;
        moved.tick = std::max<std::int64_t>(0, event.tick - from);
        if (moved.tick == 0 && !result.empty())
            result.back() = moved;
        else
            result.push_back(moved);
    }
    return result;
}

TempoMap shiftedTempoMap(const TempoMap &map, std::int64_t from, std::int64_t to)
{
    if (map.isSmpte())
        return map;
    std::vector<TempoChange> changes;
    for (const TempoChange &change : map.changes())
        if (change.tick > from && change.tick < to)
            changes.push_back({ change.tick - from, change.usPerQuarter });
    changes.push_back({ 0, map.usPerQuarterAt(from) });
    return TempoMap(map.ticksPerQuarter(), changes);
}

std::vector<PedalEvent> carriedPedals(const Score &score, std::int64_t from, std::int64_t to)
{
    // The pedal of each (part, channel) as it stands at `from`, then the changes inside the range.
    std::vector<PedalEvent> result;
    std::set<std::pair<int, int>> down;
    for (const PedalEvent &pedal : score.pedals) {
        if (pedal.tick >= to)
            break;
        if (pedal.tick <= from) {
            if (pedal.isDown)
                down.insert({ pedal.part, pedal.channel });
            else
                down.erase({ pedal.part, pedal.channel });
            continue;
        }
        PedalEvent moved = pedal;
        moved.tick -= from;
        result.push_back(moved);
    }
    for (const auto &[part, channel] : down)
        result.insert(result.begin(), PedalEvent { 0, channel, part, true });
    return result;
}

/// Fisher–Yates with our own uniform draw: std::shuffle's order differs between libraries.
template <typename T> void shuffle(std::vector<T> &items, std::mt19937_64 &rng)
{
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[std::size_t(uniformUnit(rng) * double(i))]);
}

} // namespace

std::vector<std::int64_t> barStartTicks(const Score &score, std::int64_t untilTick)
{
    // The bar lines barAt() counts: the next one is the start of the bar holding this bar's last
    // tick, stepping back while that bar began inside this one (a change of meter mid-bar).
    std::vector<std::int64_t> bars { 0 };
    while (bars.back() < untilTick) {
        const BarPosition bar = barAt(score, bars.back());
        std::int64_t next = bar.startTick + bar.lengthTicks;
        for (BarPosition inside = barAt(score, next - 1); inside.startTick > bar.startTick;
             inside = barAt(score, next - 1))
            next = inside.startTick;
        bars.push_back(next);
    }
    return bars;
}

std::int64_t tickAt(const Score &score, double position, TimeUnit unit)
{
    if (unit == TimeUnit::Seconds) {
        if (!(position >= 0))
            throw GenerationError("A time in seconds cannot be negative.");
        return std::int64_t(std::llround(score.tempoMap.secondsToTick(position)));
    }
    if (!(position >= 1) || position > 1e6)
        throw GenerationError(std::string(unit == TimeUnit::Bars ? "Bars" : "Beats") + " count from 1.");
    if (unit == TimeUnit::Bars) {
        const auto whole = std::int64_t(std::floor(position));
        std::vector<std::int64_t> bars = { 0 };
        for (std::int64_t until = score.endTick; std::int64_t(bars.size()) <= whole;
             until = bars.back() * 2 + 1)
            bars = barStartTicks(score, until);
        const std::int64_t start = bars[std::size_t(whole - 1)];
        return start + std::llround((position - double(whole)) * double(bars[std::size_t(whole)] - start));
    }
    // Beats: walk bar by bar, each bar holding its meter's numerator beats.
    double beatsLeft = position - 1.0;
    std::int64_t tick = 0;
    for (;;) {
        const TimeSignature meter = score.timeSignatureAt(tick);
        const std::int64_t beat =
            std::max<std::int64_t>(1, std::int64_t(score.ticksPerQuarter()) * 4 / meter.denominator);
        const std::vector<std::int64_t> bar = barStartTicks(score, tick + 1);
        const std::int64_t barEnd = bar.back();
        const double beatsInBar = double(barEnd - tick) / double(beat);
        if (beatsLeft < beatsInBar)
            return tick + std::llround(beatsLeft * double(beat));
        beatsLeft -= beatsInBar;
        tick = barEnd;
    }
}

void requireSeedDuration(const Score &seed, const std::string &name)
{
    const double seconds = seed.durationSec();
    if (seconds <= kMaxSeedSec)
        return;
    std::ostringstream text;
    text.precision(1);
    text << std::fixed << name << " lasts " << seconds / 3600.0
         << " hours; a seed may last at most an hour: choose a range of it.";
    throw GenerationError(text.str());
}

Score seedFromRange(const Score &score, std::int64_t startTick, std::int64_t endTick)
{
    if (startTick < 0 || endTick <= startTick)
        throw GenerationError("The seed range is empty: its end must come after its start.");
    Score seed;
    seed.division = score.division;
    seed.tempoMap = shiftedTempoMap(score.tempoMap, startTick, endTick);
    seed.timeSignatures = carriedOver(score.timeSignatures, startTick, endTick);
    seed.keySignatures = carriedOver(score.keySignatures, startTick, endTick);
    seed.parts = score.parts;
    seed.pedals = carriedPedals(score, startTick, endTick);
    for (const Note &note : score.notes) {
        if (note.startTick < startTick || note.startTick >= endTick)
            continue;
        Note moved = note;
        moved.startTick -= startTick;
        moved.endTick = std::min(note.endTick, endTick) - startTick;
        seed.notes.push_back(moved);
    }
    if (seed.notes.empty())
        throw GenerationError("The seed range has no notes: choose a range where something is played.");
    seed.endTick = endTick - startTick;
    seed.updateSeconds();
    seed.sortEvents();
    return seed;
}

Score seedWithSteadyPace(const Score &seed)
{
    const TempoMap &map = seed.tempoMap;
    const double endSec = seed.durationSec();
    if (map.isSmpte() || seed.endTick <= 0 || !(endSec > 0))
        return seed;
    const double fromSec = std::max(0.0, endSec - kSeedPaceWindowSec);
    const double fromTick = map.secondsToTick(fromSec);
    const double quarters = (double(seed.endTick) - fromTick) / map.ticksPerQuarter();
    if (!(quarters > 0))
        return seed;
    const double meanUs = (endSec - fromSec) * 1e6 / quarters;
    const double lastUs = map.usPerQuarterAt(seed.endTick);
    if (std::abs(meanUs - lastUs) <= 0.01 * lastUs)
        return seed;
    std::vector<TempoChange> changes = map.changes();
    changes.push_back({ seed.endTick, std::uint32_t(std::lround(meanUs)) });
    Score result = seed;
    result.tempoMap = TempoMap(map.ticksPerQuarter(), changes);
    return result;
}

double seedWindowScore(const Score &score, std::int64_t startTick, std::int64_t endTick)
{
    std::set<int> pitches;
    std::set<std::vector<int>> onsets; // the pitch set struck at each onset
    std::vector<std::pair<std::int64_t, std::int64_t>> sounding;
    std::int64_t lastOnset = -1;
    std::vector<int> chord;
    int noteCount = 0;
    for (const Note &note : score.notes) {
        if (note.isDrum() || note.startTick < startTick || note.startTick >= endTick)
            continue;
        ++noteCount;
        pitches.insert(note.pitch);
        sounding.push_back({ note.startTick, std::min(note.endTick, endTick) });
        if (note.startTick != lastOnset && !chord.empty()) {
            onsets.insert(chord);
            chord.clear();
        }
        lastOnset = note.startTick;
        chord.push_back(note.pitch);
    }
    if (!chord.empty())
        onsets.insert(chord);
    if (noteCount < 4 || pitches.size() < 4 || onsets.size() < 2)
        return 0.0;
    // Share of the window during which at least one note sounds (notes are sorted by onset).
    std::int64_t covered = 0, reach = startTick;
    for (const auto &[from, to] : sounding) {
        const std::int64_t begin = std::max(from, reach);
        if (to > begin) {
            covered += to - begin;
            reach = to;
        }
    }
    const double coverage = double(covered) / double(endTick - startTick);
    if (coverage < 0.5)
        return 0.0;
    return coverage * std::min<double>(double(pitches.size()), 12.0) / 12.0;
}

CorpusSeed randomSeedFromCorpus(const std::filesystem::path &folder, int bars, std::uint64_t rngSeed,
                                JobContext &context)
{
    if (bars < 1 || bars > 64)
        throw GenerationError("A random seed is 1 to 64 bars long.");
    std::vector<std::filesystem::path> files = findMidiFiles(folder);
    std::mt19937_64 rng(rngSeed);
    shuffle(files, rng);
    for (std::size_t i = 0; i < files.size() && !context.isCancelled(); ++i) {
        context.reportProgress(std::int64_t(i), std::int64_t(files.size()), "Looking for a seed");
        Score score;
        try {
            score = readScoreFile(files[i]);
        } catch (const Error &) {
            continue; // an unreadable file is simply not a candidate
        }
        const std::vector<std::int64_t> barTicks = barStartTicks(score, score.endTick);
        const int lastUsable = int(barTicks.size()) - 1 - 2; // never the last two bars
        std::vector<int> useful;
        for (int first = 0; first + bars <= lastUsable; ++first)
            if (seedWindowScore(score, barTicks[std::size_t(first)], barTicks[std::size_t(first + bars)]) > 0)
                useful.push_back(first);
        if (useful.empty())
            continue;
        const int first = useful[std::size_t(uniformUnit(rng) * double(useful.size()))];
        CorpusSeed result;
        result.seed = seedFromRange(score, barTicks[std::size_t(first)], barTicks[std::size_t(first + bars)]);
        result.file = files[i];
        result.firstBar = first + 1;
        result.bars = bars;
        return result;
    }
    if (context.isCancelled())
        throw GenerationError("Looking for a seed was cancelled.");
    throw GenerationError("No MIDI file in " + folder.string() + " has " + std::to_string(bars)
                          + (bars == 1 ? " bar" : " bars")
                          + " that make a useful seed (enough distinct notes, not silence, not the end).");
}

} // namespace continuo
