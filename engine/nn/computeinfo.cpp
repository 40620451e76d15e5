// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch capability query.
#include "nn/computeinfo.h"

#include <dlfcn.h>

#include <torch/torch.h>
#include <torch/version.h>

namespace continuo {

ComputeInfo computeInfo()
{
    ComputeInfo info;
    info.torchVersion = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "."
                      + std::to_string(TORCH_VERSION_PATCH);
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    info.cpuThreads = static_cast<int>(torch::get_num_threads());
    return info;
}

namespace {
// OpenBLAS's thread control, looked up at run time: the BLAS behind LibTorch is chosen by the
// system (Debian's alternatives), so it may not be OpenBLAS at all.
using SetThreads = void (*)(int);
using GetThreads = int (*)();
SetThreads openblasSetThreads()
{
    return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}
GetThreads openblasGetThreads()
{
    return reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
}
} // namespace

SingleThreadedBlas::SingleThreadedBlas()
{
    const SetThreads set = openblasSetThreads();
    const GetThreads get = openblasGetThreads();
    if (!set || !get)
        return;
    m_previousThreads = get();
    set(1);
}

SingleThreadedBlas::~SingleThreadedBlas()
{
    if (m_previousThreads > 0)
        if (const SetThreads set = openblasSetThreads())
            set(m_previousThreads);
}

} // namespace continuo
