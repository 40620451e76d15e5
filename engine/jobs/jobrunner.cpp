// SPDX-License-Identifier: GPL-3.0-or-later
// The worker-thread side of long jobs: throttled progress, cancel flag, exception boundary.
#include "jobs/jobrunner.h"

#include "core/error.h"

namespace continuo {

/// The JobContext the running job sees: throttles progress, reads the runner's cancel flag.
class JobRunner::Context : public JobContext
{
public:
    Context(const std::atomic<bool> &cancelled, ProgressFunction progress, std::chrono::milliseconds interval)
        : m_cancelled(cancelled), m_progress(std::move(progress)), m_interval(interval)
    { }

    void reportProgress(std::int64_t done, std::int64_t total, const std::string &stage) override
    {
        if (!m_progress)
            return;
        const auto now = std::chrono::steady_clock::now();
        const bool complete = total > 0 && done >= total;
        if (!complete && stage == m_lastStage && now - m_lastReport < m_interval)
            return;
        m_lastReport = now;
        m_lastStage = stage;
        m_progress(done, total, stage);
    }
    bool isCancelled() const override { return m_cancelled.load(std::memory_order_relaxed); }

private:
    const std::atomic<bool> &m_cancelled;
    ProgressFunction m_progress;
    std::chrono::milliseconds m_interval;
    std::chrono::steady_clock::time_point m_lastReport {};
    std::string m_lastStage;
};

JobRunner::~JobRunner()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void JobRunner::launch(std::function<void(JobContext &)> body, ProgressFunction progress)
{
    if (m_running.load())
        throw Error("A job is already running.");
    if (m_thread.joinable())
        m_thread.join(); // the previous job has ended; reap its thread
    m_cancelled.store(false);
    m_running.store(true);
    m_thread = std::thread([this, body = std::move(body), progress = std::move(progress)] {
        Context context(m_cancelled, progress, m_minProgressInterval);
        try {
            body(context);
        } catch (...) {
            // A callback threw: a programming error, but it must not take the process down.
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_running.store(false);
        }
        m_ended.notify_all();
    });
}

bool JobRunner::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_ended.wait_for(lock, timeout, [this] { return !m_running.load(); });
}

void JobRunner::wait()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_ended.wait(lock, [this] { return !m_running.load(); });
}

JobFailure JobRunner::failureFromCurrentException()
{
    try {
        throw;
    } catch (const Error &error) {
        return { error.what(), error.detail() };
    } catch (const std::exception &error) {
        const std::string what = error.what();
        return { what.substr(0, what.find('\n')), what };
    } catch (...) {
        return { "The job failed with an unknown error.", {} };
    }
}

} // namespace continuo
