// SPDX-License-Identifier: GPL-3.0-or-later
// SMF <-> score conversion: note pairing, programs, meter, key, pedal; and the writer's event order.
#include "score/smfconvert.h"

#include "core/fileio.h"
#include "midi/smfwriter.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace continuo {

namespace {

constexpr int kSustainController = 64;

struct ProgramChange
{
    std::int64_t tick;
    int channel;
    int program;
};

/// Programs per channel over time, from every track; default program 0.
class ProgramTimeline
{
public:
    void add(std::int64_t tick, int channel, int program)
    {
        m_changes[channel].push_back({ tick, channel, program });
    }
    void finish()
    {
        for (auto &changes : m_changes)
            std::stable_sort(changes.begin(), changes.end(),
                             [](const ProgramChange &a, const ProgramChange &b) { return a.tick < b.tick; });
    }
    int programAt(int channel, std::int64_t tick) const
    {
        const auto &changes = m_changes[channel];
        const auto it = std::upper_bound(changes.begin(), changes.end(), tick,
                                         [](std::int64_t t, const ProgramChange &c) { return t < c.tick; });
        return it == changes.begin() ? 0 : std::prev(it)->program;
    }

private:
    std::array<std::vector<ProgramChange>, 16> m_changes;
};

/// Each track's notes come out in onset order; only notes sharing an onset may need ordering.
/// Sorting each such group keeps this O(n log n) even for hostile files with huge chords.
void sortNotesWithinOnsets(std::vector<Note>::iterator first, std::vector<Note>::iterator last)
{
    while (first != last) {
        auto groupEnd =
            std::find_if(first, last, [&](const Note &n) { return n.startTick != first->startTick; });
        if (groupEnd - first > 1 && !std::is_sorted(first, groupEnd, noteOrder))
            std::sort(first, groupEnd, noteOrder);
        first = groupEnd;
    }
}

/// First-in first-out queue of open notes (indices into Score::notes) for one channel and pitch.
/// Popping moves a head index instead of erasing, so stacked note-ons cost linear time.
struct OpenQueue
{
    std::vector<std::size_t> items;
    std::size_t head = 0;

    bool isEmpty() const { return head == items.size(); }
    void push(std::size_t index) { items.push_back(index); }
    std::size_t pop()
    {
        const std::size_t index = items[head++];
        if (head == items.size()) {
            items.clear();
            head = 0;
        }
        return index;
    }
};

class ScoreBuilder
{
public:
    explicit ScoreBuilder(const SmfFile &file) : m_file(file) { }

    Score build()
    {
        m_score.division = m_file.division;
        m_score.warnings = m_file.warnings;
        computeTrackOffsets();
        collectConductorAndPrograms();
        std::size_t noteOns = 0;
        for (const SmfTrack &track : m_file.tracks)
            for (const MidiEvent &event : track.events)
                noteOns += event.isNoteOn() ? 1 : 0;
        m_score.notes.reserve(noteOns);
        for (std::size_t t = 0; t < m_file.tracks.size(); ++t)
            readTrackNotes(t);
        mergeTrackRuns();
        m_score.sortEvents();
        m_score.updateSeconds();
        return std::move(m_score);
    }

private:
    void warn(std::string message) { m_score.warnings.push_back(std::move(message)); }

    // Format 2 holds independent sequences played one after another.
    void computeTrackOffsets()
    {
        m_offsets.assign(m_file.tracks.size(), 0);
        if (m_file.format != 2)
            return;
        std::int64_t offset = 0;
        for (std::size_t t = 0; t < m_file.tracks.size(); ++t) {
            m_offsets[t] = offset;
            offset += m_file.tracks[t].endTick;
        }
    }

    void collectConductorAndPrograms()
    {
        std::vector<TempoChange> tempos;
        for (std::size_t t = 0; t < m_file.tracks.size(); ++t) {
            const SmfTrack &track = m_file.tracks[t];
            m_score.endTick = std::max(m_score.endTick, m_offsets[t] + track.endTick);
            for (const MidiEvent &event : track.events) {
                const std::int64_t tick = m_offsets[t] + event.tick;
                if (event.kind == EventKind::Channel && event.command() == 0xC0)
                    m_programs.add(tick, event.channel(), event.data1);
                else if (event.kind == EventKind::Meta)
                    readConductorMeta(track, event, tick, tempos);
            }
        }
        m_programs.finish();
        m_score.tempoMap = m_file.division.isSmpte
                             ? TempoMap::smpte(m_file.division.framesPerSecond, m_file.division.ticksPerFrame)
                             : TempoMap(m_file.division.ticksPerQuarter, std::move(tempos));
    }

