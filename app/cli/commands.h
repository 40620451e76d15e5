// SPDX-License-Identifier: GPL-3.0-or-later
// The subcommands of continuo-cli: each registers itself on the CLI11 app and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace continuo::cli {

/// Runs a command body and returns its exit status; a continuo::Error becomes "error: <sentence>"
/// on standard error and exit status 1.
int runReportingErrors(const std::function<int()> &body);

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
