// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file reads with a size cap, and safe writes: a temporary file in the target folder, renamed into
// place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace continuo {

/// Reads a whole file into memory. Any thread.
/// @param maxBytes  files larger than this are refused (protects memory from hostile input)
/// @throws IoError if the file cannot be opened or read, or is larger than maxBytes.
std::vector<std::uint8_t> readFileBytes(const std::filesystem::path &path, std::size_t maxBytes);

/// Writes bytes to `path` atomically: they go to `<path>.tmp` in the same folder, are flushed,
/// and the temporary file is renamed over `path`. A crash leaves either the old file or the new
/// one, never a partial file. Any thread (distinct paths).
/// @throws IoError if writing or renaming fails; the temporary file is removed and `path` is untouched.
void writeFileAtomically(const std::filesystem::path &path, const std::uint8_t *data, std::size_t size);
void writeFileAtomically(const std::filesystem::path &path, const std::vector<std::uint8_t> &bytes);
void writeFileAtomically(const std::filesystem::path &path, std::string_view text);

} // namespace continuo
