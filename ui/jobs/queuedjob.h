// SPDX-License-Identifier: GPL-3.0-or-later
// Engine jobs seen from the GUI thread: JobRunner callbacks re-posted as queued calls.
#pragma once

#include "jobs/jobrunner.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <memory>

namespace continuo::ui {

/// Wraps callbacks meant for the GUI thread so that the JobRunner's worker thread can call them:
/// each call is queued to `receiver`'s thread (Qt::QueuedConnection) and dropped if `receiver` is
/// gone by then. The result is moved, never copied. Use as
/// `runner.start<R>(work, queuedCallbacks(this, callbacks))`.
template <typename Result>
JobCallbacks<Result> queuedCallbacks(QObject *receiver, JobCallbacks<Result> onGuiThread)
{
    const auto callbacks = std::make_shared<JobCallbacks<Result>>(std::move(onGuiThread));
    const QPointer<QObject> target(receiver);
    const auto post = [target](auto call) {
        if (target)
            QMetaObject::invokeMethod(target.data(), std::move(call), Qt::QueuedConnection);
    };
    JobCallbacks<Result> queued;
    if (callbacks->progress)
        queued.progress = [callbacks, post](std::int64_t done, std::int64_t total, const std::string &stage) {
            post([callbacks, done, total, stage] { callbacks->progress(done, total, stage); });
        };
    if (callbacks->finished)
        queued.finished = [callbacks, post](Result result) {
            auto shared = std::make_shared<Result>(std::move(result));
            post([callbacks, shared] { callbacks->finished(std::move(*shared)); });
        };
    if (callbacks->cancelled)
        queued.cancelled = [callbacks, post] { post([callbacks] { callbacks->cancelled(); }); };
    if (callbacks->failed)
        queued.failed = [callbacks, post](const JobFailure &failure) {
            post([callbacks, failure] { callbacks->failed(failure); });
        };
    return queued;
}

} // namespace continuo::ui
