// SPDX-License-Identifier: GPL-3.0-or-later
// A score flattened into timed MIDI channel messages: what the synth and a MIDI port are sent.
#pragma once

#include "score/score.h"

#include <cstdint>
#include <vector>

namespace continuo {

/// One MIDI channel message at a time in seconds from the start of the score.
struct PlaybackEvent
{
    double timeSec = 0.0;
    std::uint8_t status = 0; ///< 0x80 note off, 0x90 note on, 0xB0 controller, 0xC0 program (| channel)
    std::uint8_t data1 = 0;
    std::uint8_t data2 = 0; ///< unused (0) for program changes

    int channel() const { return status & 0x0F; }
    int type() const { return status & 0xF0; }
    bool operator==(const PlaybackEvent &o) const
    {
        return timeSec == o.timeSec && status == o.status && data1 == o.data1 && data2 == o.data2;
    }
};

/// How a score is played.
struct PlaybackOptions
{
    /// General MIDI program (0..127) per part index, replacing the score's own programs for that
    /// part; -1, or a part beyond the end of the list, keeps the score's. Drum parts ignore it.
    std::vector<int> partPrograms;
};

/// The messages that play `score`, sorted by time. Timing follows the score's tempo map (the
/// notes' startSec/endSec). Each note is a note on and a note off on its channel; before a note,
/// a program change is sent when the channel's program differs from the note's (every channel
/// that plays starts with one at time 0). The sustain pedal is sent as controller 64 (127 down,
/// 0 up), not applied to note lengths, so a synth or an external instrument sustains as it
/// would for the original file. Within one instant the order is: program changes, controllers,
/// note offs, note ons, so a repeated key is released before it is struck again. Deterministic.
/// Any thread. Never throws on content.
std::vector<PlaybackEvent> playbackEvents(const Score &score, const PlaybackOptions &options = {});

/// The first event at or after `timeSec` (binary search over a sorted list).
std::size_t firstEventAt(const std::vector<PlaybackEvent> &events, double timeSec);

/// The program change and controller state in effect at `timeSec` (the last program and pedal of
/// each channel before it), for starting playback in the middle of a score. Note events are not
/// included: notes that started earlier are not resumed.
std::vector<PlaybackEvent> channelStateAt(const std::vector<PlaybackEvent> &events, double timeSec);

/// Where a player's messages go: a synth or a MIDI port.
class PlaybackSink
{
public:
    virtual ~PlaybackSink() = default;
    virtual void send(const PlaybackEvent &event) = 0;
    /// Releases every sounding note and the pedal (on stop, seek and loop).
    virtual void releaseAll() = 0;
};

/// Walks a sorted event list for a player, shared by the synth and the MIDI port players: the
/// player advances it by elapsed time (audio frames, or a clock) and it sends the events passed,
/// wrapping at the loop end and stopping at the end of the piece. Not thread-safe: one player
/// thread uses it at a time.
class PlaybackCursor
{
public:
    PlaybackCursor() = default;
    /// @param events  sorted by time (playbackEvents); @param endSec  end of the piece
    PlaybackCursor(std::vector<PlaybackEvent> events, double endSec);

    const std::vector<PlaybackEvent> &events() const { return m_events; }
    double endSec() const { return m_endSec; }
    /// Loops over [startSec, endSec) of the score (clamped to the piece; endSec < 0 means its
    /// end) when enabled; a range shorter than 1 ms disables the loop.
    void setLoop(bool enabled, double startSec = 0.0, double endSec = -1.0);
    bool isLooping() const { return m_loop; }
    double loopStartSec() const { return m_loopStartSec; }
    double loopEndSec() const { return m_loopEndSec; }

    /// Moves to `timeSec` (clamped to the piece) and resets the elapsed time to 0: releases all
    /// notes on `sink` and sends the programs and controllers in effect there.
    void seek(double timeSec, PlaybackSink &sink);
    /// Score time of the playhead, in seconds.
    double positionSec() const { return m_positionSec; }
    /// Time played since seek() (loops included), in seconds.
    double elapsedSec() const { return m_elapsedSec; }
    /// Elapsed time at which the next event is due, or the loop end or piece end if sooner.
    double nextDueElapsedSec() const;
    /// Plays up to `elapsedSec` since seek(): sends every event before it, wraps at the loop end
    /// (release, then the state at the loop start). Returns false once the end of the piece is
    /// reached without a loop (the playhead stays at the end).
    bool advanceTo(double elapsedSec, PlaybackSink &sink);

private:
    void sendUntil(double scoreSec, bool inclusive, PlaybackSink &sink);
    double segmentEndSec() const { return m_loop ? m_loopEndSec : m_endSec; }

    std::vector<PlaybackEvent> m_events;
    double m_endSec = 0.0;
    bool m_loop = false;
    double m_loopStartSec = 0.0;
    double m_loopEndSec = 0.0;
    std::vector<PlaybackEvent> m_loopStartState; ///< programs and controllers at the loop start
    std::size_t m_next = 0;
    double m_positionSec = 0.0;
    double m_elapsedSec = 0.0;
};

/// The cursor and the loop settings a player keeps across scores (guarded by the player's lock).
struct PlaybackTransport
{
    PlaybackCursor cursor;
    bool loopEnabled = false;
    double loopStartSec = 0.0;
    double loopEndSec = -1.0;

    /// A cursor over the new score's events, with the loop settings applied again.
    void setScore(const Score &score, const PlaybackOptions &options);
    void setLoop(bool enabled, double startSec, double endSec);
};

/// The transport every player offers (the built-in synth, a MIDI port), so the UI drives either
/// through one interface. The methods may be called from any one control thread (the GUI thread);
/// positionSec() and isPlaying() from any thread.
class ScorePlayer
{
public:
    virtual ~ScorePlayer() = default;
    /// Replaces the score (stops playback first). Seconds follow the score's tempo map.
    virtual void setScore(const Score &score, const PlaybackOptions &options = {}) = 0;
    /// End of the score, in seconds.
    virtual double durationSec() const = 0;
    /// Loops [startSec, endSec) (endSec < 0: the end of the score) while enabled; takes effect
    /// immediately, also while playing.
    virtual void setLoop(bool enabled, double startSec = 0.0, double endSec = -1.0) = 0;
    /// Starts at `fromSec` (clamped to the score): releases what sounds, restores the programs and
    /// pedal in effect there, and goes.
    virtual void play(double fromSec = 0.0) = 0;
    /// Stops: the playhead stays, every sounding note and the pedal are released on all channels.
    /// Harmless when not playing.
    virtual void stop() = 0;
    /// True while playing; turns false by itself at the end of the score (without a loop).
    virtual bool isPlaying() const = 0;
    /// The playhead in score seconds, for the UI to poll.
    virtual double positionSec() const = 0;
};

} // namespace continuo
