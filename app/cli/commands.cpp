// SPDX-License-Identifier: GPL-3.0-or-later
// What every continuo-cli command shares: the error boundary.
#include "cli/commands.h"

#include "core/error.h"
#include "score/playback.h"

#include <iostream>

namespace continuo::cli {

int runReportingErrors(const std::function<int()> &body)
{
    try {
        return body();
    } catch (const Error &error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
}

PlaybackOptions partPrograms(const std::vector<std::string> &values)
{
    PlaybackOptions options;
    for (const std::string &value : values) {
        const std::size_t equals = value.find('=');
        int part = -1, program = -1;
        try {
            part = std::stoi(value.substr(0, equals));
            program = equals == std::string::npos ? -1 : std::stoi(value.substr(equals + 1));
        } catch (const std::exception &) {
            part = -1;
        }
        if (part < 0 || part > 1000 || program < 0 || program > 127)
            throw Error("--program wants PART=PROGRAM, a part index and a General MIDI program 0..127, not \""
                        + value + "\".");
        if (options.partPrograms.size() <= std::size_t(part))
            options.partPrograms.resize(std::size_t(part) + 1, -1);
        options.partPrograms[std::size_t(part)] = program;
    }
    return options;
}

} // namespace continuo::cli
