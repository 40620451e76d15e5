// SPDX-License-Identifier: GPL-3.0-or-later
// Per-user folders, after the XDG Base Directory specification.
#include "core/paths.h"

#include <cstdlib>

namespace continuo {

std::filesystem::path userCacheDir()
{
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "continuo";
    if (const char *home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".cache" / "continuo";
    return {};
}

std::filesystem::path defaultTokenCacheDir()
{
    const std::filesystem::path base = userCacheDir();
    return base.empty() ? base : base / "tokens";
}

} // namespace continuo
