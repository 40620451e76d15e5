// SPDX-License-Identifier: GPL-3.0-or-later
// Flattening a score into timed channel messages, and the channel state at a point in time.
#include "score/playback.h"

#include <algorithm>
#include <array>
#include <map>

namespace continuo {

namespace {
// Order of messages within one instant (see playbackEvents).
enum class Rank : int { Program, Controller, NoteOff, NoteOn, ZeroLengthNoteOff };

struct Ranked
{
    PlaybackEvent event;
    Rank rank;
};

std::uint8_t clamp7(int value) { return std::uint8_t(std::clamp(value, 0, 127)); }
} // namespace

std::vector<PlaybackEvent> playbackEvents(const Score &score, const PlaybackOptions &options)
{
    std::vector<Ranked> ranked;
    ranked.reserve(score.notes.size() * 2 + score.pedals.size() + 16);
    std::array<int, 16> channelProgram;
    channelProgram.fill(-1);

    for (const Note &note : score.notes) {
        const int channel = note.channel & 0x0F;
        int program = note.program;
        if (!note.isDrum() && note.part >= 0 && std::size_t(note.part) < options.partPrograms.size()
            && options.partPrograms[std::size_t(note.part)] >= 0)
            program = options.partPrograms[std::size_t(note.part)];
        program = clamp7(program);
        if (channelProgram[std::size_t(channel)] != program) {
            // The first program of a channel is set at the start, so playback from any point finds it.
            const double timeSec = channelProgram[std::size_t(channel)] < 0 ? 0.0 : note.startSec;
            ranked.push_back(
                { { timeSec, std::uint8_t(0xC0 | channel), std::uint8_t(program), 0 }, Rank::Program });
            channelProgram[std::size_t(channel)] = program;
        }
        const std::uint8_t key = clamp7(note.pitch);
        ranked.push_back(
            { { note.startSec, std::uint8_t(0x90 | channel), key, clamp7(std::max(1, note.velocity)) },
              Rank::NoteOn });
        ranked.push_back({ { note.endSec, std::uint8_t(0x80 | channel), key, 0 },
                           note.endTick > note.startTick ? Rank::NoteOff : Rank::ZeroLengthNoteOff });
    }
    std::size_t hint = 0;
    for (const PedalEvent &pedal : score.pedals) // sorted by tick: the hint keeps the lookups linear
        ranked.push_back(
            { { score.tempoMap.tickToSeconds(pedal.tick, hint), std::uint8_t(0xB0 | (pedal.channel & 0x0F)),
                64, std::uint8_t(pedal.isDown ? 127 : 0) },
              Rank::Controller });

    std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        if (a.event.timeSec != b.event.timeSec)
            return a.event.timeSec < b.event.timeSec;
        return a.rank < b.rank;
    });
    std::vector<PlaybackEvent> events;
    events.reserve(ranked.size());
    for (const Ranked &r : ranked)
        events.push_back(r.event);
    return events;
}

std::size_t firstEventAt(const std::vector<PlaybackEvent> &events, double timeSec)
{
    return std::size_t(std::lower_bound(events.begin(), events.end(), timeSec,
                                        [](const PlaybackEvent &e, double t) { return e.timeSec < t; })
                       - events.begin());
}

std::vector<PlaybackEvent> channelStateAt(const std::vector<PlaybackEvent> &events, double timeSec)
{
    std::array<int, 16> program;
    program.fill(-1);
    std::map<std::pair<int, int>, int> controllers; // (channel, controller) -> value
    const std::size_t end = firstEventAt(events, timeSec);
    for (std::size_t i = 0; i < end; ++i) {
        const PlaybackEvent &e = events[i];
        if (e.type() == 0xC0)
            program[std::size_t(e.channel())] = e.data1;
        else if (e.type() == 0xB0)
            controllers[{ e.channel(), e.data1 }] = e.data2;
    }
    std::vector<PlaybackEvent> state;
    for (int channel = 0; channel < 16; ++channel)
        if (program[std::size_t(channel)] >= 0)
            state.push_back(
                { timeSec, std::uint8_t(0xC0 | channel), std::uint8_t(program[std::size_t(channel)]), 0 });
    for (const auto &[key, value] : controllers)
        state.push_back(
            { timeSec, std::uint8_t(0xB0 | key.first), std::uint8_t(key.second), std::uint8_t(value) });
    return state;
}

PlaybackCursor::PlaybackCursor(std::vector<PlaybackEvent> events, double endSec)
    : m_events(std::move(events)), m_endSec(std::max(0.0, endSec))
{ }

void PlaybackCursor::setLoop(bool enabled, double startSec, double endSec)
{
    m_loopStartSec = std::clamp(startSec, 0.0, m_endSec);
    m_loopEndSec = endSec < 0.0 ? m_endSec : std::clamp(endSec, 0.0, m_endSec);
    m_loop = enabled && m_loopEndSec - m_loopStartSec >= 1e-3;
    m_loopStartState = m_loop ? channelStateAt(m_events, m_loopStartSec) : std::vector<PlaybackEvent>();
}

void PlaybackCursor::seek(double timeSec, PlaybackSink &sink)
{
    m_positionSec = std::clamp(timeSec, 0.0, m_endSec);
    m_elapsedSec = 0.0;
    m_next = firstEventAt(m_events, m_positionSec);
    sink.releaseAll();
    for (const PlaybackEvent &event : channelStateAt(m_events, m_positionSec))
        sink.send(event);
}

double PlaybackCursor::nextDueElapsedSec() const
{
    double due = segmentEndSec();
    if (m_next < m_events.size())
        due = std::min(due, m_events[m_next].timeSec);
    return m_elapsedSec + std::max(0.0, due - m_positionSec);
}

void PlaybackCursor::sendUntil(double scoreSec, bool inclusive, PlaybackSink &sink)
{
    while (m_next < m_events.size()
           && (m_events[m_next].timeSec < scoreSec || (inclusive && m_events[m_next].timeSec == scoreSec)))
        sink.send(m_events[m_next++]);
}

bool PlaybackCursor::advanceTo(double elapsedSec, PlaybackSink &sink)
{
    for (;;) {
        const double segmentEnd = segmentEndSec();
        const double target = m_positionSec + (elapsedSec - m_elapsedSec);
        if (target < segmentEnd) {
            sendUntil(target, false, sink);
            m_positionSec = std::max(m_positionSec, target);
            m_elapsedSec = std::max(m_elapsedSec, elapsedSec);
            return true;
        }
        // The segment ends within this step. At the end of the piece, what happens exactly there is
        // sent too (the last note offs); at a loop end it belongs to the music after the loop, and
        // the release below ends the notes.
        sendUntil(segmentEnd, !m_loop, sink);
        m_elapsedSec += std::max(0.0, segmentEnd - m_positionSec);
        m_positionSec = segmentEnd;
        if (!m_loop)
            return false;
        sink.releaseAll();
        for (const PlaybackEvent &event : m_loopStartState)
            sink.send(event);
        m_positionSec = m_loopStartSec;
        m_next = firstEventAt(m_events, m_loopStartSec);
    }
}

void PlaybackTransport::setScore(const Score &score, const PlaybackOptions &options)
{
    cursor = PlaybackCursor(playbackEvents(score, options), score.durationSec());
    cursor.setLoop(loopEnabled, loopStartSec, loopEndSec);
}

void PlaybackTransport::setLoop(bool enabled, double startSec, double endSec)
{
    loopEnabled = enabled;
    loopStartSec = startSec;
    loopEndSec = endSec;
    cursor.setLoop(enabled, startSec, endSec);
}

} // namespace continuo
