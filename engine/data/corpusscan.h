// SPDX-License-Identifier: GPL-3.0-or-later
// Scanning a folder of MIDI files for training: parse in parallel, keep the usable, report the rest.
#pragma once

#include "core/hash.h"
#include "jobs/jobcontext.h"
#include "score/score.h"

#include <cstdint>
#include <filesystem>
#include <functional>
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
    Score score; ///< the parsed score (usable files of a scan without an encoding only)
    std::vector<std::int32_t> encoded; ///< usable files of a scan with an encoding: the encoding
    bool fromCache = false; ///< the encoding came from the cache, without parsing the file
};

/// How a scan encodes every usable file for a representation, and where it caches the result.
struct ScanEncoding
{
    /// Names the representation, its settings and the encoder's version: part of the cache key,
    /// so change it whenever the encoding of a score would change.
    std::string key;
    /// The encoding of a score (any thread; never throws for a usable score).
    std::function<std::vector<std::int32_t>(const Score &)> encode;
    /// Where encodings are cached, one file per file contents and key; empty: no cache.
    std::filesystem::path cacheDir;
};

/// The result of a scan: every MIDI file under the folder, sorted by path.
struct CorpusScan
{
    std::filesystem::path folder;
    std::vector<CorpusFile> files;

    std::size_t usableCount() const;
    std::size_t cachedCount() const; ///< files whose encoding came from the cache
    /// Identifies the corpus's contents: a hash of the usable files' content hashes in path order.
    std::uint64_t fingerprint() const;
};

/// Scans `folder` recursively. Files are parsed on `threads` worker threads (0: one per core);
/// progress is reported from the calling thread in files; cancel stops within a file per worker.
/// With an `encoding`, every usable file is encoded on the worker threads (or read from the
/// cache without parsing, when its contents were encoded before with the same key) and its score
/// is not kept. A cache that cannot be written only costs the time to encode again.
/// Call on a job's worker thread. @throws IoError if the folder cannot be listed. A cancelled
/// scan returns the files scanned so far.
CorpusScan scanCorpus(const std::filesystem::path &folder, JobContext &context, unsigned threads = 0,
                      const ScanEncoding *encoding = nullptr);

} // namespace continuo
