// SPDX-License-Identifier: GPL-3.0-or-later
// MIDI output playback: a timing thread on the steady clock, lateness statistics, clean release.
#include "midiio/midiportplayer.h"

#include "core/error.h"
#include "midiio/internal/rtmidiports.h"

#include <algorithm>
#include <bitset>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace continuo {

namespace {
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// The thread sleeps until this long before a message is due, then waits actively: a sleeping
/// thread wakes up to a scheduler tick late, a spinning one within microseconds.
constexpr auto kSpinMargin = 1500us;

/// Sends to the port and remembers which notes sound, so that stopping can release each one.
class PortSink : public PlaybackSink
{
public:
    explicit PortSink(RtMidiOut &out) : m_out(out) { }

    void send(const PlaybackEvent &event) override
    {
        const int key = event.channel() * 128 + event.data1;
        if (event.type() == 0x90)
            m_sounding.set(std::size_t(key));
        else if (event.type() == 0x80)
            m_sounding.reset(std::size_t(key));
        const unsigned char bytes[3] = { event.status, event.data1, event.data2 };
        m_out.sendMessage(bytes, event.type() == 0xC0 ? 2 : 3);
        if (m_dueSet)
            m_lateUs.push_back(std::chrono::duration<double, std::micro>(Clock::now() - m_due).count());
    }

    void releaseAll() override
    {
        for (std::size_t key = 0; key < m_sounding.size(); ++key)
            if (m_sounding.test(key))
                raw(0x80 | int(key / 128), int(key % 128), 0);
        m_sounding.reset();
        for (int channel = 0; channel < 16; ++channel) {
            raw(0xB0 | channel, 64, 0); // sustain off
            raw(0xB0 | channel, 123, 0); // All Notes Off
            raw(0xB0 | channel, 121, 0); // Reset All Controllers
            // Paced: a burst of ~50 messages can overflow one JACK period's MIDI buffer (or a
            // hardware interface's input) and lose messages; a millisecond per 4 channels avoids it.
            if (channel % 4 == 3)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    /// Messages sent from now on are measured against `due`.
    void setDue(Clock::time_point due) { m_due = due, m_dueSet = true; }
    void clearDue() { m_dueSet = false; }
    std::vector<double> &lateUs() { return m_lateUs; }

private:
    void raw(int status, int data1, int data2)
    {
        const unsigned char bytes[3] = { (unsigned char)status, (unsigned char)data1, (unsigned char)data2 };
        m_out.sendMessage(bytes, 3);
    }

    RtMidiOut &m_out;
    std::bitset<16 * 128> m_sounding;
    Clock::time_point m_due;
    bool m_dueSet = false;
    std::vector<double> m_lateUs;
};
} // namespace

struct MidiPortPlayer::Impl
{
    midiio::MidiClient<RtMidiOut> port;
    std::string portName;
    std::unique_ptr<PortSink> sink;

    mutable std::mutex mutex; // guards everything below and every send
    std::condition_variable changed;
    PlaybackTransport transport;
    bool playing = false;
    bool quit = false;
    std::uint64_t generation = 0; // bumped by every transport change
    Clock::time_point startTime;
    double positionSec = 0.0;
    std::thread thread;

