// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers for the device tests: a private JACK server (dummy backend), MIDI clients that close
// safely, a probe for a live connection, and a main that reports a missing device as skipped.
#pragma once

#include "audiotestutil.h"

#include <QObject>

#include <RtMidi.h>
#include <jack/jack.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace continuo::test {

/// A JACK server of its own for one test process: `jackd` with the dummy backend (no sound
/// hardware), under a unique name that JACK_DEFAULT_SERVER points every client of this process at.
/// Stopped (SIGTERM, then SIGKILL) by the destructor.
class JackServer
{
public:
    JackServer() : m_name("continuo-test-" + std::to_string(::getpid())) { }
    ~JackServer() { stop(); }
    JackServer(const JackServer &) = delete;
    JackServer &operator=(const JackServer &) = delete;

    const std::string &name() const { return m_name; }

    /// Starts the server and waits until a client can connect. Returns an empty string on
    /// success, otherwise why the device is missing (the caller skips).
    std::string start(int periodFrames = 128)
    {
        ::setenv("JACK_DEFAULT_SERVER", m_name.c_str(), 1);
        ::setenv("JACK_NO_START_SERVER", "1", 1);
        const std::string period = std::to_string(periodFrames);
        const char *argv[] = { "jackd", "--no-realtime", "-n", m_name.c_str(), "-d",   "dummy",
                               "-r",    "48000",         "-p", period.c_str(), nullptr };
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        const int failed =
            posix_spawnp(&m_pid, "jackd", &actions, nullptr, const_cast<char **>(argv), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (failed) {
            m_pid = -1;
            return "jackd could not be started (" + std::string(std::strerror(failed))
                 + "); install Debian's jackd2 to run this test";
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            jack_status_t status;
            if (jack_client_t *probe =
                    jack_client_open("continuo-probe", jack_options_t(JackNoStartServer | JackServerName),
                                     &status, m_name.c_str())) {
                jack_client_close(probe);
                return {};
            }
            int exitStatus = 0;
            if (::waitpid(m_pid, &exitStatus, WNOHANG) == m_pid) {
                m_pid = -1;
                return "jackd -d dummy exited at start (status " + std::to_string(exitStatus) + ")";
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        stop();
        return "jackd -d dummy did not accept clients within 10 s";
    }

    void stop()
    {
        if (m_pid <= 0)
            return;
        ::kill(m_pid, SIGTERM);
        for (int i = 0; i < 100; ++i) { // up to 5 s
            if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                m_pid = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
        m_pid = -1;
    }

private:
    std::string m_name;
    pid_t m_pid = -1;
};

/// An RtMidi client of a test that closes as the engine's clients do (midiio::kJackSettle): its
/// port first, then, a moment later, the client, so that JACK2 does not cancel its threads in the
/// middle of a notification.
template <typename Client> class SettlingClient : public Client
{
public:
    using Client::Client;
    ~SettlingClient() override
    {
        this->closePort();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
};

/// A "keyboard": opens `keyboard` on the first port whose name contains `name`, then sends `probe`
/// every 10 ms until `arrived()` (a JACK connection goes live at a later process cycle, and what
/// is sent before is lost), and waits 100 ms more for a probe still on its way.
/// @return false if no port matches or nothing arrived within 2 s
inline bool connectAndProbe(RtMidiOut &keyboard, const std::string &name, std::vector<unsigned char> probe,
                            const std::function<bool()> &arrived)
{
    unsigned int port = keyboard.getPortCount();
    for (unsigned int i = 0; i < keyboard.getPortCount(); ++i)
        if (keyboard.getPortName(i).find(name) != std::string::npos)
            port = i;
    if (port >= keyboard.getPortCount())
        return false;
    keyboard.openPort(port);
    for (int i = 0; i < 200 && !arrived(); ++i) {
        keyboard.sendMessage(&probe);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return arrived();
}

/// The base of a test class that needs a JACK server: initTestCase calls startJack() and skips
/// when it returns false; CONTINUO_DEVICE_TEST_MAIN then reports the run as skipped.
class JackDeviceTest : public QObject
{
public:
    const std::string &deviceMissing() const { return m_deviceMissing; }

protected:
    JackServer &jack() { return m_jack; }
    /// Starts this process's JACK server; false when it cannot (deviceMissing() says why).
    bool startJack(int periodFrames)
    {
        m_deviceMissing = m_jack.start(periodFrames);
        return m_deviceMissing.empty();
    }

private:
    JackServer m_jack;
    std::string m_deviceMissing;
};

/// Exit status ctest reads as "skipped" (SKIP_RETURN_CODE): a device the test needs is missing.
constexpr int kSkipExitCode = 77;

} // namespace continuo::test

/// A main for device tests: runs the suite and exits 77 (ctest: skipped) when initTestCase found
/// the device missing and skipped, so a missing device never looks like a pass.
#define CONTINUO_DEVICE_TEST_MAIN(TestClass)                                                                 \
    int main(int argc, char **argv)                                                                          \
    {                                                                                                        \
        TestClass test;                                                                                      \
        const int status = QTest::qExec(&test, argc, argv);                                                  \
        return status == 0 && !test.deviceMissing().empty() ? continuo::test::kSkipExitCode : status;        \
    }
