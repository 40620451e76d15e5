// SPDX-License-Identifier: GPL-3.0-or-later
// Parallel corpus scan: a pool of threads takes files from a shared counter; the caller reports progress.
#include "data/corpusscan.h"

#include "core/error.h"
#include "core/fileio.h"
#include "data/tokencache.h"
#include "midi/midifiles.h"
#include "midi/smfreader.h"
#include "score/smfconvert.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

namespace continuo {

const char *corpusFileStatusText(CorpusFileStatus status)
{
    switch (status) {
    case CorpusFileStatus::Usable: return "usable";
    case CorpusFileStatus::Unreadable: return "unreadable";
    case CorpusFileStatus::NoNotes: return "no notes";
    case CorpusFileStatus::DrumsOnly: return "drums only";
    }
    return "unknown";
}

std::size_t CorpusScan::usableCount() const
{
    return std::size_t(std::count_if(files.begin(), files.end(), [](const CorpusFile &f) {
        return f.status == CorpusFileStatus::Usable;
    }));
}

std::size_t CorpusScan::cachedCount() const
{
    return std::size_t(
        std::count_if(files.begin(), files.end(), [](const CorpusFile &f) { return f.fromCache; }));
}

std::uint64_t CorpusScan::fingerprint() const
{
    std::uint64_t hash = fnv1a64(nullptr, 0);
    for (const CorpusFile &file : files)
        if (file.status == CorpusFileStatus::Usable)
            hash = fnv1a64(reinterpret_cast<const std::uint8_t *>(&file.contentHash), sizeof file.contentHash,
                           hash);
    return hash;
}

namespace {

bool readFromCache(CorpusFile &file, const ScanEncoding &encoding)
{
    std::optional<CachedEncoding> entry =
        readCachedEncoding(encoding.cacheDir, file.contentHash, encoding.key);
    if (!entry)
        return false;
    file.status = CorpusFileStatus::Usable;
    file.noteCount = entry->noteCount;
    file.warningCount = entry->warningCount;
    file.durationSec = entry->durationSec;
    file.encoded = std::move(entry->encoded);
    file.fromCache = true;
    return true;
}

void encode(CorpusFile &file, const ScanEncoding &encoding)
{
    file.encoded = encoding.encode(file.score);
    file.score = Score();
    if (encoding.cacheDir.empty())
        return;
    try {
        writeCachedEncoding(encoding.cacheDir, file.contentHash, encoding.key,
                            { file.noteCount, file.warningCount, file.durationSec, file.encoded });
    } catch (const Error &) {
        // An unwritable cache is not worth failing a scan: the file is encoded again next time.
    }
}

CorpusFile scanFile(const std::filesystem::path &path, const ScanEncoding *encoding)
{
    CorpusFile file;
    file.path = path;
    try {
        const SmfReadLimits limits;
        const std::vector<std::uint8_t> bytes = readFileBytes(path, limits.maxFileBytes);
        file.contentHash = fnv1a64(bytes.data(), bytes.size());
        if (encoding && !encoding->cacheDir.empty() && readFromCache(file, *encoding))
            return file;
        Score score = scoreFromSmf(readSmf(bytes.data(), bytes.size(), path.string(), limits));
        file.warningCount = score.warnings.size();
        file.durationSec = score.durationSec();
        file.noteCount = std::size_t(
            std::count_if(score.notes.begin(), score.notes.end(), [](const Note &n) { return !n.isDrum(); }));
        if (score.notes.empty()) {
            file.status = CorpusFileStatus::NoNotes;
            file.problem = path.string() + ": the file holds no notes.";
        } else if (file.noteCount == 0) {
            file.status = CorpusFileStatus::DrumsOnly;
            file.problem = path.string() + ": every note is a drum note (channel 10).";
        } else {
            file.status = CorpusFileStatus::Usable;
            file.score = std::move(score);
            if (encoding)
                encode(file, *encoding);
        }
    } catch (const Error &error) {
        file.status = CorpusFileStatus::Unreadable;
        file.problem = error.what();
    }
    return file;
}

} // namespace

CorpusScan scanCorpus(const std::filesystem::path &folder, JobContext &context, unsigned threads,
                      const ScanEncoding *encoding)
{
    CorpusScan scan;
    scan.folder = folder;
    const std::vector<std::filesystem::path> paths = findMidiFiles(folder);
    scan.files.resize(paths.size());
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, unsigned(std::max<std::size_t>(1, paths.size())));

    std::atomic<std::size_t> next { 0 }, done { 0 };
    std::atomic<bool> stop { false };
    std::vector<char> scanned(paths.size(), 0);
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            for (std::size_t i; !stop.load() && (i = next.fetch_add(1)) < paths.size();) {
                scan.files[i] = scanFile(paths[i], encoding); // each worker writes only its own slots
                scanned[i] = 1;
                done.fetch_add(1);
            }
        });
    const auto total = std::int64_t(paths.size());
    while (done.load() < paths.size() && !stop.load()) {
        context.reportProgress(std::int64_t(done.load()), total, "Reading MIDI files");
        if (context.isCancelled())
            stop.store(true);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (std::thread &worker : workers)
        worker.join();
    context.reportProgress(std::int64_t(done.load()), total, "Reading MIDI files");
    if (stop.load()) { // cancelled: keep what was scanned
        std::vector<CorpusFile> kept;
        for (std::size_t i = 0; i < paths.size(); ++i)
            if (scanned[i])
                kept.push_back(std::move(scan.files[i]));
        scan.files = std::move(kept);
    }
    return scan;
}

} // namespace continuo
