// SPDX-License-Identifier: GPL-3.0-or-later
// Terminal progress bar and SIGINT-driven cancellation.
#include "cli/terminalprogress.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace continuo::cli {

namespace {
std::atomic<bool> s_interrupted { false };

extern "C" void onInterrupt(int)
{
    if (s_interrupted.exchange(true))
        std::_Exit(130); // the second Ctrl+C
}

std::string formatDuration(double seconds)
{
    const long total = long(seconds + 0.5);
    if (total >= 3600)
        return std::to_string(total / 3600) + "h" + std::to_string(total / 60 % 60) + "m";
    if (total >= 60)
        return std::to_string(total / 60) + "m" + std::to_string(total % 60) + "s";
    return std::to_string(total) + "s";
}
} // namespace

TerminalProgress::TerminalProgress() : m_isTerminal(::isatty(STDERR_FILENO) != 0)
{
    s_interrupted = false;
    std::signal(SIGINT, onInterrupt);
}

TerminalProgress::~TerminalProgress()
{
    finishLine();
    std::signal(SIGINT, SIG_DFL);
}

bool TerminalProgress::isCancelled() const { return s_interrupted.load(); }

void TerminalProgress::finishLine()
{
    if (m_lineOpen)
        std::fputc('\n', stderr);
    m_lineOpen = false;
}

void TerminalProgress::reportProgress(std::int64_t done, std::int64_t total, const std::string &stage)
{
    const auto now = std::chrono::steady_clock::now();
    const bool newStage = stage != m_stage;
    if (newStage) {
        finishLine();
        m_stage = stage;
        m_stageStart = now;
    }
    if (!m_isTerminal) { // a log file: one line per stage
        if (newStage)
            std::fprintf(stderr, "%s\n", stage.c_str());
        return;
    }
    if (!newStage && now - m_lastDraw < std::chrono::milliseconds(100) && done < total)
        return;
    m_lastDraw = now;
    std::string line = stage;
    if (total > 0) {
        const double fraction = double(done) / double(total);
        const int width = 30, filled = int(fraction * width);
        line += " [" + std::string(std::size_t(filled), '#') + std::string(std::size_t(width - filled), ' ')
              + "] " + std::to_string(int(fraction * 100)) + "%";
        const double elapsed = std::chrono::duration<double>(now - m_stageStart).count();
        if (done > 0 && done < total)
            line += "  ETA " + formatDuration(elapsed * double(total - done) / double(done));
    }
    std::fprintf(stderr, "\r%-79s", line.c_str());
    std::fflush(stderr);
    m_lineOpen = true;
}

} // namespace continuo::cli
