// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli info`: version and compute back end.
#include "cli/commands.h"

#include "nn/computeinfo.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace continuo::cli {

void addInfoCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand("info", "Show the version and the compute device");
    auto asJson = std::make_shared<bool>(false);
    cmd->add_flag("--json", *asJson, "Print JSON");
    cmd->callback([asJson, &exitCode] {
        const ComputeInfo info = computeInfo();
        if (*asJson) {
            std::cout << nlohmann::json {
                { "continuo", CONTINUO_VERSION },
                { "torch", info.torchVersion },
                { "cuda_available", info.cudaAvailable },
                { "cuda_devices", info.cudaDeviceCount },
                { "cpu_threads", info.cpuThreads }
            }.dump(2) << "\n";
        } else {
            std::cout << "Continuo " << CONTINUO_VERSION << "\nLibTorch " << info.torchVersion << ", "
                      << (info.cudaAvailable ? std::to_string(info.cudaDeviceCount) + " CUDA device(s)"
                                             : std::string("CPU only (no CUDA device)"))
                      << ", " << info.cpuThreads << " CPU thread(s)\n";
        }
        exitCode = 0;
    });
}

} // namespace continuo::cli
