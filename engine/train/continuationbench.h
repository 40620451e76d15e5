// SPDX-License-Identifier: GPL-3.0-or-later
// `bench continuation`: a model's continuations of real seeds against the music that really follows them.
#pragma once

#include "analysis/continuationmetrics.h"
#include "analysis/statistics.h"
#include "generate/generator.h"
#include "train/evaluation.h"

#include <filesystem>
#include <string>
#include <vector>

namespace continuo {

class JobContext;

struct ContinuationBenchOptions
{
    std::filesystem::path model;
    std::filesystem::path corpus;
    EvaluationSplit split = EvaluationSplit::All; ///< Validation: the model's held-out files only
    int files = 0; ///< files to use, evenly spaced in path order; 0: every file
    double atSec = 10.0; ///< where the seed starts in each file
    double windowSec = 8.0; ///< the seed's length, and the continuation's
    /// Play each seed as a person would before the model reads it (humanizeSeed); the truth and the
    /// figures stay those of the file.
    bool humanize = false;
    /// Sampling, constraints, variations and RNG seed; the length is set to windowSec seconds.
    GenerationSettings settings;
    /// A second model to blend with (generateContinuations); empty: none. The figures are then the
    /// blend's, and the likelihoods are left out (NaN): they would be the first model's alone.
    std::filesystem::path blend;
    std::filesystem::path cacheDir; ///< the token cache of the validation split; empty: none
    /// Continuations that share a run of more distinct notes than this with a training file (the
    /// memorization index beside the model) are counted as copies.
    int copyThreshold = 16;
};

/// Seeds with fewer notes, or truths with fewer, are too empty to judge (the file is skipped).
constexpr int kContinuationBenchMinNotes = 8;

/// One file's seed, truth and figures.
struct ContinuationBenchFile
{
    std::string file; ///< relative to the corpus folder
    int seedNotes = 0;
    int truthNotes = 0;
    ContinuationFigures model; ///< the mean over the variations
    ContinuationFigures repeat;
    ContinuationFigures other;
    double truthLoop = 0.0;
    double natsPerNote = 0.0; ///< as generation draws (continuationNats with the settings' draw shaping)
    double networkNatsPerNote = 0.0; ///< the network alone
    std::vector<double> natsPerNoteByHead; ///< natsPerNote head by head (headNames)
    double generationSec = 0.0; ///< all variations, sampled together
};

/// Every figure of the run, averaged over files (and variations).
struct ContinuationBenchResult
{
    Representation representation = Representation::Performance;
    std::vector<ContinuationBenchFile> files; ///< the files used, in order
    std::vector<std::string> skipped; ///< "file: why" for each file too short or too empty
    ContinuationFigures model; ///< the model's continuations, over files and variations
    ContinuationFigures repeat; ///< the seed played again
    ContinuationFigures other; ///< the true continuation of the next file used
    double truthLoop = 0.0; ///< the real continuation's loop figure
    /// The NLL of every truth given its seed, per truth note, as generation draws: the network with
    /// the settings' draw shaping (continuationNats)
    double natsPerNote = 0.0;
    double networkNatsPerNote = 0.0; ///< the same for the network alone
    std::vector<double> natsPerNoteByHead; ///< natsPerNote head by head (headNames)
    /// The corpus statistics (computeStatistics, as `eval --generated` counts them) of every
    /// continuation together, and of every truth together: how two models, or a blend of them,
    /// differ in pitch classes and rhythm on the same seeds.
    MusicStatistics continuationStatistics;
    MusicStatistics truthStatistics;
    double secondsPerContinuation = 0.0; ///< wall time of sampling, per variation
    double secondsPerFile = 0.0; ///< wall time of sampling all variations of one seed together
    /// The memorization check of every continuation against the model's training files, when its
    /// index (NAME.memo) is beside it: the most distinct notes any one shares with a training file,
    /// where, and how many continuations exceed copyThreshold.
    bool memorizationChecked = false;
    std::size_t longestCopy = 0;
    std::string longestCopyFile;
    int longestCopyBar = 0;
    int copies = 0;
};

/// `count` of `files` at indices floor(i * size / count), in order; all of them when count is 0 or
/// not less than their number. Any thread.
std::vector<std::filesystem::path> evenlySpaced(const std::vector<std::filesystem::path> &files, int count);

/// The files a benchmark reads: the MIDI files of `corpus` in path order, or with
/// EvaluationSplit::Validation the held-out files among them of `model` (loaded from `modelPath`
/// with its `metadata`; `cacheDir`: the token cache, empty: none); `count` of them evenly spaced
/// (0: all). Call on a job's worker thread.
/// @throws IoError, ModelError (a corpus the model was not trained on, for the validation split).
std::vector<std::filesystem::path> benchFiles(const std::filesystem::path &corpus, EvaluationSplit split,
                                              int count, const Model &model, const ModelMetadata &metadata,
                                              const std::filesystem::path &modelPath,
                                              const std::filesystem::path &cacheDir, JobContext &context);

/// The seed as a person might play it from a keyboard: every onset moved by up to ±25 ms, a
/// tempo that slows by 4% from its start to its end, every velocity moved by up to ±12; the same
/// `rngSeed`, the same result. Durations keep their length in seconds; the seed ends where its
/// last moment has moved to.
Score humanizeSeed(const Score &seed, std::uint64_t rngSeed);

/// For each chosen file, [atSec, atSec + windowSec) is the seed and the next windowSec seconds
/// the truth (notes by onset; the sustain pedal as the file has it); files that end before the
/// truth does, or whose seed or truth holds fewer than kContinuationBenchMinNotes notes, are
/// skipped and listed. The model continues each seed for windowSec seconds (settings.variations
/// variations); its continuations, the seed played again and the next used file's truth are each
/// compared with the truth (compareContinuation), and the truth is scored by the network
/// (continuationNats); each continuation is checked against the model's memorization index. Files are taken
/// in path order; with options.files = N, the N files at indices floor(i * count / N). Reports progress in
/// files; on cancel, returns what it has. Call on a job's worker thread. @throws IoError, ModelError,
/// GenerationError (bad settings, no file usable).
ContinuationBenchResult benchContinuation(const ContinuationBenchOptions &options, JobContext &context);

} // namespace continuo
