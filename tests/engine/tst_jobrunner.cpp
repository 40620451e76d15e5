// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the job runner: exactly one outcome, cancel within a bounded time, errors, progress.
#include "core/error.h"
#include "jobs/jobrunner.h"

#include <QtTest>

#include <atomic>
#include <mutex>
#include <string>
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

    void aJobStartedWhileAnotherRunsWaitsItsTurn()
    {
        JobRunner runner;
        std::mutex mutex;
        std::vector<std::string> events; // in the order they happened
        const auto log = [&](std::string event) {
            const std::lock_guard<std::mutex> lock(mutex);
            events.push_back(std::move(event));
        };
        JobCallbacks<int> first;
        first.cancelled = [&] { log("first cancelled"); };
        runner.start<int>(spinUntilCancelled, first);
        std::this_thread::sleep_for(5ms);
        runner.cancel(); // cancel, then start again at once: no wait, no exception
        JobCallbacks<int> second;
        second.finished = [&](int value) { log("second finished " + std::to_string(value)); };
        runner.start<int>(
            [&](JobContext &) {
                log("second began");
                return 7;
            },
            second);
        QVERIFY(runner.isRunning());
        QVERIFY(runner.waitFor(2s));
        QVERIFY(!runner.isRunning());
        QCOMPARE(events,
                 std::vector<std::string>({ "first cancelled", "second began", "second finished 7" }));
    }

    void aQueuedJobCancelledBeforeItBeginsIsNotRun()
    {
        JobRunner runner;
        Outcomes first, second;
        std::atomic<bool> secondRan { false };
        runner.start<int>(spinUntilCancelled, first.callbacks());
        runner.start<int>(
            [&](JobContext &) {
                secondRan = true;
                return 1;
            },
            second.callbacks());
        runner.cancel(); // both: the running one and the one queued behind it
        runner.wait();
        QCOMPARE(first.cancelled.load(), 1);
        QCOMPARE(second.cancelled.load(), 1);
        QCOMPARE(first.total() + second.total(), 2);
        QVERIFY(!secondRan.load());
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
