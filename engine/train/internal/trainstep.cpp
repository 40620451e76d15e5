// SPDX-License-Identifier: GPL-3.0-or-later
// The training step.
#include "train/internal/trainstep.h"

namespace continuo::train {

torch::Tensor stepLoss(const std::vector<torch::Tensor> &logits, const torch::Tensor &targets)
{
    torch::Tensor loss;
    for (std::size_t h = 0; h < logits.size(); ++h) {
        const torch::Tensor headLoss = torch::nn::functional::cross_entropy(
            logits[h].reshape({ -1, logits[h].size(-1) }), targets.select(2, int64_t(h)).reshape({ -1 }));
        loss = loss.defined() ? loss + headLoss : headLoss;
    }
    return loss;
}

torch::Tensor trainStep(nn::SequenceNet &net, torch::optim::Optimizer &optimizer, const torch::Tensor &inputs,
                        const torch::Tensor &targets, double gradientClip)
{
    optimizer.zero_grad();
    torch::Tensor loss = stepLoss(net->forward(inputs).first, targets);
    loss.backward();
    if (gradientClip > 0)
        torch::nn::utils::clip_grad_norm_(net->parameters(), gradientClip);
    optimizer.step();
    return loss;
}

} // namespace continuo::train
