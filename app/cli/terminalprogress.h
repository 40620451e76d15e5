// SPDX-License-Identifier: GPL-3.0-or-later
// A JobContext for the terminal: a progress bar with ETA on standard error, and Ctrl+C as cancel.
#pragma once

#include "jobs/jobcontext.h"

#include <chrono>
#include <string>

namespace continuo::cli {

/// Draws "stage [#####     ] 52%  ETA 1m20s" on standard error (redrawn in place on a terminal,
/// one line per stage otherwise), at most ten times a second. The first Ctrl+C asks the job to
/// cancel; a second one ends the program. One job at a time, on one thread.
class TerminalProgress : public JobContext
{
public:
    TerminalProgress();
    ~TerminalProgress() override;
    void reportProgress(std::int64_t done, std::int64_t total, const std::string &stage) override;
    bool isCancelled() const override;
    /// Ends the bar's line so that other output starts on a fresh one.
    void finishLine();

private:
    bool m_isTerminal;
    bool m_lineOpen = false;
    std::string m_stage;
    std::chrono::steady_clock::time_point m_stageStart;
    std::chrono::steady_clock::time_point m_lastDraw;
};

} // namespace continuo::cli
