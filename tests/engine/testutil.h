// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the engine tests: fixture paths and building small scores.
#pragma once

#include <QDir>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>

namespace continuo::test {

inline std::filesystem::path dataPath(const std::string &relative)
{
    return std::filesystem::path(CONTINUO_TEST_DATA_DIR) / relative;
}

/// The shared corpus folder (../shared/corpus/NAME), or an empty path when it is absent.
inline std::filesystem::path sharedCorpus(const std::string &name)
{
    const auto path = std::filesystem::path(CONTINUO_SHARED_DIR) / "corpus" / name;
    return std::filesystem::is_directory(path) ? path : std::filesystem::path();
}

/// File names in a fixture folder, sorted.
inline QStringList fixtureNames(const std::string &folder)
{
    return QDir(QString::fromStdString(dataPath(folder).string())).entryList(QDir::Files, QDir::Name);
}

} // namespace continuo::test

#include "midi/smffile.h"
#include "score/score.h"

#include <cmath>
#include <vector>

#include <initializer_list>

namespace continuo::test {

/// A channel event for building tracks in tests: absolute tick, status, data bytes.
struct Ev
{
    std::int64_t tick;
    std::uint8_t status;
    std::uint8_t data1;
    std::uint8_t data2;
};

inline SmfTrack makeTrack(std::initializer_list<Ev> events, std::int64_t endTick = -1)
{
    SmfTrack track;
    for (const Ev &e : events) {
        MidiEvent event;
        event.tick = e.tick;
        event.status = e.status;
        event.data1 = e.data1;
        event.data2 = e.data2;
        track.events.push_back(event);
    }
    track.endTick = endTick >= 0 ? endTick : (track.events.empty() ? 0 : track.events.back().tick);
    return track;
}

inline void addMeta(SmfTrack &track, std::int64_t tick, std::uint8_t type, const std::string &payload)
{
    MidiEvent event;
    event.tick = tick;
    event.kind = EventKind::Meta;
    event.status = 0xFF;
    event.data1 = type;
    event.payloadOffset = std::uint32_t(track.payloads.size());
    event.payloadSize = std::uint32_t(payload.size());
    track.payloads.insert(track.payloads.end(), payload.begin(), payload.end());
    track.events.push_back(event);
}

/// A note in quarters at 480 ticks per quarter.
inline Note quarterNote(int pitch, double startQ, double endQ, int velocity = 80, int channel = 0)
{
    Note n;
    n.pitch = pitch;
    n.velocity = velocity;
    n.startTick = std::llround(startQ * 480);
    n.endTick = std::llround(endQ * 480);
    n.channel = channel;
    return n;
}

/// A one-part score at 480 ticks per quarter holding `notes`.
inline Score scoreOfNotes(std::vector<Note> notes)
{
    Score score;
    score.division.ticksPerQuarter = 480;
    score.parts.push_back(Part {});
    score.notes = std::move(notes);
    score.sortEvents();
    score.updateSeconds();
    return score;
}

inline SmfFile makeFile(std::initializer_list<SmfTrack> tracks, int ticksPerQuarter = 96, int format = 1)
{
    SmfFile file;
    file.format = format;
    file.division.ticksPerQuarter = ticksPerQuarter;
    file.tracks = tracks;
    return file;
}

} // namespace continuo::test
