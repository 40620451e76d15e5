// SPDX-License-Identifier: GPL-3.0-or-later
// Runs one long job on a worker thread: throttled progress, cooperative cancel, exactly one outcome.
#pragma once

#include "jobs/jobcontext.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace continuo {

/// Why a job failed: a sentence for people and technical detail for the log.
struct JobFailure
{
    std::string message;
    std::string detail;
};

/// What the runner calls. Every callback runs on the worker thread; the UI re-posts them to the
/// GUI thread. Exactly one of finished, cancelled or failed is called, once, after the last
/// progress call. Unset callbacks are skipped.
template <typename Result> struct JobCallbacks
{
    std::function<void(std::int64_t done, std::int64_t total, const std::string &stage)> progress;
    std::function<void(Result result)> finished;
    std::function<void()> cancelled;
    std::function<void(const JobFailure &failure)> failed;
};

/// Owns one worker thread running one job at a time. Exceptions never leave the worker: a
/// continuo::Error or std::exception becomes `failed`, with the first line of what() as the
/// message (LibTorch appends a backtrace after it). A job that returns after cancel() was asked
/// ends as `cancelled`, whatever it returned. Progress is passed on at most every
/// `minProgressInterval` (default 50 ms, about 20 a second), and always when done == total.
/// Methods may be called from any thread except the job's own; the destructor cancels and waits.
class JobRunner
{
public:
    JobRunner() = default;
    ~JobRunner();
    JobRunner(const JobRunner &) = delete;
    JobRunner &operator=(const JobRunner &) = delete;

    /// Starts `work` on a new worker thread. @throws Error if a job is still running.
    template <typename Result>
    void start(std::function<Result(JobContext &)> work, JobCallbacks<Result> callbacks);

    /// Asks the running job to stop; it takes effect at the job's next isCancelled() check.
    void cancel() { m_cancelled.store(true); }
    /// True from start() until the terminal callback has returned.
    bool isRunning() const { return m_running.load(); }
    /// Waits for the job's outcome. Returns false if it had not ended within `timeout`.
    bool waitFor(std::chrono::milliseconds timeout);
    /// Waits for the job's outcome without a time limit.
    void wait();

    void setMinProgressInterval(std::chrono::milliseconds interval) { m_minProgressInterval = interval; }

    using ProgressFunction = std::function<void(std::int64_t, std::int64_t, const std::string &)>;

private:
    class Context;
    void launch(std::function<void(JobContext &)> body, ProgressFunction progress);
    static JobFailure failureFromCurrentException();

    std::thread m_thread;
    std::atomic<bool> m_cancelled { false };
    std::atomic<bool> m_running { false };
    std::mutex m_mutex;
    std::condition_variable m_ended;
    std::chrono::milliseconds m_minProgressInterval { 50 };
};

template <typename Result>
void JobRunner::start(std::function<Result(JobContext &)> work, JobCallbacks<Result> callbacks)
{
    // Taken out first: argument evaluation order is unspecified, and the lambda moves `callbacks`.
    ProgressFunction progress = callbacks.progress;
    launch(
        [work = std::move(work), callbacks = std::move(callbacks)](JobContext &context) {
            bool failed = false;
            JobFailure failure;
            std::unique_ptr<Result> result;
            try {
                result = std::make_unique<Result>(work(context));
            } catch (...) {
                failed = true;
                failure = failureFromCurrentException();
            }
            if (context.isCancelled()) {
                if (callbacks.cancelled)
                    callbacks.cancelled();
            } else if (failed) {
                if (callbacks.failed)
                    callbacks.failed(failure);
            } else if (callbacks.finished) {
                callbacks.finished(std::move(*result));
            }
        },
        std::move(progress));
}

} // namespace continuo