    void readConductorMeta(const SmfTrack &track, const MidiEvent &event, std::int64_t tick,
                           std::vector<TempoChange> &tempos)
    {
        const std::string_view payload = track.payload(event);
        const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(payload[i]); };
        switch (event.metaType()) {
        case meta::kTempo:
            if (payload.size() >= 3 && (byte(0) | byte(1) | byte(2)) != 0)
                tempos.push_back({ tick, (std::uint32_t(byte(0)) << 16) | (byte(1) << 8) | byte(2) });
            else
                warn("ignored a malformed tempo event at tick " + std::to_string(tick));
            break;
        case meta::kTimeSignature:
            if (payload.size() >= 2 && byte(0) > 0 && byte(1) <= 6)
                m_score.timeSignatures.push_back({ tick, byte(0), 1 << byte(1) });
            else
                warn("ignored a malformed time signature at tick " + std::to_string(tick));
            break;
        case meta::kKeySignature:
            if (payload.size() >= 2 && static_cast<std::int8_t>(byte(0)) >= -7
                && static_cast<std::int8_t>(byte(0)) <= 7 && byte(1) <= 1)
                m_score.keySignatures.push_back({ tick, static_cast<std::int8_t>(byte(0)), byte(1) == 1 });
            else
                warn("ignored a malformed key signature at tick " + std::to_string(tick));
            break;
        default: break;
        }
    }

    void readTrackNotes(std::size_t t)
    {
        const SmfTrack &track = m_file.tracks[t];
        const std::int64_t offset = m_offsets[t];
        const int partIndex = static_cast<int>(m_score.parts.size());
        Part part;
        part.sourceTrack = static_cast<int>(t);
        std::vector<PedalEvent> pedals;
        std::vector<TextEvent> texts;
        std::array<bool, 16> pedalDown {};
        const std::size_t firstNote = m_score.notes.size();

        for (const MidiEvent &event : track.events) {
            const std::int64_t tick = offset + event.tick;
            if (event.kind == EventKind::Meta) {
                readTrackMeta(track, event, tick, part, texts);
                continue;
            }
            if (event.kind != EventKind::Channel)
                continue;
            const int channel = event.channel();
            if (event.isNoteOn()) {
                // The note is created at its onset, so each track's notes come out in onset order.
                m_open[channel * 128 + event.data1].push(m_score.notes.size());
                ++m_openCount;
                addNote(tick, event.data2, channel, event.data1, partIndex);
            } else if (event.isNoteOff()) {
                auto &queue = m_open[channel * 128 + event.data1];
                if (!queue.isEmpty()) {
                    m_score.notes[queue.pop()].endTick = tick;
                    --m_openCount;
                }
            } else if (event.command() == 0xB0 && event.data1 == kSustainController) {
                const bool down = event.data2 >= 64;
                if (down != pedalDown[channel]) {
                    pedalDown[channel] = down;
                    pedals.push_back({ tick, channel, partIndex, down });
                }
            }
        }
        closeHangingNotes(offset + track.endTick, t);

        const std::size_t noteCount = m_score.notes.size() - firstNote;
        if (noteCount > 0)
            m_runStarts.push_back(firstNote);
        if (noteCount == 0) {
            // A track without notes (usually the conductor): its texts stay with the conductor.
            for (TextEvent &text : texts) {
                text.part = -1;
                m_score.texts.push_back(std::move(text));
            }
            return;
        }
        part.isDrum = std::all_of(m_score.notes.begin() + std::ptrdiff_t(firstNote), m_score.notes.end(),
                                  [](const Note &n) { return n.isDrum(); });
        m_score.parts.push_back(std::move(part));
        m_score.pedals.insert(m_score.pedals.end(), pedals.begin(), pedals.end());
        for (TextEvent &text : texts)
            m_score.texts.push_back(std::move(text));
    }

    void readTrackMeta(const SmfTrack &track, const MidiEvent &event, std::int64_t tick, Part &part,
                       std::vector<TextEvent> &texts)
    {
        const std::uint8_t type = event.metaType();
        const std::string_view payload = track.payload(event);
        if (type == meta::kTrackName && part.name.empty())
            part.name = std::string(payload);
        else if (type == meta::kInstrumentName && part.instrumentName.empty())
            part.instrumentName = std::string(payload);
        else if (type == meta::kText || type == meta::kCopyright || type == meta::kLyric
                 || type == meta::kMarker || type == meta::kCuePoint)
            texts.push_back({ tick, type, static_cast<int>(m_score.parts.size()), std::string(payload) });
    }

