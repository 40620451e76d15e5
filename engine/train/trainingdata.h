// SPDX-License-Identifier: GPL-3.0-or-later
// From a corpus folder to what training needs: scan, split by file, tokens, vocabulary, transposer.
#pragma once

#include "data/dataset.h"
#include "jobs/jobcontext.h"
#include "repr/representation.h"

#include <filesystem>
#include <string>
#include <vector>

namespace continuo {

/// Everything the training loop and the model description need, for one representation.
struct TrainingData
{
    CorpusScan scan; ///< every file, with the reasons the unusable ones are skipped
    Representation representation = Representation::Performance;
    TokenCorpus corpus; ///< the usable files' tokens (indices follow usable files)
    FileSplit split; ///< indices into corpus
    std::vector<int> headSizes; ///< classes per head
    std::vector<std::string> vocabulary; ///< notes: pitch sets from the training files only
    Transposer transposer; ///< for augmentation
    NotesEncodingStats notesStats; ///< notes: what quantization changed, unknown notes
};

struct TrainingDataOptions
{
    Representation representation = Representation::Performance;
    double validationFraction = 0.1;
    std::uint64_t seed = 0;
    int minChordCount = 2; ///< notes: pitch sets seen fewer times in the training files are unknown
    int maxTranspose = 0; ///< semitones; the notes transposer builds its table this far (an octave at least)
    /// notes: use this vocabulary (a model's) instead of building one from the training files.
    std::vector<std::string> fixedVocabulary;
    /// Where the encoded files are cached (see ScanEncoding); empty: no cache.
    std::filesystem::path cacheDir;
};

/// With fewer usable files than this, fine-tuning validates on the end of every file instead.
constexpr std::size_t kFewestFilesToHoldOut = 4;

/// For a folder too small to hold whole files out (fine-tuning on one to three pieces): the last
/// `fraction` of every file's steps (at least `minSteps`) becomes a validation sequence of its own,
/// named after its file, and training reads the rest of each file. Files whose rest would be
/// shorter than `minSteps` stay whole, for training. @throws ModelError when no file is long
/// enough, naming the folder.
void holdOutFileEnds(TrainingData &data, double fraction, std::size_t minSteps);

/// Scans, splits by file and encodes `folder`. Call on a job's worker thread.
/// @param minUsableFiles  fewer usable files than this is an error (training needs two: one to
///                        learn from, one to validate on; evaluation needs one)
/// @throws IoError if the folder cannot be read; ModelError if the
///         fixed vocabulary is damaged, or too few files are usable.
TrainingData prepareTrainingData(const std::filesystem::path &folder, const TrainingDataOptions &options,
                                 JobContext &context, std::size_t minUsableFiles = 2);

} // namespace continuo
