// SPDX-License-Identifier: GPL-3.0-or-later
// The size of a one-head language model, as the benchmarks and their Python peer name it.
#pragma once

#include <string>

namespace continuo {

/// The peer's model flags (../shared/reference/torch_reference.py) and their defaults.
struct NetShape
{
    std::string arch = "lstm"; ///< "lstm" or "transformer"
    int vocab = 388;
    int embed = 256; ///< transformer: its width
    int hidden = 512; ///< lstm only
    int layers = 2;
    int heads = 4; ///< transformer only
    int ff = 1024; ///< transformer only: the feed-forward width
};

} // namespace continuo
