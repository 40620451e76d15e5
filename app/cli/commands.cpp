// SPDX-License-Identifier: GPL-3.0-or-later
// What continuo-cli's commands share: the error boundary, the cache options.
#include "cli/commands.h"

#include "core/error.h"
#include "core/paths.h"

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

} // namespace continuo::cli
