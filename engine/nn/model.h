// SPDX-License-Identifier: GPL-3.0-or-later
// A Continuo model: its description (representation, vocabulary, sizes) and weights, saved as one .ckpt file.
#pragma once

#include "nn/piecememory.h"
#include "repr/representation.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace continuo {

namespace nn {
struct ModelAccess;
}

/// The network of a model.
enum class Architecture {
    Lstm, ///< embeddings, LSTM layers, optional attention, a softmax per head
    Logistic, ///< logistic regression over the last few steps: the baseline
    Transformer, ///< decoder-only, pre-norm, relative (ALiBi) attention, heads conditioned in turn
};
/// "lstm", "logistic" or "transformer": the name checkpoints, JSON and the UI use. Any thread.
const char *architectureName(Architecture architecture);
/// The architecture called `name`. @throws ModelError naming the text and the names there are.
Architecture architectureFromName(const std::string &name);
/// "LSTM", "Transformer" or "logistic baseline": how a person reads it. Any thread.
const char *architectureTitle(Architecture architecture);

/// What a model is: enough to rebuild it before loading weights.
struct ModelSpec
{
    Representation representation = Representation::Performance;
    std::vector<int> headSizes; ///< classes per target: {388} or {chords, 97, 97}
    std::vector<std::string> vocabulary; ///< notes: the pitch sets of tokens 1.. ("60.64.67")
    Architecture architecture = Architecture::Lstm;
    // lstm
    int embedDim = 128;
    int hiddenSize = 256;
    int layers = 2;
    double dropout = 0.1;
    bool layerNorm = false; ///< layer normalisation after every LSTM layer
    int attentionHeads = 0; ///< lstm: causal self-attention over its outputs (0: none); transformer: heads
    // transformer (embedDim is its width; layers and attentionHeads as above)
    int feedForward = 1024; ///< width of each block's feed-forward layer
    int context = 256; ///< steps it trains on and keeps in view while generating
    /// compound transformer: each step also reads its onset's position in the beat (repr/beatphase.h)
    bool beatPhase = false;
    // logistic
    int window = 8; ///< steps the baseline sees

    /// Sizes of a preset: "tiny" (tests), "small" (CPU default), "medium" (for GPUs), or "baseline"
    /// (logistic regression over the last 8 steps, whatever the architecture asked). LSTM: 1 x 32,
    /// 2 x 256, 3 x 512; Transformer: 1 x 32, 4 x 256 (4 heads), 6 x 512 (8 heads).
    /// @throws ModelError for another name.
    static ModelSpec preset(const std::string &name, Representation representation,
                            std::vector<int> headSizes, Architecture architecture = Architecture::Lstm);
    bool operator==(const ModelSpec &o) const;
};

/// Facts about a model that are not needed to run it.
struct ModelMetadata
{
    std::uint64_t corpusFingerprint = 0; ///< CorpusScan::fingerprint() of the training corpus
    std::string createdUtc; ///< ISO 8601; set by save() when empty
    std::string metricsJson = "[]"; ///< metrics history, one JSON object per epoch
    std::string trainingJson = "{}"; ///< training settings as JSON
};

/// A sequence model with its weights. Holds LibTorch objects behind a pimpl. Not thread-safe: one
/// thread at a time (a job's worker thread owns it while it trains or generates).
class Model
{
public:
    /// Builds a model with freshly initialised weights (seeded). @throws ModelError if the spec is unusable.
    explicit Model(const ModelSpec &spec, std::uint64_t seed = 0);
    ~Model();
    Model(Model &&) noexcept;
    Model &operator=(Model &&) noexcept;

    const ModelSpec &spec() const;
    std::size_t parameterCount() const;

    /// Writes the model (weights and header) through a temporary file renamed into place; with
    /// TrainingState::Keep also the optimizer state of its training, so that training can resume.
    /// @throws IoError, ModelError.
    enum class TrainingState { Drop, Keep };
    void save(const std::filesystem::path &path, const ModelMetadata &metadata = {},
              TrainingState trainingState = TrainingState::Drop) const;
    /// True if the model carries an optimizer state (loaded from a file saved with it, or set by training).
    bool hasTrainingState() const;
    /// Reads a model onto the CPU, whatever device it was trained on. @throws IoError if unreadable,
    /// ModelError with one sentence naming the file if it is damaged, foreign or inconsistent.
    static Model load(const std::filesystem::path &path, ModelMetadata *metadata = nullptr);

    /// The description saved in the model file at `path`, without building the model: for pickers
    /// and reports. @throws IoError if unreadable, ModelError naming the file if it is no model.
    static ModelSpec readSpec(const std::filesystem::path &path);

    /// Log-probabilities of the next step for each head after reading `steps` (step-major, one
    /// integer per head per step): one vector per head. For tests and evaluation. Runs on the CPU.
    std::vector<std::vector<float>> nextStepLogProbabilities(const std::vector<std::int32_t> &steps) const;

    /// The model's piece memory (empty when it has none): fitted on its training files, saved with it.
    const PieceMemory &pieceMemory() const;
    /// @throws ModelError if the memory does not fit the model's heads.
    void setPieceMemory(PieceMemory memory);

    struct Impl; ///< defined in nn/internal/modelimpl.h

private:
    friend struct nn::ModelAccess; // the engine's training, evaluation and generation code
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace continuo
