// SPDX-License-Identifier: GPL-3.0-or-later
// The size of a one-head LSTM language model, as the benchmarks and their Python peer name it.
#pragma once

namespace continuo {

/// The peer's model flags (../shared/reference/torch_reference.py) and their defaults.
struct LstmShape
{
    int vocab = 388;
    int embed = 256;
    int hidden = 512;
    int layers = 2;
};

} // namespace continuo