    void addNote(std::int64_t tick, int velocity, int channel, int pitch, int part)
    {
        Note note;
        note.pitch = pitch;
        note.velocity = velocity;
        note.startTick = tick;
        note.endTick = tick;
        note.channel = channel;
        note.program = m_programs.programAt(channel, tick);
        note.part = part;
        m_score.notes.push_back(note);
    }

    void closeHangingNotes(std::int64_t endTick, std::size_t trackIndex)
    {
        if (m_openCount == 0)
            return;
        m_openCount = 0;
        int hanging = 0;
        for (auto &queue : m_open) {
            while (!queue.isEmpty()) {
                Note &note = m_score.notes[queue.pop()];
                note.endTick = std::max(endTick, note.startTick);
                ++hanging;
            }
        }
        if (hanging)
            warn("track " + std::to_string(trackIndex) + ": " + std::to_string(hanging)
                 + " note(s) still sounding at the end of the track were ended there");
    }

    /// Each track's notes are in onset order; order the ties, then merge the tracks pairwise
    /// (O(n log k) for k tracks, also for hostile files with thousands of tracks).
    void mergeTrackRuns()
    {
        auto &notes = m_score.notes;
        std::vector<std::size_t> bounds = m_runStarts;
        bounds.push_back(notes.size());
        const auto at = [&](std::size_t i) { return notes.begin() + std::ptrdiff_t(i); };
        for (std::size_t r = 0; r + 1 < bounds.size(); ++r)
            sortNotesWithinOnsets(at(bounds[r]), at(bounds[r + 1]));
        while (bounds.size() > 2) {
            std::vector<std::size_t> merged;
            for (std::size_t r = 0; r + 2 < bounds.size(); r += 2) {
                std::inplace_merge(at(bounds[r]), at(bounds[r + 1]), at(bounds[r + 2]), noteOrder);
                merged.push_back(bounds[r]);
            }
            if (bounds.size() % 2 == 0) // an odd number of runs: the last one waits for the next round
                merged.push_back(bounds[bounds.size() - 2]);
            merged.push_back(notes.size());
            bounds = std::move(merged);
        }
    }

    const SmfFile &m_file;
    Score m_score;
    std::vector<std::int64_t> m_offsets;
    ProgramTimeline m_programs;
    std::array<OpenQueue, 16 * 128> m_open; ///< open notes per channel and pitch, FIFO
    std::size_t m_openCount = 0; ///< notes in m_open; every queue is empty between tracks
    std::vector<std::size_t> m_runStarts; ///< where each track's notes begin
};

// --- writing ---------------------------------------------------------------------------------

/// Rank of an event within one tick; see smfFromScore's documentation.
enum class Rank { Meta, Program, Controller, NoteOff, NoteOn, ZeroLengthNoteOff };

struct PendingEvent
{
    std::int64_t tick;
    Rank rank;
    std::size_t sequence; ///< keeps the order of creation among equals
    MidiEvent event;
    std::string payload;
};

class TrackAssembler
{
public:
    void addMeta(std::int64_t tick, std::uint8_t type, std::string payload)
    {
        MidiEvent event;
        event.kind = EventKind::Meta;
        event.status = 0xFF;
        event.data1 = type;
        add(tick, Rank::Meta, event, std::move(payload));
    }
    void addChannel(std::int64_t tick, Rank rank, std::uint8_t status, int data1, int data2 = 0)
    {
        MidiEvent event;
        event.status = status;
        event.data1 = std::uint8_t(data1 & 0x7F);
        event.data2 = std::uint8_t(data2 & 0x7F);
        add(tick, rank, event, {});
    }
    SmfTrack finish(std::int64_t endTick)
    {
        std::stable_sort(
            m_pending.begin(), m_pending.end(), [](const PendingEvent &a, const PendingEvent &b) {
                return std::tie(a.tick, a.rank, a.sequence) < std::tie(b.tick, b.rank, b.sequence);
            });
        SmfTrack track;
        track.events.reserve(m_pending.size() + 1);
        for (PendingEvent &pending : m_pending) {
            MidiEvent event = pending.event;
            event.tick = pending.tick;
            event.payloadOffset = std::uint32_t(track.payloads.size());
            event.payloadSize = std::uint32_t(pending.payload.size());
            track.payloads.insert(track.payloads.end(), pending.payload.begin(), pending.payload.end());
            track.events.push_back(event);
        }
        track.endTick = std::max(endTick, track.events.empty() ? 0 : track.events.back().tick);
        return track;
    }

private:
    void add(std::int64_t tick, Rank rank, MidiEvent event, std::string payload)
    {
        m_pending.push_back({ tick, rank, m_pending.size(), event, std::move(payload) });
    }
    std::vector<PendingEvent> m_pending;
};

