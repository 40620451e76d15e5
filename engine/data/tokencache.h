// SPDX-License-Identifier: GPL-3.0-or-later
// The on-disk cache of encoded corpus files: one small file per (file contents, encoding settings).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace continuo {

/// What the scan keeps of a usable file, so that a cached file needs no parsing.
struct CachedEncoding
{
    std::size_t noteCount = 0;
    std::size_t warningCount = 0;
    double durationSec = 0.0;
    std::vector<std::int32_t> encoded;
};

/// The cache file of a corpus file's contents (its FNV-1a hash) under an encoding key (the
/// representation, its settings and the encoder's version): a changed file or setting gives
/// another name, so only what changed is encoded again.
std::filesystem::path cachedEncodingPath(const std::filesystem::path &cacheDir, std::uint64_t contentHash,
                                         const std::string &encodingKey);

/// The cached encoding, or nothing if there is none or it is damaged (it is then rebuilt).
/// Never throws.
std::optional<CachedEncoding> readCachedEncoding(const std::filesystem::path &cacheDir,
                                                 std::uint64_t contentHash, const std::string &encodingKey);

/// Stores an encoding (creating the folder, writing a temporary file renamed into place; the file
/// carries its own checksum, so a torn write is detected and rebuilt). @throws IoError.
void writeCachedEncoding(const std::filesystem::path &cacheDir, std::uint64_t contentHash,
                         const std::string &encodingKey, const CachedEncoding &entry);

} // namespace continuo
