// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli excerpt`: a range of a MIDI file as a file of its own (how the bundled seeds are made).
#include "cli/commands.h"

#include "score/smfconvert.h"

#include <cstdio>
#include <memory>

namespace continuo::cli {

namespace {

struct ExcerptCommandOptions
{
    std::string in;
    std::string out;
    ScoreRangeOptions range;
};

int runExcerpt(const ExcerptCommandOptions &o)
{
    std::string where;
    const Score excerpt = scoreRange(readScoreFile(o.in), o.range, &where);
    saveScoreFile(excerpt, o.out);
    std::fprintf(stderr, "wrote %s: %s of %s, %zu notes, %.1f s\n", o.out.c_str(), where.c_str(),
                 o.in.c_str(), excerpt.notes.size(), excerpt.durationSec());
    return 0;
}

} // namespace

void addExcerptCommand(CLI::App &app, int &exitCode)
{
    auto *cmd =
        app.add_subcommand("excerpt", "Write a range of a MIDI file (bars, beats or seconds) as a new file");
    auto o = std::make_shared<ExcerptCommandOptions>();
    auto *in = cmd->add_option("in", o->in, "MIDI file")->required()->check(CLI::ExistingFile);
    addScoreRangeOptions(*cmd, o->range, in);
    cmd->add_option("--out", o->out, "MIDI file to write (through a temporary file)")->required();
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runExcerpt(*o); }); });
}

} // namespace continuo::cli
