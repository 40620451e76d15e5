// SPDX-License-Identifier: GPL-3.0-or-later
// What LibTorch this build runs on: version, CUDA devices, CPU threads.
#pragma once

#include <string>

namespace continuo {

/// The compute back end as LibTorch reports it.
struct ComputeInfo
{
    std::string torchVersion; ///< e.g. "1.13.1"
    bool cudaAvailable = false; ///< LibTorch was built with CUDA and a GPU is present
    int cudaDeviceCount = 0;
    int cpuThreads = 0; ///< intra-op threads LibTorch uses on the CPU
};

/// Queries LibTorch. Any thread. Does not throw.
ComputeInfo computeInfo();

} // namespace continuo
