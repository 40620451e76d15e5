// SPDX-License-Identifier: GPL-3.0-or-later
// Port listing and opening through RtMidi, with its errors and warnings caught at this edge.
#include "midiio/midiports.h"

#include "core/error.h"
#include "midiio/internal/rtmidiports.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace continuo {

namespace midiio {

namespace {
std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

std::string problemText(const std::string &api, const std::string &detail)
{
    if (api == "alsa")
        return "The ALSA MIDI sequencer cannot be used (" + detail + "); is /dev/snd/seq there?";
    if (api == "jack")
        return "The JACK MIDI server cannot be reached (" + detail + "); is a JACK server running?";
    return "The " + api + " MIDI API cannot be used (" + detail + ").";
}

template <typename Client> MidiClient<Client> openClient(const std::string &api)
{
    // libjack would otherwise try to start a server with whatever ~/.jackdrc says.
    ::setenv("JACK_NO_START_SERVER", "1", 0);
    MidiClient<Client> c;
    c.api = api;
    try {
        c.client = std::make_unique<Client>(apiByName(api), "Continuo");
    } catch (const RtMidiError &error) {
        throw AudioError(problemText(api, error.getMessage()));
    }
    c.client->setErrorCallback(&RtMidiReport::callback, c.report.get());
    return c;
}
} // namespace

void RtMidiReport::callback(RtMidiError::Type type, const std::string &text, void *data)
{
    auto *report = static_cast<RtMidiReport *>(data);
    report->message = text;
    report->isError = report->isError || type != RtMidiError::WARNING;
}

RtMidi::Api apiByName(const std::string &name)
{
    const RtMidi::Api api = RtMidi::getCompiledApiByName(name);
    if (api == RtMidi::UNSPECIFIED)
        throw AudioError("\"" + name + "\" is not a MIDI API of this build (it has: " + [] {
            std::string all;
            for (const std::string &n : midiApis())
                all += (all.empty() ? "" : ", ") + n;
            return all;
        }() + ").");
    return api;
}

std::string apiName(RtMidi::Api api) { return RtMidi::getApiName(api); }

MidiClient<RtMidiOut> openOutputClient(const std::string &api) { return openClient<RtMidiOut>(api); }
MidiClient<RtMidiIn> openInputClient(const std::string &api) { return openClient<RtMidiIn>(api); }

std::vector<std::string> portNames(RtMidi &client, RtMidiReport &report, std::string &problem)
{
    report.clear();
    std::vector<std::string> names;
    const unsigned int count = client.getPortCount();
    for (unsigned int i = 0; i < count; ++i)
        names.push_back(client.getPortName(i));
    // A JACK client that cannot connect only warns and reports no ports.
    if (!report.message.empty() && (report.isError || names.empty()))
        problem = report.message;
    return names;
}

unsigned int findPort(const std::vector<std::string> &names, const std::string &wanted,
                      const std::string &api, const char *direction)
{
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == wanted)
            return unsigned(i);
    if (!wanted.empty()
        && std::all_of(wanted.begin(), wanted.end(), [](unsigned char c) { return std::isdigit(c); })
        && std::stoul(wanted) < names.size())
        return unsigned(std::stoul(wanted));
    std::vector<unsigned int> matches;
    for (std::size_t i = 0; i < names.size(); ++i)
        if (lower(names[i]).find(lower(wanted)) != std::string::npos)
            matches.push_back(unsigned(i));
    if (matches.size() == 1)
        return matches.front();
    std::string list;
    for (const std::string &n : names)
        list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
    if (names.empty())
        throw AudioError(std::string("There are no ") + api + " MIDI " + direction + " ports.");
    throw AudioError("MIDI " + std::string(direction) + " port \"" + wanted + "\" "
                     + (matches.empty() ? "was not found" : "is ambiguous") + " among the " + api
                     + " ports: " + list + ".");
}

template <typename Client>
MidiClient<Client> openPort(const MidiPortChoice &choice, const char *direction, std::string &portName)
{
    const std::vector<std::string> apis =
        choice.api.empty() ? midiApis() : std::vector<std::string> { choice.api };
    std::string problems;
    for (const std::string &api : apis) {
        try {
            MidiClient<Client> c = openClient<Client>(api);
            std::string problem;
            const std::vector<std::string> names = portNames(*c.client, *c.report, problem);
            if (!problem.empty())
                throw AudioError(problemText(api, problem));
            const unsigned int index = findPort(names, choice.port, api, direction);
            c.report->clear();
            c.client->openPort(index, "Continuo");
            if (c.report->isError || !c.client->isPortOpen())
                throw AudioError("MIDI " + std::string(direction) + " port \"" + names[index]
                                 + "\" could not be opened (" + c.report->message + ").");
            portName = names[index];
            return c;
        } catch (const AudioError &error) {
            if (apis.size() == 1)
                throw;
            problems += std::string(problems.empty() ? "" : " ") + error.what();
        }
    }
    throw AudioError("No MIDI " + std::string(direction) + " port \"" + choice.port + "\" could be opened. "
                     + problems);
}

template MidiClient<RtMidiOut> openPort(const MidiPortChoice &, const char *, std::string &);
template MidiClient<RtMidiIn> openPort(const MidiPortChoice &, const char *, std::string &);

} // namespace midiio

std::vector<std::string> midiApis()
{
    std::vector<RtMidi::Api> apis;
    RtMidi::getCompiledApi(apis);
    std::vector<std::string> names;
    for (RtMidi::Api api : apis)
        if (api != RtMidi::RTMIDI_DUMMY)
            names.push_back(RtMidi::getApiName(api));
    return names;
}

MidiPortList listMidiPorts(const std::string &api)
{
    MidiPortList list;
    list.api = api;
    try {
        auto out = midiio::openOutputClient(api);
        std::string problem;
        list.outputs = midiio::portNames(*out.client, *out.report, problem);
        if (problem.empty()) {
            auto in = midiio::openInputClient(api);
            list.inputs = midiio::portNames(*in.client, *in.report, problem);
        }
        if (!problem.empty()) {
            list = MidiPortList { api, {}, {}, midiio::problemText(api, problem) };
        }
    } catch (const AudioError &error) {
        list.outputs.clear();
        list.inputs.clear();
        list.problem = error.what();
    }
    return list;
}

} // namespace continuo
