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

/// While it lives, OpenBLAS (when LibTorch uses it) runs single-threaded. One-step inference
/// multiplies small matrices that threads do not speed up, and OpenBLAS's spinning threads stall
/// such a loop badly when the cores are busy with other work (a 500-step generation measured 0.13 s
/// alone and up to 16 s beside a compiler). Restores the previous thread count when destroyed. A
/// no-op when the BLAS is not OpenBLAS. The setting is process-wide.
class SingleThreadedBlas
{
public:
    SingleThreadedBlas();
    ~SingleThreadedBlas();
    SingleThreadedBlas(const SingleThreadedBlas &) = delete;
    SingleThreadedBlas &operator=(const SingleThreadedBlas &) = delete;

private:
    int m_previousThreads = 0; ///< 0: nothing to restore
};

} // namespace continuo
