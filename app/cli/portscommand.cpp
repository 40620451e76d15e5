// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli ports`: the MIDI output and input ports of every MIDI API, or why an API is unusable.
#include "cli/commands.h"

#include "midiio/midiports.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace continuo::cli {

namespace {

int listPorts(bool asJson)
{
    nlohmann::json apis = nlohmann::json::array();
    for (const std::string &api : midiApis()) {
        const MidiPortList list = listMidiPorts(api);
        if (asJson) {
            apis.push_back({ { "api", api },
                             { "available", list.isAvailable() },
                             { "outputs", list.outputs },
                             { "inputs", list.inputs },
                             { "problem", list.problem } });
            continue;
        }
        std::cout << api << ":";
        if (!list.isAvailable()) {
            std::cout << " unavailable: " << list.problem << "\n";
            continue;
        }
        std::cout << "\n";
        for (const auto &[title, names] :
             { std::make_pair("outputs", &list.outputs), std::make_pair("inputs", &list.inputs) }) {
            std::cout << "  " << title << ":" << (names->empty() ? " none" : "") << "\n";
            for (std::size_t i = 0; i < names->size(); ++i)
                std::cout << "    " << i << ": " << (*names)[i] << "\n";
        }
    }
    if (asJson)
        std::cout << nlohmann::json { { "apis", apis } }.dump(2) << "\n";
    return 0;
}

} // namespace

void addPortsCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("ports", "List MIDI output and input ports (ALSA, JACK)");
    auto asJson = std::make_shared<bool>(false);
    cmd->add_flag("--json", *asJson, "Print JSON");
    cmd->callback([asJson, &exitCode] { exitCode = runReportingErrors([&] { return listPorts(*asJson); }); });
}

} // namespace continuo::cli
