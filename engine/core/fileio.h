// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file reads with a size cap, and safe writes: a temporary file in the target folder, renamed into
// place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <vector>

namespace continuo {

/// Reads a whole file into memory. Any thread.
/// @param maxBytes  files larger than this are refused (protects memory from hostile input)
/// @throws IoError if the file cannot be opened or read, or is larger than maxBytes.
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path &path, std::size_t maxBytes);

/// A file written through a temporary name: `<path>.tmp` in the target folder is created at
/// construction and filled by write() (or by a library through descriptor()); commit() flushes it
/// to disk and renames it over `path`. Destroyed without a successful commit(), it removes the
/// temporary file and leaves `path` as it was. One thread at a time.
class AtomicFile
{
public:
    /// @throws IoError naming `path` if the temporary file cannot be created.
    explicit AtomicFile(const std::filesystem::path &path);
    ~AtomicFile();
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    /// The temporary file's POSIX descriptor, for a library that writes into it itself (and must
    /// not close it).
    int descriptor() const;
    /// Appends bytes. @throws IoError naming `path`.
    void write(const std::uint8_t *data, std::size_t size);
    /// Flushes to disk, closes and renames into place. @throws IoError naming `path`; the
    /// temporary file is then removed.
    void commit();

private:
    void discard();

    std::filesystem::path m_path;
    std::filesystem::path m_tmp;
    std::FILE *m_file = nullptr;
};

/// Writes bytes to `path` atomically (AtomicFile): they go to `<path>.tmp` in the same folder, are flushed,
/// and the temporary file is renamed over `path`. A crash leaves either the old file or the new
/// one, never a partial file. Any thread (distinct paths).
/// @throws IoError if writing or renaming fails; the temporary file is removed and `path` is untouched.
void writeFileAtomically(const std::filesystem::path &path, const std::uint8_t *data, std::size_t size);
void writeFileAtomically(const std::filesystem::path &path, const std::vector<std::uint8_t> &bytes);
void writeFileAtomically(const std::filesystem::path &path, std::string_view text);

} // namespace continuo
