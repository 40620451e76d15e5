// SPDX-License-Identifier: GPL-3.0-or-later
// RtMidi at the backend edge: API names, opening clients and ports, errors turned into AudioError.
#pragma once

#include "midiio/midiports.h"

#include <RtMidi.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace continuo::midiio {

/// RtMidi's reports for one client. RtMidi calls back instead of throwing once a callback is
/// set, and prints warnings ("JACK server not running?") otherwise; both land here instead.
struct RtMidiReport
{
    std::string message;
    bool isError = false;

    void clear() { message.clear(), isError = false; }
    static void callback(RtMidiError::Type type, const std::string &text, void *data);
};

/// How long a JACK client waits between closing its port and closing itself.
///
/// JACK2 (1.9.21) ends a client's notification and process threads with pthread_cancel, and its
/// threads are cancelled asynchronously: a thread stopped in the middle of malloc leaves that heap
/// arena locked, and the next thread to use the arena deadlocks (jackaudio/jack2 #395; seen here
/// as jack_client_close hanging in a test). Closing the port makes JACK notify every client; by
/// waiting a little, those notifications, and a process cycle still under way, are done with
/// before the threads are cancelled.
constexpr std::chrono::milliseconds kJackSettle { 20 };

/// An RtMidi client (RtMidiIn or RtMidiOut) with its report. Closing it (on destruction or
/// assignment) closes the port first, and on JACK waits kJackSettle before closing the client.
template <typename Client> struct MidiClient
{
    std::unique_ptr<Client> client;
    std::unique_ptr<RtMidiReport> report = std::make_unique<RtMidiReport>();
    std::string api;

    MidiClient() = default;
    MidiClient(MidiClient &&) = default;
    MidiClient &operator=(MidiClient &&other)
    {
        close();
        client = std::move(other.client);
        report = std::move(other.report);
        api = std::move(other.api);
        return *this;
    }
    ~MidiClient() { close(); }

    void close()
    {
        if (!client)
            return;
        client->closePort();
        if (client->getCurrentApi() == RtMidi::UNIX_JACK)
            std::this_thread::sleep_for(kJackSettle);
        client.reset();
    }
};

RtMidi::Api apiByName(const std::string &name);
std::string apiName(RtMidi::Api api);

/// Opens a client of `api` named "Continuo". @throws AudioError (no ALSA sequencer, ...).
MidiClient<RtMidiOut> openOutputClient(const std::string &api);
MidiClient<RtMidiIn> openInputClient(const std::string &api);

/// Port names of a client; fills `problem` when the API cannot be reached.
std::vector<std::string> portNames(RtMidi &client, RtMidiReport &report, std::string &problem);

/// The index of the port `wanted` names (exact name, unique case-insensitive part, or index).
/// @throws AudioError naming the port and listing what exists.
unsigned int findPort(const std::vector<std::string> &names, const std::string &wanted,
                      const std::string &api, const char *direction);

/// Resolves `choice` (trying every API when none is named) and opens the port on a new client.
/// @throws AudioError.
template <typename Client>
MidiClient<Client> openPort(const MidiPortChoice &choice, const char *direction, std::string &portName);

} // namespace continuo::midiio