SmfTrack conductorTrack(const Score &score)
{
    TrackAssembler track;
    for (const TempoChange &tempo : score.tempoMap.changes()) {
        const std::uint32_t us = tempo.usPerQuarter;
        track.addMeta(tempo.tick, meta::kTempo, { char(us >> 16), char((us >> 8) & 0xFF), char(us & 0xFF) });
    }
    for (const TimeSignature &ts : score.timeSignatures) {
        int power = 0;
        while ((1 << power) < ts.denominator && power < 6)
            ++power;
        track.addMeta(ts.tick, meta::kTimeSignature, { char(ts.numerator), char(power), 24, 8 });
    }
    for (const KeySignature &key : score.keySignatures)
        track.addMeta(key.tick, meta::kKeySignature,
                      { char(std::int8_t(key.sharps)), char(key.isMinor ? 1 : 0) });
    for (const TextEvent &text : score.texts)
        if (text.part < 0)
            track.addMeta(text.tick, text.type, text.text);
    return track.finish(score.endTick);
}

/// Marks the notes before which a program change must be written: programs are per channel
/// across all tracks, so the decision is made over the notes of every part in time order.
std::vector<bool> notesNeedingProgramChange(const Score &score)
{
    std::vector<bool> needs(score.notes.size(), false);
    std::array<int, 16> current;
    current.fill(-1);
    for (std::size_t i = 0; i < score.notes.size(); ++i) {
        const Note &note = score.notes[i];
        if (current[note.channel & 0x0F] != note.program) {
            current[note.channel & 0x0F] = note.program;
            needs[i] = true;
        }
    }
    return needs;
}

SmfTrack partTrack(const Score &score, int partIndex, const std::vector<bool> &needsProgramChange)
{
    TrackAssembler track;
    const Part &part = score.parts[std::size_t(partIndex)];
    if (!part.name.empty())
        track.addMeta(0, meta::kTrackName, part.name);
    if (!part.instrumentName.empty())
        track.addMeta(0, meta::kInstrumentName, part.instrumentName);
    for (const TextEvent &text : score.texts)
        if (text.part == partIndex)
            track.addMeta(text.tick, text.type, text.text);

    std::int64_t endTick = 0;
    for (std::size_t i = 0; i < score.notes.size(); ++i) {
        const Note &note = score.notes[i];
        if (note.part != partIndex)
            continue;
        const int channel = note.channel & 0x0F;
        if (needsProgramChange[i])
            track.addChannel(note.startTick, Rank::Program, std::uint8_t(0xC0 | channel), note.program);
        track.addChannel(note.startTick, Rank::NoteOn, std::uint8_t(0x90 | channel), note.pitch,
                         std::max(1, note.velocity));
        const Rank offRank = note.endTick == note.startTick ? Rank::ZeroLengthNoteOff : Rank::NoteOff;
        track.addChannel(note.endTick, offRank, std::uint8_t(0x80 | channel), note.pitch, 0);
        endTick = std::max(endTick, note.endTick);
    }
    for (const PedalEvent &pedal : score.pedals)
        if (pedal.part == partIndex)
            track.addChannel(pedal.tick, Rank::Controller, std::uint8_t(0xB0 | (pedal.channel & 0x0F)),
                             kSustainController, pedal.isDown ? 127 : 0);
    return track.finish(endTick);
}

} // namespace

Score scoreFromSmf(const SmfFile &file) { return ScoreBuilder(file).build(); }

SmfFile smfFromScore(const Score &score)
{
    SmfFile file;
    file.format = 1;
    file.division = score.division;
    file.tracks.push_back(conductorTrack(score));
    const std::vector<bool> needsProgramChange = notesNeedingProgramChange(score);
    for (int p = 0; p < static_cast<int>(score.parts.size()); ++p)
        file.tracks.push_back(partTrack(score, p, needsProgramChange));
    return file;
}

Score readScoreFile(const std::filesystem::path &path, const SmfReadLimits &limits)
{
    return scoreFromSmf(readSmfFile(path, limits));
}

std::vector<std::uint8_t> scoreToSmfBytes(const Score &score) { return writeSmf(smfFromScore(score)); }

void saveScoreFile(const Score &score, const std::filesystem::path &path)
{
    writeFileAtomically(path, scoreToSmfBytes(score));
}

} // namespace continuo
