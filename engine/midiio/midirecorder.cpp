// SPDX-License-Identifier: GPL-3.0-or-later
// MIDI input recording: RtMidi's callback collects timed messages; stop() turns them into a score.
#include "midiio/midirecorder.h"

#include "core/error.h"
#include "midiio/internal/rtmidiports.h"
#include "score/smfconvert.h"

#include <cmath>
#include <mutex>
#include <vector>

namespace continuo {

namespace {
/// Recorded scores: 480 ticks per quarter at the SMF default of 120 bpm, so a tick is 1/960 s.
constexpr int kTicksPerQuarter = 480;
constexpr double kTicksPerSecond = kTicksPerQuarter * 2.0;
/// A bound on what one recording keeps (about 3 hours of dense playing).
constexpr std::size_t kMaxMessages = 4'000'000;

struct TimedMessage
{
    double timeSec; // on the port's clock: sum of RtMidi's delta times since the port opened
    std::uint8_t status, data1, data2;
};
} // namespace

struct MidiRecorder::Impl
{
    std::string portName;
    mutable std::mutex mutex; // the RtMidi thread holds it only to append one message
    bool recording = false;
    double clockSec = 0.0;
    std::vector<TimedMessage> messages;
    // Last, so that it is destroyed first: closing the client ends the RtMidi thread before the
    // members its callback writes to go.
    midiio::MidiClient<RtMidiIn> port;

    static void onMessage(double deltaSec, std::vector<unsigned char> *bytes, void *data);
};

void MidiRecorder::Impl::onMessage(double deltaSec, std::vector<unsigned char> *bytes, void *data)
{
    auto *d = static_cast<Impl *>(data);
    const std::lock_guard<std::mutex> lock(d->mutex);
    d->clockSec += deltaSec;
    if (!d->recording || !bytes || bytes->size() < 2 || d->messages.size() >= kMaxMessages)
        return;
    const std::uint8_t status = (*bytes)[0];
    const std::uint8_t type = status & 0xF0;
    // Notes, controllers and program changes; everything else (clock, SysEx, bends) is not a seed.
    if (type != 0x80 && type != 0x90 && type != 0xB0 && type != 0xC0)
        return;
    if (type != 0xC0 && bytes->size() < 3)
        return;
    d->messages.push_back({ d->clockSec, status, (*bytes)[1], type == 0xC0 ? std::uint8_t(0) : (*bytes)[2] });
}

MidiRecorder::MidiRecorder(const MidiPortChoice &choice, const std::string &virtualName)
    : m_impl(std::make_unique<Impl>())
{
    if (choice.port.empty()) {
        const std::string api = choice.api.empty() ? midiApis().front() : choice.api;
        m_impl->port = midiio::openInputClient(api);
        m_impl->port.report->clear();
        m_impl->port.client->openVirtualPort(virtualName);
        if (!m_impl->port.report->message.empty())
            throw AudioError("The MIDI input port \"" + virtualName + "\" could not be created on " + api
                             + " (" + m_impl->port.report->message + ").");
        m_impl->portName = virtualName;
    } else {
        m_impl->port = midiio::openPort<RtMidiIn>(choice, "input", m_impl->portName);
    }
    m_impl->port.client->ignoreTypes(true, true, true); // SysEx, timing clock, active sensing
    m_impl->port.client->setCallback(&Impl::onMessage, m_impl.get());
}

MidiRecorder::~MidiRecorder()
{
    m_impl->port.client->cancelCallback();
    m_impl->port.client->closePort();
}

const std::string &MidiRecorder::api() const { return m_impl->port.api; }
const std::string &MidiRecorder::portName() const { return m_impl->portName; }

void MidiRecorder::start()
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->messages.clear();
    m_impl->recording = true;
}

bool MidiRecorder::isRecording() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->recording;
}

std::size_t MidiRecorder::messageCount() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->messages.size();
}

Score MidiRecorder::stop()
{
    std::vector<TimedMessage> messages;
    {
        const std::lock_guard<std::mutex> lock(m_impl->mutex);
        m_impl->recording = false;
        messages.swap(m_impl->messages);
    }
    // Built as a one-track file so that note pairing, pedal and programs follow the same rules
    // as a file that is opened (scoreFromSmf).
    SmfFile file;
    file.format = 0;
    file.division.ticksPerQuarter = kTicksPerQuarter;
    SmfTrack track;
    const double originSec = messages.empty() ? 0.0 : messages.front().timeSec;
    for (const TimedMessage &m : messages) {
        MidiEvent event;
        event.tick = std::llround((m.timeSec - originSec) * kTicksPerSecond);
        event.status = m.status;
        event.data1 = m.data1 & 0x7F;
        event.data2 = m.data2 & 0x7F;
        track.events.push_back(event);
    }
    track.endTick = track.events.empty() ? 0 : track.events.back().tick;
    file.tracks.push_back(std::move(track));
    Score score = scoreFromSmf(file);
    // A key still held when recording stopped is closed there; that is expected, not a file problem.
    score.warnings.clear();
    return score;
}

} // namespace continuo
