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
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_quit = true;
    }
    cancel();
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void JobRunner::enqueue(std::function<void(JobContext &)> body, ProgressFunction progress)
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.push_back(
            { std::move(body), std::move(progress), std::make_shared<std::atomic<bool>>(false) });
        ++m_unfinished;
        if (!m_thread.joinable())
            m_thread = std::thread([this] { runJobs(); });
    }
    m_changed.notify_all();
}

void JobRunner::runJobs()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [this] { return m_quit || !m_queue.empty(); });
        if (m_queue.empty())
            return; // quitting, nothing left to deliver
        Job job = std::move(m_queue.front());
        m_queue.pop_front();
        m_current = job.cancelled;
        lock.unlock();
        Context context(*job.cancelled, job.progress, m_minProgressInterval);
        try {
            job.body(context);
        } catch (...) {
            // A callback threw: a programming error, but it must not take the process down.
        }
        job = {};
        lock.lock();
        m_current.reset();
        --m_unfinished;
        m_changed.notify_all();
    }
}

void JobRunner::cancel()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_current)
        m_current->store(true);
    for (const Job &job : m_queue)
        job.cancelled->store(true);
}

bool JobRunner::isRunning() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_unfinished > 0;
}

bool JobRunner::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return m_unfinished == 0; });
}

void JobRunner::wait()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait(lock, [this] { return m_unfinished == 0; });
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
