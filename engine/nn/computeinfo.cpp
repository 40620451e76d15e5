// SPDX-License-Identifier: GPL-3.0-or-later
// LibTorch capability query.
#include "nn/computeinfo.h"

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

} // namespace continuo
