// SPDX-License-Identifier: GPL-3.0-or-later
// The .ckpt container: a JSON header and named binary blobs, with a checksum, written atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace continuo {

/// What a checkpoint file holds. The model code decides the header's fields (format version,
/// representation and vocabulary, hyperparameters, corpus fingerprint, metrics, creation time) and
/// the blobs (weights, optimizer state) as LibTorch serialises them.
struct CheckpointContents
{
    std::string headerJson;
    std::vector<std::pair<std::string, std::string>> blobs; ///< name, bytes

    /// The blob called `name`, or nullptr.
    const std::string *blob(const std::string &name) const;
};

/// The container format this build writes and reads.
constexpr std::uint32_t kCheckpointContainerVersion = 1;

/// Encodes a checkpoint:
///
///   "CONTINUO-CHECKPOINT\n"  u32 version  u64 header length  header
///   u32 blob count  { u32 name length  name  u64 size  bytes }*  u64 FNV-1a of everything before
///
/// Integers are little-endian. Any thread.
std::string encodeCheckpoint(const CheckpointContents &contents);

/// Decodes a checkpoint. @param source  the file name used in messages.
/// @throws ModelError with one sentence naming the file: not a Continuo model, made by a newer
///         version, cut short, or damaged (checksum mismatch, impossible lengths).
CheckpointContents decodeCheckpoint(const std::string &bytes, const std::string &source);

/// Writes through a temporary file renamed into place. @throws IoError.
void writeCheckpointFile(const std::filesystem::path &path, const CheckpointContents &contents);
/// Reads and decodes. @throws IoError if unreadable, ModelError if not a valid checkpoint.
CheckpointContents readCheckpointFile(const std::filesystem::path &path);

} // namespace continuo
