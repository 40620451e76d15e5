// SPDX-License-Identifier: GPL-3.0-or-later
// A single-layer LSTM with a hand-written backward pass, for fast training on the CPU. Internal to engine/nn.
#pragma once

#include <torch/torch.h>

#include <tuple>

namespace continuo::nn {

/// One LSTM layer over a time-major sequence, with PyTorch's gate order (input, forget, cell,
/// output) and parameter layout, so weights move freely between this and torch::nn::LSTM.
///
/// Forward computes the input projection of all time steps in one matrix product, then per step
/// one product with the recurrent weights and one fused loop for the gate arithmetic. Backward
/// walks the steps in reverse with one fused loop and one product per step, then computes each
/// weight gradient as a single product over all steps. CPU and float32 only; callers use
/// torch::lstm elsewhere (CUDA has cuDNN).
///
/// @param x     [T, B, I] input
/// @param h0,c0 [B, H] initial state
/// @param wih   [4H, I], whh [4H, H], bias [4H] (b_ih + b_hh)
/// @return      y [T, B, H], hT [B, H], cT [B, H]
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor>
fusedLstm(const torch::Tensor &x, const torch::Tensor &h0, const torch::Tensor &c0, const torch::Tensor &wih,
          const torch::Tensor &whh, const torch::Tensor &bias);

} // namespace continuo::nn
