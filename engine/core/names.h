// SPDX-License-Identifier: GPL-3.0-or-later
// Enumerations named at the edges (checkpoints, JSON, the command line): reading a name back.
#pragma once

#include "core/error.h"

#include <initializer_list>
#include <string>

namespace continuo {

/// The value of `values` whose nameOf() is `name`. Any thread.
/// @throws Failure (ModelError unless told) "Unknown <what> "<name>" (a, b or c)."
template <typename Enum, typename Failure = ModelError>
Enum valueNamed(const std::string &name, std::initializer_list<Enum> values, const char *(*nameOf)(Enum),
                const char *what)
{
    std::string names;
    std::size_t index = 0;
    for (Enum value : values) {
        if (name == nameOf(value))
            return value;
        if (index > 0)
            names += index + 1 == values.size() ? " or " : ", ";
        names += nameOf(value);
        ++index;
    }
    throw Failure("Unknown " + std::string(what) + " \"" + name + "\" (" + names + ").");
}

} // namespace continuo
