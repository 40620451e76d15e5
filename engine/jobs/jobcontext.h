// SPDX-License-Identifier: GPL-3.0-or-later
// The small interface a long algorithm uses to report progress and notice cancellation.
#pragma once

#include <cstdint>
#include <string>

namespace continuo {

/// Passed to long-running algorithms (scan, train, generate, render). They know nothing of threads:
/// they call reportProgress() now and then and return early when isCancelled() turns true.
class JobContext
{
public:
    virtual ~JobContext() = default;
    /// Reports progress. Units are the algorithm's own (files, batches, events); `total` <= 0 means
    /// unknown. `stage` is a short phrase for people ("Parsing files"). Called on the worker thread.
    virtual void reportProgress(std::int64_t done, std::int64_t total, const std::string &stage) = 0;
    /// True once cancellation was asked for. Cheap; check it at every batch or step. Any thread.
    virtual bool isCancelled() const = 0;
};

/// A context for running an algorithm directly, in tests or on the command line: progress is
/// dropped and the job is never cancelled.
class PlainJobContext : public JobContext
{
public:
    void reportProgress(std::int64_t, std::int64_t, const std::string &) override { }
    bool isCancelled() const override { return false; }
};

/// A step of a larger job: cancelled with it, its progress kept to itself (the outer job reports its own).
class QuietContext : public JobContext
{
public:
    explicit QuietContext(const JobContext &outer) : m_outer(outer) { }
    void reportProgress(std::int64_t, std::int64_t, const std::string &) override { }
    bool isCancelled() const override { return m_outer.isCancelled(); }

private:
    const JobContext &m_outer;
};

} // namespace continuo
