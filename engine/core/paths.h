// SPDX-License-Identifier: GPL-3.0-or-later
// Where Continuo keeps per-user files.
#pragma once

#include <filesystem>

namespace continuo {

/// The user's cache folder for Continuo: $XDG_CACHE_HOME/continuo, else $HOME/.cache/continuo;
/// empty if neither variable is set. Not created here. Any thread.
std::filesystem::path userCacheDir();

/// Where encoded corpus files are cached (ScanEncoding::cacheDir): userCacheDir()/tokens, or empty.
std::filesystem::path defaultTokenCacheDir();

} // namespace continuo
