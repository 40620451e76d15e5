// SPDX-License-Identifier: GPL-3.0-or-later
// What continuo-cli's commands share: the error boundary, the cache and instrument options.
#include "cli/commands.h"

#include "core/error.h"
#include "core/paths.h"
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

std::filesystem::path CacheOptions::folder() const
{
    if (off)
        return {};
    return dir.empty() ? defaultTokenCacheDir() : std::filesystem::path(dir);
}

void addCacheOptions(CLI::App &command, CacheOptions &options)
{
    command.add_option("--cache", options.dir,
                       "Folder for the encoded corpus files (default: " + defaultTokenCacheDir().string()
                           + ")");
    command.add_flag("--no-cache", options.off, "Encode every file again and cache nothing");
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
