// SPDX-License-Identifier: GPL-3.0-or-later
// A small, stable content hash for cache keys, fingerprints and checksums.
#pragma once

#include <cstddef>
#include <cstdint>

namespace continuo {

/// 64-bit FNV-1a of `size` bytes, continuing from `seed` (the FNV offset basis by default).
/// The same on every platform and run. Not cryptographic. Any thread.
inline std::uint64_t fnv1a64(const std::uint8_t *data, std::size_t size,
                             std::uint64_t seed = 0xcbf29ce484222325ull)
{
    std::uint64_t hash = seed;
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= data[i];
        hash *= 0x100000001b3ull;
    }
    return hash;
}

} // namespace continuo
