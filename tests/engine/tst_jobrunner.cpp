// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the job runner: exactly one outcome, cancel within a bounded time, errors, progress.
#include "core/error.h"
#include "jobs/jobrunner.h"

#include <QtTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace continuo;
using namespace std::chrono_literals;

namespace {
/// Counts terminal callbacks; records the last value and failure.
struct Outcomes
{
    std::atomic<int> finished { 0 }, cancelled { 0 }, failed { 0 };
    std::atomic<int> value { -1 };
    JobFailure failure;
    std::vector<std::int64_t> progress;

    JobCallbacks<int> callbacks()
    {
        JobCallbacks<int> c;
        c.progress = [this](std::int64_t done, std::int64_t, const std::string &) {
            progress.push_back(done);
        };
        c.finished = [this](int v) { value = v, ++finished; };
        c.cancelled = [this] { ++cancelled; };
        c.failed = [this](const JobFailure &f) { failure = f, ++failed; };
        return c;
    }
    int total() const { return finished + cancelled + failed; }
};

/// Runs until cancelled, checking every millisecond; the "training loop" of these tests.
int spinUntilCancelled(JobContext &context)
{
    std::int64_t step = 0;
    while (!context.isCancelled()) {
        context.reportProgress(++step, 0, "spinning");
        std::this_thread::sleep_for(1ms);
    }
    return 0;
}
} // namespace

class TestJobRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void finishesOnceWithTheResult()
    {
        Outcomes outcomes;
        JobRunner runner;
        runner.start<int>(
            [](JobContext &context) {
                for (int i = 1; i <= 100; ++i)
                    context.reportProgress(i, 100, "counting");
                return 42;
            },
            outcomes.callbacks());
        QVERIFY(runner.waitFor(5s));
        QCOMPARE(outcomes.finished.load(), 1);
        QCOMPARE(outcomes.total(), 1);
        QCOMPARE(outcomes.value.load(), 42);
        QVERIFY(!runner.isRunning());
        // Throttled, but the first and the completing report always arrive, in order.
        QVERIFY(!outcomes.progress.empty() && outcomes.progress.size() < 100);
        QCOMPARE(outcomes.progress.front(), std::int64_t(1));
        QCOMPARE(outcomes.progress.back(), std::int64_t(100));
        QVERIFY(std::is_sorted(outcomes.progress.begin(), outcomes.progress.end()));
    }

    void cancelTakesEffectQuickly()
    {
        Outcomes outcomes;
        JobRunner runner;
        runner.start<int>(spinUntilCancelled, outcomes.callbacks());
        std::this_thread::sleep_for(20ms);
        QVERIFY(runner.isRunning());
        const auto asked = std::chrono::steady_clock::now();
        runner.cancel();
        QVERIFY(runner.waitFor(1s));
        const auto took = std::chrono::steady_clock::now() - asked;
        qInfo("cancelled after %lld ms",
              qlonglong(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
        QCOMPARE(outcomes.cancelled.load(), 1);
        QCOMPARE(outcomes.total(), 1);
    }

    void errorsBecomeFailures()
    {
        Outcomes outcomes;
        JobRunner runner;
        runner.start<int>([](JobContext &) -> int { throw SmfError("song.mid", 12, 1, "bad bytes"); },
                          outcomes.callbacks());
        runner.wait();
        QCOMPARE(outcomes.failed.load(), 1);
        QCOMPARE(outcomes.total(), 1);
        QCOMPARE(outcomes.failure.message, std::string("song.mid: bad bytes (at byte 12, chunk 1)"));

        Outcomes other;
        runner.start<int>([](JobContext &) -> int { throw std::runtime_error("first line\nbacktrace..."); },
                          other.callbacks());
        runner.wait();
        QCOMPARE(other.failed.load(), 1);
        QCOMPARE(other.failure.message, std::string("first line"));
        QCOMPARE(other.failure.detail, std::string("first line\nbacktrace..."));
    }

    void oneJobAtATime()
    {
        Outcomes outcomes;
        JobRunner runner;
        runner.start<int>(spinUntilCancelled, outcomes.callbacks());
        QVERIFY_THROWS_EXCEPTION(Error, runner.start<int>(spinUntilCancelled, {}));
        runner.cancel();
        runner.wait();
        QCOMPARE(outcomes.total(), 1);
    }

    void destructorCancelsAndWaits()
    {
        Outcomes outcomes;
        {
            JobRunner runner;
            runner.start<int>(spinUntilCancelled, outcomes.callbacks());
            std::this_thread::sleep_for(5ms);
        }
        QCOMPARE(outcomes.cancelled.load(), 1);
        QCOMPARE(outcomes.total(), 1);
    }
};

QTEST_APPLESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
