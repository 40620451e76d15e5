// SPDX-License-Identifier: GPL-3.0-or-later
// Runs one long job on a worker thread: throttled progress, cooperative cancel, exactly one outcome.
#pragma once

#include "jobs/jobcontext.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
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

/// Runs jobs one after another on its own worker thread. start() never waits and never throws:
/// a job started while another runs (or is still delivering its outcome) is queued behind it, so
/// "cancel, then start again" is always well defined. Exceptions never leave the worker: a
/// continuo::Error or std::exception becomes `failed`, with the first line of what() as the
/// message (LibTorch appends a backtrace after it). A job that returns after cancel() was asked
/// ends as `cancelled`, whatever it returned; a queued job that was cancelled before it began is
/// not run, and ends as `cancelled` in its turn. Progress is passed on at most every
/// `minProgressInterval` (default 50 ms, about 20 a second), and always when done == total.
/// Methods may be called from any thread except the jobs' own; the destructor cancels every job
/// and waits for the worker.
class JobRunner
{
public:
    JobRunner() = default;
    ~JobRunner();
    JobRunner(const JobRunner &) = delete;
    JobRunner &operator=(const JobRunner &) = delete;

    /// Queues `work`; it starts once the jobs before it have delivered their outcomes.
    template <typename Result>
    void start(std::function<Result(JobContext &)> work, JobCallbacks<Result> callbacks);

    /// Asks the running job and every queued one to stop; it takes effect at each job's next
    /// isCancelled() check. Jobs started afterwards are not affected.
    void cancel();
    /// True from start() until the terminal callback of the last job started has returned.
    bool isRunning() const;
    /// Waits until every job started has delivered its outcome. Returns false if one had not
    /// ended within `timeout`.
    bool waitFor(std::chrono::milliseconds timeout);
    /// Waits until every job started has delivered its outcome, without a time limit.
    void wait();

    void setMinProgressInterval(std::chrono::milliseconds interval) { m_minProgressInterval = interval; }

    using ProgressFunction = std::function<void(std::int64_t, std::int64_t, const std::string &)>;

private:
    class Context;
    struct Job
    {
        std::function<void(JobContext &)> body;
        ProgressFunction progress;
        std::shared_ptr<std::atomic<bool>> cancelled;
    };
    void enqueue(std::function<void(JobContext &)> body, ProgressFunction progress);
    void runJobs();
    static JobFailure failureFromCurrentException();

    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Job> m_queue; ///< jobs not begun yet
    std::shared_ptr<std::atomic<bool>> m_current; ///< the running job's cancel flag, or null
    std::size_t m_unfinished = 0; ///< queued and running jobs
    bool m_quit = false;
    std::chrono::milliseconds m_minProgressInterval { 50 };
};

template <typename Result>
void JobRunner::start(std::function<Result(JobContext &)> work, JobCallbacks<Result> callbacks)
{
    // Taken out first: argument evaluation order is unspecified, and the lambda moves `callbacks`.
    ProgressFunction progress = callbacks.progress;
    enqueue(
        [work = std::move(work), callbacks = std::move(callbacks)](JobContext &context) {
            bool failed = false;
            JobFailure failure;
            std::unique_ptr<Result> result;
            if (!context.isCancelled()) { // a queued job cancelled before it began is not run
                try {
                    result = std::make_unique<Result>(work(context));
                } catch (...) {
                    failed = true;
                    failure = failureFromCurrentException();
                }
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
