// SPDX-License-Identifier: GPL-3.0-or-later
#include "nn/internal/fastlinear.h"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CONTINUO_X86_KERNELS 1
#endif

namespace continuo::nn {

namespace {

#ifdef CONTINUO_X86_KERNELS
bool cpuHas(const char *feature)
{
    __builtin_cpu_init();
    return std::strcmp(feature, "avx512bf16") == 0 ? __builtin_cpu_supports("avx512bf16") != 0
                                                   : __builtin_cpu_supports("avx512f") != 0;
}

/// Round to nearest even, as the hardware's conversions do.
std::uint16_t toBf16(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return std::uint16_t((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

/// y[b][r] = dot(W[r], x[b]) + bias[r]; cols a multiple of 16.
__attribute__((target("avx512f"))) void float32Kernel(const float *w, const float *bias, const float *x,
                                                      float *y, int64_t batch, int64_t rows, int64_t cols)
{
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t b = 0; b < batch; ++b) {
            const float *row = w + r * cols, *in = x + b * cols;
            __m512 sum = _mm512_setzero_ps();
            for (int64_t k = 0; k < cols; k += 16)
                sum = _mm512_fmadd_ps(_mm512_loadu_ps(row + k), _mm512_loadu_ps(in + k), sum);
            y[b * rows + r] = _mm512_reduce_add_ps(sum) + bias[r];
        }
}

/// The same over bfloat16 weights and inputs; cols a multiple of 32, at most 4096.
__attribute__((target("avx512f,avx512bw,avx512bf16"))) void bf16Kernel(const std::uint16_t *w,
                                                                       const float *bias, const float *x,
                                                                       float *y, int64_t batch, int64_t rows,
                                                                       int64_t cols)
{
    alignas(64) std::uint16_t in[8][4096];
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t k = 0; k < cols; k += 32) {
            const __m512bh pairs = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + b * cols + k + 16),
                                                       _mm512_loadu_ps(x + b * cols + k));
            _mm512_store_si512(static_cast<void *>(in[b] + k), reinterpret_cast<const __m512i &>(pairs));
        }
    for (int64_t r = 0; r < rows; ++r) {
        const std::uint16_t *row = w + r * cols;
        for (int64_t b = 0; b < batch; ++b) {
            __m512 sum = _mm512_setzero_ps();
            for (int64_t k = 0; k < cols; k += 32) {
                const __m512i weights = _mm512_loadu_si512(static_cast<const void *>(row + k));
                const __m512i inputs = _mm512_load_si512(static_cast<const void *>(in[b] + k));
                sum = _mm512_dpbf16_ps(sum, reinterpret_cast<const __m512bh &>(weights),
                                       reinterpret_cast<const __m512bh &>(inputs));
            }
            y[b * rows + r] = _mm512_reduce_add_ps(sum) + bias[r];
        }
    }
}
#endif

constexpr int64_t kMaxBatch = 8;

} // namespace

bool FastLinear::hasBf16Kernel()
{
#ifdef CONTINUO_X86_KERNELS
    static const bool has = cpuHas("avx512bf16") && cpuHas("avx512f");
    return has;
#else
    return false;
#endif
}

FastLinear::FastLinear(const torch::Tensor &weight, const torch::Tensor &bias, Arithmetic arithmetic)
    : m_kernel(Kernel::Torch)
    , m_rows(weight.size(0))
    , m_cols(weight.size(1))
    , m_weight(weight.detach().to(torch::kCPU, torch::kFloat32).contiguous().clone())
    , m_bias(bias.detach().to(torch::kCPU, torch::kFloat32).contiguous().clone())
{
#ifdef CONTINUO_X86_KERNELS
    if (arithmetic == Arithmetic::Fast && hasBf16Kernel() && m_cols % 32 == 0 && m_cols <= 4096) {
        m_kernel = Kernel::Bf16;
        const float *w = m_weight.data_ptr<float>();
        m_bf16.resize(std::size_t(m_rows * m_cols));
        for (std::size_t i = 0; i < m_bf16.size(); ++i)
            m_bf16[i] = toBf16(w[i]);
    } else if (cpuHas("avx512f") && m_cols % 16 == 0) {
        m_kernel = Kernel::Float32;
    }
#else
    (void)arithmetic;
#endif
}

torch::Tensor FastLinear::operator()(const torch::Tensor &x) const
{
    const int64_t batch = x.size(0);
    if (m_kernel == Kernel::Torch || batch > kMaxBatch)
        return torch::addmm(m_bias, x, m_weight.t());
    const torch::Tensor in = x.contiguous();
    torch::Tensor out = torch::empty({ batch, m_rows });
#ifdef CONTINUO_X86_KERNELS
    if (m_kernel == Kernel::Bf16)
        bf16Kernel(m_bf16.data(), m_bias.data_ptr<float>(), in.data_ptr<float>(), out.data_ptr<float>(),
                   batch, m_rows, m_cols);
    else
        float32Kernel(m_weight.data_ptr<float>(), m_bias.data_ptr<float>(), in.data_ptr<float>(),
                      out.data_ptr<float>(), batch, m_rows, m_cols);
#endif
    return out;
}

} // namespace continuo::nn
