// SPDX-License-Identifier: GPL-3.0-or-later
// Finding MIDI files in a folder tree.
#pragma once

#include <filesystem>
#include <vector>

namespace continuo {

/// True for names ending in .mid, .midi, .kar, .smf or .rmi (any case).
bool hasMidiExtension(const std::filesystem::path &path);

/// Every MIDI file under `folder`, recursively, sorted by path. Unreadable subfolders are skipped.
/// Any thread. @throws IoError if `folder` is not a readable folder.
std::vector<std::filesystem::path> findMidiFiles(const std::filesystem::path &folder);

} // namespace continuo
