// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/internal/stepsource.h"

#include "nn/internal/lstmstepper.h"
#include "nn/internal/modelimpl.h"
#include "nn/internal/transformerstepper.h"
#include "repr/beatphase.h"

#include <algorithm>

namespace continuo::generation {

namespace {

torch::Tensor stepsTensor(const std::vector<std::int64_t> &steps, std::int64_t heads)
{
    const auto count = std::int64_t(steps.size()) / heads;
    return torch::from_blob(const_cast<std::int64_t *>(steps.data()), { count, 1, heads }, torch::kInt64)
        .clone();
}

/// A source whose every head's logits [batch, classes] are known after each step.
class PrecomputedSource : public StepSource
{
public:
    float *headLogits(std::int64_t b, std::size_t h, const std::int64_t *) override
    {
        return (*m_latest)[h].data_ptr<float>() + b * (*m_latest)[h].size(1);
    }

protected:
    const std::vector<torch::Tensor> *m_latest = nullptr;
};

/// The LSTM's state carried forward one step at a time.
class LstmSource : public PrecomputedSource
{
public:
    LstmSource(nn::SequenceNetImpl &net, std::int64_t batch)
        : m_net(net), m_stepper(net, batch), m_heads(std::int64_t(net.options().headSizes.size()))
    { }

    void prime(const std::vector<std::int64_t> &seedSteps) override
    {
        // All but the last seed step in one forward pass; the last one through the stepper.
        const auto count = std::int64_t(seedSteps.size()) / m_heads;
        if (count > 1) {
            torch::NoGradGuard noGrad;
            const std::vector<std::int64_t> head(seedSteps.begin(), seedSteps.end() - m_heads);
            const auto state =
                m_net.forward(stepsTensor(head, m_heads), m_net.zeroState(1, torch::kCPU)).second;
            m_stepper.setState(state);
        } else {
            m_stepper.resetState();
        }
        m_tokens.clear();
        for (std::int64_t b = 0; b < m_stepper.batch(); ++b)
            m_tokens.insert(m_tokens.end(), seedSteps.end() - m_heads, seedSteps.end());
        m_latest = &m_stepper.step(m_tokens.data());
    }

    void step(const std::int64_t *tokens) override { m_latest = &m_stepper.step(tokens); }

private:
    nn::SequenceNetImpl &m_net;
    nn::LstmStepper m_stepper;
    std::int64_t m_heads;
    std::vector<std::int64_t> m_tokens;
};

/// Any network: each step re-reads the last kWindow steps of every sequence.
class WindowSource : public PrecomputedSource
{
public:
    static constexpr std::int64_t kWindow = 256;

    WindowSource(nn::Network &net, std::int64_t batch, std::int64_t heads)
        : m_net(net), m_batch(batch), m_heads(heads)
    { }

    void prime(const std::vector<std::int64_t> &seedSteps) override
    {
        m_history.assign(std::size_t(m_batch), seedSteps);
        run();
    }

    void step(const std::int64_t *tokens) override
    {
        for (std::int64_t b = 0; b < m_batch; ++b)
            m_history[std::size_t(b)].insert(m_history[std::size_t(b)].end(), tokens + b * m_heads,
                                             tokens + (b + 1) * m_heads);
        run();
    }

private:
    void run()
    {
        torch::NoGradGuard noGrad;
        const auto length = std::min<std::int64_t>(std::int64_t(m_history[0].size()) / m_heads, kWindow);
        torch::Tensor steps = torch::empty({ length, m_batch, m_heads }, torch::kInt64);
        for (std::int64_t b = 0; b < m_batch; ++b) {
            const std::vector<std::int64_t> &history = m_history[std::size_t(b)];
            const std::vector<std::int64_t> window(history.end() - length * m_heads, history.end());
            steps.select(1, b).copy_(torch::from_blob(const_cast<std::int64_t *>(window.data()),
                                                      { length, m_heads }, torch::kInt64));
        }
        m_logits.clear();
        for (const torch::Tensor &logits : m_net.logits(steps))
            m_logits.push_back(logits.select(0, length - 1).to(torch::kFloat32).contiguous());
        m_latest = &m_logits;
    }

