// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of a model on whole files: every step predicted from everything before it in its file.
#pragma once

#include "data/dataset.h"
#include "jobs/jobcontext.h"
#include "nn/model.h"
#include "train/trainer.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace continuo {

struct ModelEvaluation
{
    EpochMetrics network; ///< the network alone (validLoss, perplexity, heads)
    std::optional<EpochMetrics> withMemory; ///< with the model's piece memory, when it has one
    std::size_t files = 0; ///< files long enough to score (two steps or more)
    std::size_t steps = 0; ///< steps scored
    std::size_t notes = 0; ///< notes in the steps scored, so that representations compare per note

    /// The negative log-likelihood per note of `metrics` (network or withMemory): its loss, summed
    /// over every head of every step, divided by the notes those steps hold. 0 when none.
    double natsPerNote(const EpochMetrics &metrics) const
    {
        return notes == 0 ? 0.0 : metrics.validLoss * double(steps) / double(notes);
    }
};

/// Reads each of `files` from its first step to its last, as generation does: an LSTM carries its
/// state from one chunk of `chunkSteps` steps to the next, another network re-reads as many steps
/// (64 at least) before each chunk. Every step after a file's first is scored, by the network alone and mixed
/// with the model's piece memory. Reports progress per chunk; on cancel, returns what it has.
/// Call on a job's worker thread. @throws ModelError (no file to score, unknown device).
ModelEvaluation evaluateFiles(Model &model, const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                              int chunkSteps, const std::string &device, JobContext &context);

/// How generation shapes each draw beyond the network, as the GenerationSettings fields of the same
/// names do; all 0: the network alone.
struct DrawShaping
{
    double stayClose = 0.0; ///< the piece memory mixed in
    double followSeed = 0.0; ///< the network contrasted with itself reading only its latest steps
    double holdRegister = 0.0; ///< pitches held to the context's register (compound models)
    double holdKey = 0.0; ///< pitch classes held to the context's (compound models)
    double holdRhythm = 0.0; ///< times held to the context's rhythm (compound models)
    /// The unfollowed distribution's share under the shaped times and pitches (DrawFloor; compound
    /// models): generation's after a seed is DrawFloor::kContinuationShare.
    double floorShare = 0.0;
    /// Grid units after the context's last onset before which generation draws no note (the seed's
    /// end: SeedAndContinuationSteps::unitsToSeedEnd; compound models).
    std::int64_t unitsToSeedEnd = 0;
};

/// The model's negative log-likelihood of the steps `continuation` read after the steps `context`
/// (both step-major, one token per head), in nats, summed over the continuation's steps and heads,
/// as generation draws them after a seed with `shaping` (at temperature 1, before constraints).
/// Reads the whole sequence once, on the CPU. Any thread that owns the model. @throws ModelError
/// when `context` is empty or a token is out of range of its head.
double continuationNats(Model &model, const std::vector<std::int64_t> &context,
                        const std::vector<std::int64_t> &continuation, const DrawShaping &shaping = {});
/// continuationNats head by head (their sum is continuationNats), so that representations can be
/// compared on the attributes they share.
std::vector<double> continuationNatsByHead(Model &model, const std::vector<std::int64_t> &context,
                                           const std::vector<std::int64_t> &continuation,
                                           const DrawShaping &shaping = {});

/// The names of a representation's heads, as reports show them: "chord", "offset", "duration" for
/// notes, "event" for performance.
std::vector<std::string> headNames(Representation representation);

/// Loads the baseline at `path` and checks that it reads music as a model of `model` does (same
/// representation and vocabulary). @throws IoError, ModelError naming the file and the difference.
Model loadBaselineFor(const std::filesystem::path &path, const ModelSpec &model);

/// The first of `candidates` that is a baseline (Architecture::Logistic) reading music as `model`
/// does; empty when none is. Candidates that fail to load are passed over.
std::filesystem::path matchingBaseline(const ModelSpec &model,
                                       const std::vector<std::filesystem::path> &candidates);

/// Which files of a folder a model is evaluated on.
enum class EvaluationSplit {
    Validation, ///< the held-out files of the model's own training split
    All, ///< every usable file
};

struct CorpusEvaluationOptions
{
    std::filesystem::path model;
    std::filesystem::path baseline; ///< a baseline evaluated on the same files; empty: none
    std::filesystem::path corpus;
    EvaluationSplit split = EvaluationSplit::Validation;
    int chunkSteps = 256;
    std::string device = "auto";
    std::filesystem::path cacheDir; ///< the token cache; empty: none
};

/// A model, and its baseline when asked for, on the same files of a folder.
struct CorpusEvaluation
{
    Representation representation = Representation::Performance;
    std::vector<std::string> headNames;
    ModelEvaluation model;
    std::optional<ModelEvaluation> baseline;
    /// Notes models: every usable file of the folder, whichever split is scored: its notes, and those
    /// in chords the vocabulary cannot name, which are read as the one unknown token (their
    /// likelihood says nothing of their pitches, so nats per note flatter such a model).
    NotesEncodingStats notesStats;
};

/// Loads the models, reads the folder as the model does and evaluates both on the chosen files
/// (evaluateFiles). Call on a job's worker thread; on cancel, returns what it has. @throws IoError,
/// ModelError (a baseline that reads music differently, a folder that is not the model's corpus
/// when its validation files are asked for, no file to score).
CorpusEvaluation evaluateOnCorpus(const CorpusEvaluationOptions &options, JobContext &context);

/// The corpus folder a model was trained on, as its checkpoint records it; empty when it does not.
std::string trainingCorpusFolder(const ModelMetadata &metadata);

} // namespace continuo
