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

int pitchHeadOf(Representation representation) { return representation == Representation::Compound ? 1 : 0; }

Representation representationFromName(const std::string &name)
{
    return valueNamed(name, { Representation::Performance, Representation::Notes, Representation::Compound },
                      representationName, "representation");
}

} // namespace continuo
