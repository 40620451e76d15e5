// SPDX-License-Identifier: GPL-3.0-or-later
// A linear layer prepared for one-step inference on the CPU. Internal to engine/nn.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace continuo::nn {

/// y = x Wᵀ + b for the few rows x that one generation step has (batch 1 to 8), where LibTorch's
/// general matrix product (OpenBLAS) is slow: at batch 1 it is a matrix-vector product, bound by
/// reading the weights. On a CPU with AVX-512 it runs a hand kernel over the weights copied when it
/// is made: in float32 with fused multiply-adds (Exact), or, with Fast on a CPU with AVX-512 BF16,
/// over bfloat16 weights with bfloat16 dot products (inputs rounded to bfloat16, sums in float32):
/// half the bytes to read, a few times faster, logits within about 1% of float32's. Elsewhere, or for
/// widths the kernels do not take, LibTorch computes it. Immutable once made; any thread.
class FastLinear
{
public:
    enum class Arithmetic { Exact, Fast };

    /// @param weight [rows, cols] float32, @param bias [rows] float32 (copied)
    FastLinear(const torch::Tensor &weight, const torch::Tensor &bias, Arithmetic arithmetic);

    /// @param x [batch, cols] float32 (any strides) @return [batch, rows]
    torch::Tensor operator()(const torch::Tensor &x) const;
    /// True if this CPU runs the bfloat16 kernel (Fast then differs from Exact).
    static bool hasBf16Kernel();

private:
    enum class Kernel { Bf16, Float32, Torch };

    Kernel m_kernel;
    int64_t m_rows, m_cols;
    torch::Tensor m_weight, m_bias; ///< float32 copies
    std::vector<std::uint16_t> m_bf16; ///< the weights in bfloat16, row-major, for Kernel::Bf16
};

} // namespace continuo::nn
