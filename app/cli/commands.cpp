// SPDX-License-Identifier: GPL-3.0-or-later
// What every continuo-cli command shares: the error boundary.
#include "cli/commands.h"

#include "core/error.h"

#include <iostream>

namespace continuo::cli {

int runReportingErrors(const std::function<int()> &body)
{
    try {
        return body();
    } catch (const Error &error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
}

} // namespace continuo::cli
