// SPDX-License-Identifier: GPL-3.0-or-later
#include "repr/representation.h"

#include "core/names.h"

namespace continuo {

const char *representationName(Representation representation)
{
    return representation == Representation::Notes ? "notes" : "performance";
}

Representation representationFromName(const std::string &name)
{
    return valueNamed(name, { Representation::Performance, Representation::Notes }, representationName,
                      "representation");
}

} // namespace continuo
