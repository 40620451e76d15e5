// SPDX-License-Identifier: GPL-3.0-or-later
// A JobContext for the terminal: a progress bar with ETA on standard error, and Ctrl+C as cancel.
#pragma once

#include "core/error.h"
#include "jobs/jobrunner.h"

#include <chrono>
#include <functional>
#include <optional>
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

/// Runs `work` on the engine's job runner, the same path as the app, with `progress` showing its
/// progress and Ctrl+C cancelling it. @return the result, or nothing when it was cancelled.
/// @throws Error with the job's message and detail when it failed.
template <typename Result>
std::optional<Result> runJob(TerminalProgress &progress, std::function<Result(JobContext &)> work)
{
    std::optional<Result> result;
    std::optional<JobFailure> failure;
    JobCallbacks<Result> callbacks;
    callbacks.progress = [&](std::int64_t done, std::int64_t total, const std::string &stage) {
        progress.reportProgress(done, total, stage);
    };
    callbacks.finished = [&](Result r) { result = std::move(r); };
    callbacks.failed = [&](const JobFailure &f) { failure = f; };
    JobRunner runner;
    runner.start<Result>(std::move(work), callbacks);
    while (!runner.waitFor(std::chrono::milliseconds(50)))
        if (progress.isCancelled())
            runner.cancel();
    progress.finishLine();
    if (failure)
        throw Error(failure->message, failure->detail);
    return result;
}

} // namespace continuo::cli
