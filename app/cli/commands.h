// SPDX-License-Identifier: GPL-3.0-or-later
// The subcommands of continuo-cli: each registers itself on the CLI11 app and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>

namespace continuo::cli {

/// `inspect FILE... [--json]`
void addInspectCommand(CLI::App &app, int &exitCode);
/// `bench parse DIR [--repeat N] [--peer SCRIPT]`
void addBenchCommand(CLI::App &app, int &exitCode);
/// `train --corpus DIR --out FILE [--repr --preset --epochs ...]`
void addTrainCommand(CLI::App &app, int &exitCode);
/// `eval --model FILE --corpus DIR [--json]`
void addEvalCommand(CLI::App &app, int &exitCode);
/// `info [--json]`: versions and compute device
void addInfoCommand(CLI::App &app, int &exitCode);

} // namespace continuo::cli
