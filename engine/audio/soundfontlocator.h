// SPDX-License-Identifier: GPL-3.0-or-later
// Where the built-in synth finds its General MIDI SoundFont.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace continuo {

/// The places searched for a SoundFont, in order (DESIGN.md §6): the user's choice, the
/// `soundfonts/` folder next to the executable and in the source tree, `$CONTINUO_SOUNDFONT`
/// (a file or a folder), then the system's General MIDI fonts in /usr/share/sounds/sf2/.
struct SoundFontSearch
{
    std::filesystem::path userChoice; ///< empty: none; a file that must exist (it is not skipped)
    /// Folder of the running executable; empty: found from /proc/self/exe.
    std::filesystem::path executableDir;
    /// `soundfonts/` of the source tree; empty: the one this build was configured from.
    std::filesystem::path sourceDir;
    /// Value of $CONTINUO_SOUNDFONT; empty: read from the environment.
    std::filesystem::path environmentChoice;
    /// The system folder; tests point it elsewhere.
    std::filesystem::path systemDir = "/usr/share/sounds/sf2";
};

/// Every SoundFont file found, in search order, without duplicates. In a folder, `default-GM.sf2`
/// (Debian's link to the preferred General MIDI font) comes first, then the `.sf2`/`.sf3` files by
/// name. Only checks that files exist; loading checks the content. Any thread.
std::vector<std::filesystem::path> soundFontCandidates(const SoundFontSearch &search = {});

/// The first candidate. @throws AudioError when the user's choice does not exist, or when no
/// SoundFont is found anywhere (the message names the places searched).
std::filesystem::path findSoundFont(const SoundFontSearch &search = {});

/// findSoundFont() with the user's choice (a file; empty: none) and the other places as default.
std::filesystem::path findSoundFont(const std::string &userChoice);

/// The folders and variables searched, as one line for messages and `--help`.
std::string soundFontSearchDescription(const SoundFontSearch &search = {});

} // namespace continuo
