// SPDX-License-Identifier: GPL-3.0-or-later
#include "repr/representation.h"

#include "core/names.h"

namespace continuo {

const char *representationName(Representation representation)
{
    switch (representation) {
    case Representation::Performance: return "performance";
    case Representation::Notes: return "notes";
    case Representation::Compound: return "compound";
    }
    return "";
}

Representation representationFromName(const std::string &name)
{
    return valueNamed(name, { Representation::Performance, Representation::Notes, Representation::Compound },
                      representationName, "representation");
}

} // namespace continuo