    nn::Network &m_net;
    std::int64_t m_batch, m_heads;
    std::vector<std::vector<std::int64_t>> m_history;
    std::vector<torch::Tensor> m_logits;
};

/// The Transformer with its key/value cache.
class TransformerSource : public StepSource
{
public:
    /// `latestOnly` > 0: only the prompt's last `latestOnly` steps are read, and a window of as many
    /// (one more after a step) slides on; 0: the whole prompt, by the stepper's window rule.
    TransformerSource(nn::TransformerNetImpl &net, std::int64_t batch, std::int64_t window,
                      nn::FastLinear::Arithmetic arithmetic, std::int64_t latestOnly = 0)
        : m_stepper(net, batch, latestOnly > 0 ? latestOnly + 1 : window, arithmetic,
                    latestOnly > 0 ? 0 : nn::TransformerStepper::kOpening,
                    latestOnly > 0 ? 1 : nn::TransformerStepper::kEvicted)
        , m_heads(std::int64_t(net.options().headSizes.size()))
        , m_latestOnly(latestOnly)
        , m_net(net)
    { }
    void prime(const std::vector<std::int64_t> &seedSteps) override
    {
        std::vector<std::int64_t> steps = seedSteps;
        nn::alignToLikeliestBeat(m_net, steps, steps.size());
        const auto count = std::int64_t(steps.size()) / m_heads;
        if (m_latestOnly > 0 && count > m_latestOnly) {
            const auto first = std::size_t(count - m_latestOnly);
            const std::int64_t onset = beatphase::onsetOfStep(steps.data(), first);
            steps.erase(steps.begin(), steps.begin() + std::int64_t(first) * m_heads);
            if (m_net.phase) // the latest steps' first time counts from the beat
                steps[0] = onset % beatphase::kPhases;
        }
        m_stepper.prime(steps);
    }
    void step(const std::int64_t *tokens) override { m_stepper.step(tokens); }
    float *headLogits(std::int64_t b, std::size_t h, const std::int64_t *drawn) override
    {
        return m_stepper.headLogits(b, std::int64_t(h), drawn);
    }

private:
    nn::TransformerStepper m_stepper;
    std::int64_t m_heads;
    std::int64_t m_latestOnly; ///< steps of the prompt read; 0: all
    nn::TransformerNetImpl
        &m_net; ///< reading positions in the beat, it starts the prompt on its likeliest beat
};

} // namespace

std::unique_ptr<StepSource> StepSource::forModel(Model &model, std::int64_t batch, bool exact)
{
    Model::Impl &impl = nn::ModelAccess::impl(model);
    impl.net->eval();
    const auto heads = std::int64_t(impl.spec.headSizes.size());
    if (auto *transformer = dynamic_cast<nn::TransformerNetImpl *>(impl.net.get()))
        return std::make_unique<TransformerSource>(*transformer, batch, impl.spec.context,
                                                   exact ? nn::FastLinear::Arithmetic::Exact
                                                         : nn::FastLinear::Arithmetic::Fast);
    auto *lstm = dynamic_cast<nn::SequenceNetImpl *>(impl.net.get());
    if (lstm && lstm->options().attentionHeads == 0)
        return std::make_unique<LstmSource>(*lstm, batch);
    return std::make_unique<WindowSource>(*impl.net, batch, heads);
}

std::unique_ptr<StepSource> StepSource::recentOnly(Model &model, std::int64_t batch, std::int64_t steps)
{
    Model::Impl &impl = nn::ModelAccess::impl(model);
    impl.net->eval();
    auto *transformer = dynamic_cast<nn::TransformerNetImpl *>(impl.net.get());
    if (!transformer)
        return nullptr;
    return std::make_unique<TransformerSource>(*transformer, batch, impl.spec.context,
                                               nn::FastLinear::Arithmetic::Fast, steps);
}

} // namespace continuo::generation
