// SPDX-License-Identifier: GPL-3.0-or-later
// `bench fill`: a model's fills of real gaps against the bars the composer wrote there, beside a
// left-to-right continuation that ignores what follows and the bars before the gap played again.
#pragma once

#include "analysis/continuationmetrics.h"
#include "generate/fill.h"
#include "train/evaluation.h"

#include <filesystem>
#include <string>
#include <vector>

namespace continuo {

class JobContext;

struct FillBenchOptions
{
    std::filesystem::path model;
    std::filesystem::path corpus;
    EvaluationSplit split = EvaluationSplit::All; ///< Validation: the model's held-out files only
    std::filesystem::path cacheDir; ///< the token cache of the validation split; empty: none
    int files = 0; ///< files to use, evenly spaced in path order; 0: every file
    double atSec = 10.0; ///< the window starts at the first bar line at or after this time
    int windowBars = 10; ///< the window around the gap
    int gapBars = 2; ///< the gap, in the middle of the window
    KeepChoice keep; ///< what stays in the gap; the figures are those of the regenerated notes
    /// Sampling, constraints, variations and RNG seed; the length is the gap's.
    GenerationSettings settings;
};

/// The figures of one way of filling the gap.
struct FillCandidateFigures
{
    ContinuationFigures figures; ///< against the true notes of the gap (the mean over variations)
    /// The NLL of the bar after the gap, per note, when the model reads the window up to it with
    /// this in the gap (the mean over variations): how well it leads into what follows.
    double seamNatsPerNote = 0.0;
};

struct FillBenchFile
{
    std::string file; ///< relative to the corpus folder
    int truthNotes = 0; ///< the notes of the gap that do not stay
    int nextBarNotes = 0;
    FillCandidateFigures fill, leftToRight, repeat;
    double truthSeamNatsPerNote = 0.0; ///< the seam with the true notes in the gap
    double fillNatsPerNote = 0.0; ///< the NLL of the true notes of the gap, read as a fill
    /// The same read left to right, without what follows (only when nothing stays: NaN otherwise).
    double leftToRightNatsPerNote = 0.0;
    double fillSec = 0.0; ///< all variations of the fill, sampled together
};

struct FillBenchResult
{
    std::vector<FillBenchFile> files;
    std::vector<std::string> skipped; ///< "file: why"
    ContinuationFigures fill, leftToRight, repeat; ///< over files and variations
    double fillSeam = 0.0, leftToRightSeam = 0.0, repeatSeam = 0.0, truthSeam = 0.0; ///< per next-bar note
    double fillNatsPerNote = 0.0, leftToRightNatsPerNote = 0.0; ///< per true note
    double secondsPerFill = 0.0; ///< sampling all variations of one gap together
};

/// For each chosen file, the window of windowBars bars from the first bar line at or after atSec
/// is cut out; the gapBars bars in its middle are the gap. The model fills the gap (fillSpan; the
/// notes that keep stays), continues the window's opening left to right for as long, and the bars
/// before the gap are played again in it; each is compared with the true notes of the gap
/// (compareContinuation, the opening as the seed) and scored on the seam. Files too short for the
/// window, with fewer than 8 true notes in the gap or none in the bar after it are skipped and
/// listed. Files as benchFiles chooses them. Reports progress in files;
/// on cancel, returns what it has. Call on a job's worker thread. @throws IoError, ModelError,
/// GenerationError (bad settings, a model that cannot fill, no file usable).
FillBenchResult benchFill(const FillBenchOptions &options, JobContext &context);

} // namespace continuo
