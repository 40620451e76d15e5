// SPDX-License-Identifier: GPL-3.0-or-later
// continuo-cli: the engine without a window.
#include "cli/commands.h"

int main(int argc, char **argv)
{
    CLI::App app {
        "Continuo command line: inspect MIDI files, train models and generate with them, render and play, "
        "benchmark the engine."
    };
    app.require_subcommand(1);
    int exitCode = 0;
    continuo::cli::addInspectCommand(app, exitCode);
    continuo::cli::addTrainCommand(app, exitCode);
    continuo::cli::addEvalCommand(app, exitCode);
    continuo::cli::addGenerateCommand(app, exitCode);
    continuo::cli::addFillCommand(app, exitCode);
    continuo::cli::addExcerptCommand(app, exitCode);
    continuo::cli::addIndexCommand(app, exitCode);
    continuo::cli::addRenderCommand(app, exitCode);
    continuo::cli::addPlayCommand(app, exitCode);
    continuo::cli::addPortsCommand(app, exitCode);
    continuo::cli::addBenchCommand(app, exitCode);
    continuo::cli::addInfoCommand(app, exitCode);
    CLI11_PARSE(app, argc, argv);
    return exitCode;
}