    void run();
    void stopLocked()
    {
        playing = false;
        ++generation;
        sink->clearDue();
        sink->releaseAll();
        changed.notify_all();
    }
};

void MidiPortPlayer::Impl::run()
{
    std::unique_lock<std::mutex> lock(mutex);
    while (!quit) {
        if (!playing) {
            changed.wait(lock);
            continue;
        }
        const std::uint64_t seen = generation;
        const double dueElapsed = transport.cursor.nextDueElapsedSec();
        const auto due =
            startTime
            + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(dueElapsed));
        if (changed.wait_until(lock, due - kSpinMargin, [&] { return quit || generation != seen; }))
            continue;
        lock.unlock();
        while (Clock::now() < due)
            std::this_thread::yield();
        lock.lock();
        if (quit || generation != seen)
            continue;
        sink->setDue(due);
        // Everything due at this instant (events are sent strictly before the target).
        const bool more = transport.cursor.advanceTo(dueElapsed + 1e-7, *sink);
        positionSec = transport.cursor.positionSec();
        if (!more)
            stopLocked();
    }
}

MidiPortPlayer::MidiPortPlayer(const MidiPortChoice &choice) : m_impl(std::make_unique<Impl>())
{
    m_impl->port = midiio::openPort<RtMidiOut>(choice, "output", m_impl->portName);
    m_impl->sink = std::make_unique<PortSink>(*m_impl->port.client);
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->run(); });
}

MidiPortPlayer::~MidiPortPlayer()
{
    {
        const std::lock_guard<std::mutex> lock(m_impl->mutex);
        m_impl->stopLocked(); // all notes off and controllers reset on exit too
        m_impl->quit = true;
        m_impl->changed.notify_all();
    }
    m_impl->thread.join();
}

const std::string &MidiPortPlayer::api() const { return m_impl->port.api; }
const std::string &MidiPortPlayer::portName() const { return m_impl->portName; }

void MidiPortPlayer::setScore(const Score &score, const PlaybackOptions &options)
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    if (m_impl->playing)
        m_impl->stopLocked();
    m_impl->transport.setScore(score, options);
    m_impl->positionSec = 0.0;
}

double MidiPortPlayer::durationSec() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->transport.cursor.endSec();
}

void MidiPortPlayer::setLoop(bool enabled, double startSec, double endSec)
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->transport.setLoop(enabled, startSec, endSec);
}

void MidiPortPlayer::play(double fromSec)
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->sink->clearDue();
    m_impl->transport.cursor.seek(fromSec, *m_impl->sink);
    m_impl->sink->lateUs().clear();
    m_impl->positionSec = m_impl->transport.cursor.positionSec();
    m_impl->startTime = Clock::now();
    m_impl->playing = true;
    ++m_impl->generation;
    m_impl->changed.notify_all();
}

void MidiPortPlayer::stop()
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    if (m_impl->playing)
        m_impl->stopLocked();
}

bool MidiPortPlayer::isPlaying() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    return m_impl->playing;
}

double MidiPortPlayer::positionSec() const
{
    const std::lock_guard<std::mutex> lock(m_impl->mutex);
    if (!m_impl->playing)
        return m_impl->positionSec;
    // Between messages the playhead moves with the clock (up to the next due message).
    const double elapsed = std::chrono::duration<double>(Clock::now() - m_impl->startTime).count();
    const double ahead = std::min(elapsed, m_impl->transport.cursor.nextDueElapsedSec())
                       - m_impl->transport.cursor.elapsedSec();
    return m_impl->transport.cursor.positionSec() + std::max(0.0, ahead);
}

MidiTimingStats MidiPortPlayer::timingStats() const
{
    std::vector<double> late;
    {
        const std::lock_guard<std::mutex> lock(m_impl->mutex);
        late = m_impl->sink->lateUs();
    }
    MidiTimingStats stats;
    stats.messages = std::int64_t(late.size());
    if (late.empty())
        return stats;
    double sum = 0.0, sumSquares = 0.0;
    for (double v : late)
        sum += v, sumSquares += v * v;
    stats.meanLateUs = sum / late.size();
    stats.stddevLateUs =
        std::sqrt(std::max(0.0, sumSquares / late.size() - stats.meanLateUs * stats.meanLateUs));
    std::sort(late.begin(), late.end());
    const auto at = [&](double q) { return late[std::min(late.size() - 1, std::size_t(q * late.size()))]; };
    stats.p50LateUs = at(0.5);
    stats.p99LateUs = at(0.99);
    stats.maxLateUs = late.back();
    return stats;
}

} // namespace continuo
