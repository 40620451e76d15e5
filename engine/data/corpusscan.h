// SPDX-License-Identifier: GPL-3.0-or-later
// Scanning a folder of MIDI files for training: parse in parallel, keep the usable, report the rest.
#pragma once

#include "core/hash.h"
#include "jobs/jobcontext.h"
#include "score/score.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace continuo {

/// Why a file of a corpus is or is not used.
enum class CorpusFileStatus {
    Usable, ///< parsed, has pitched notes
    Unreadable, ///< cannot be read or is not a usable MIDI file
    NoNotes, ///< parsed, but holds no notes
    DrumsOnly, ///< every note is on the percussion channel
};

/// "usable", "unreadable", "no notes", "drums only".
const char *corpusFileStatusText(CorpusFileStatus status);

/// One file of a scanned corpus.
struct CorpusFile
{
    std::filesystem::path path;
    CorpusFileStatus status = CorpusFileStatus::Unreadable;
    std::string problem; ///< for unusable files: one sentence naming the problem
    std::uint64_t contentHash = 0; ///< FNV-1a of the file's bytes (0 if unreadable)
    std::size_t noteCount = 0; ///< pitched notes
    std::size_t warningCount = 0; ///< recoverable oddities met while reading
    double durationSec = 0.0;
    Score score; ///< the parsed score (usable files only)
};

/// The result of a scan: every MIDI file under the folder, sorted by path.
struct CorpusScan
{
    std::filesystem::path folder;
    std::vector<CorpusFile> files;

    std::size_t usableCount() const;
    /// Identifies the corpus's contents: a hash of the usable files' content hashes in path order.
    std::uint64_t fingerprint() const;
};

/// Scans `folder` recursively. Files are parsed on `threads` worker threads (0: one per core);
/// progress is reported from the calling thread in files; cancel stops within a file per worker.
/// Call on a job's worker thread. @throws IoError if the folder cannot be listed. A cancelled
/// scan returns the files scanned so far.
CorpusScan scanCorpus(const std::filesystem::path &folder, JobContext &context, unsigned threads = 0);

} // namespace continuo
