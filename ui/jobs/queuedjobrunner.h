// SPDX-License-Identifier: GPL-3.0-or-later
// Engine jobs seen from the GUI thread: a JobRunner whose callbacks arrive as queued calls and signals.
#pragma once

#include "jobs/jobrunner.h"

#include <QMetaObject>
#include <QObject>
#include <QString>

#include <chrono>
#include <memory>

namespace continuo::ui {

/// A JobRunner for widgets. Jobs run one after another on the runner's worker thread (start()
/// never waits: a job started while another ends is queued behind it). Everything a job reports
/// reaches the thread this object lives in as a queued call, never the worker: first the
/// callbacks given to start(), then the signals. Calls still queued when the object is destroyed
/// are dropped. The destructor cancels every job and waits for the worker, which a cancelled job
/// leaves at its next check. GUI thread.
class QueuedJobRunner : public QObject
{
    Q_OBJECT
public:
    explicit QueuedJobRunner(QObject *parent = nullptr);
    ~QueuedJobRunner() override;

    /// Queues `work`; `callbacks` run on this object's thread.
    template <typename Result>
    void start(std::function<Result(JobContext &)> work, JobCallbacks<Result> callbacks = {});

    /// Cancels the running job and the queued ones (see JobRunner::cancel).
    void cancel() { m_runner.cancel(); }
    /// True from start() until the last job's outcome has left the worker (its queued calls may
    /// still be on their way).
    bool isRunning() const { return m_runner.isRunning(); }
    /// For tests: waits until every job has delivered its outcome to the queue.
    bool waitFor(std::chrono::milliseconds timeout) { return m_runner.waitFor(timeout); }

Q_SIGNALS:
    /// A job's progress: `done` of `total` (0: unknown) in `stage`.
    void progressChanged(qint64 done, qint64 total, const QString &stage);
    /// A job ended with a result (after its finished callback ran).
    void finished();
    /// A job ended because it was cancelled.
    void cancelled();
    /// A job failed: one sentence, and the technical detail.
    void failed(const QString &message, const QString &detail);

private:
    /// Runs `call` on this object's thread, unless the object is gone by then.
    template <typename Call> void post(Call call)
    {
        QMetaObject::invokeMethod(this, std::move(call), Qt::QueuedConnection);
    }

    JobRunner m_runner; ///< last: destroyed (joined) before anything its jobs report to
};

template <typename Result>
void QueuedJobRunner::start(std::function<Result(JobContext &)> work, JobCallbacks<Result> callbacks)
{
    const auto onGuiThread = std::make_shared<JobCallbacks<Result>>(std::move(callbacks));
    JobCallbacks<Result> queued;
    queued.progress = [this, onGuiThread](std::int64_t done, std::int64_t total, const std::string &stage) {
        post([this, onGuiThread, done, total, stage] {
            if (onGuiThread->progress)
                onGuiThread->progress(done, total, stage);
            Q_EMIT progressChanged(done, total, QString::fromStdString(stage));
        });
    };
    queued.finished = [this, onGuiThread](Result result) {
        auto shared = std::make_shared<Result>(std::move(result));
        post([this, onGuiThread, shared] {
            if (onGuiThread->finished)
                onGuiThread->finished(std::move(*shared));
            Q_EMIT finished();
        });
    };
    queued.cancelled = [this, onGuiThread] {
        post([this, onGuiThread] {
            if (onGuiThread->cancelled)
                onGuiThread->cancelled();
            Q_EMIT cancelled();
        });
    };
    queued.failed = [this, onGuiThread](const JobFailure &failure) {
        post([this, onGuiThread, failure] {
            if (onGuiThread->failed)
                onGuiThread->failed(failure);
            Q_EMIT failed(QString::fromStdString(failure.message), QString::fromStdString(failure.detail));
        });
    };
    m_runner.start<Result>(std::move(work), std::move(queued));
}

} // namespace continuo::ui
