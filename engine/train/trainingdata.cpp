// SPDX-License-Identifier: GPL-3.0-or-later
// Corpus preparation for training.
#include "train/trainingdata.h"

#include "core/error.h"
#include "repr/compound.h"
#include "repr/performance.h"

namespace continuo {

TrainingData prepareTrainingData(const std::filesystem::path &folder, const TrainingDataOptions &options,
                                 JobContext &context, std::size_t minUsableFiles)
{
    TrainingData data;
    data.representation = options.representation;
    const bool performance = options.representation == Representation::Performance;
    const bool compound = options.representation == Representation::Compound;
    const ScanEncoding encoding = performance ? performanceScanEncoding(options.cacheDir)
                                : compound    ? compoundScanEncoding(options.cacheDir)
                                              : notesScanEncoding(options.cacheDir);
    data.scan = scanCorpus(folder, context, 0, &encoding);
    const std::size_t usable = data.scan.usableCount();
    if (usable < minUsableFiles)
        throw ModelError(folder.string() + ": this needs at least " + std::to_string(minUsableFiles)
                         + " usable MIDI file(s); the folder has " + std::to_string(usable) + ".");
    data.split = splitByFile(usable, options.validationFraction, options.seed);
    if (performance) {
        data.corpus = encodePerformanceCorpus(data.scan);
        data.headSizes = { performance::kVocabularySize };
        data.transposer = transposePerformance;
        return data;
    }
    if (compound) {
        data.corpus = encodeCompoundCorpus(data.scan);
        data.headSizes = { compoundrepr::kTimeClasses, compoundrepr::kPitchClasses,
                           compoundrepr::kDurationClasses, compoundrepr::kVelocityClasses };
        data.transposer = transposeCompound;
        return data;
    }
    const std::vector<std::vector<ChordStep>> steps = chordStepsOfCorpus(data.scan);
    std::vector<std::vector<ChordStep>> trainSteps;
    for (const std::size_t f : data.split.train)
        trainSteps.push_back(steps[f]);
    const NotesVocabulary vocabulary = options.fixedVocabulary.empty()
                                         ? NotesVocabulary::build(trainSteps, options.minChordCount)
                                         : NotesVocabulary::fromPitchSetsText(options.fixedVocabulary);
    data.corpus = encodeNotesCorpus(data.scan, steps, vocabulary, &data.notesStats);
    data.vocabulary = vocabulary.pitchSetsText();
    data.headSizes = { vocabulary.size(), notesrepr::kOffsetClasses, notesrepr::kDurationClasses };
    // At least an octave: label smoothing looks for the pitch neighbours up to an octave away.
    data.transposer = NotesTransposer(vocabulary, std::max(12, options.maxTranspose));
    return data;
}

void holdOutFileEnds(TrainingData &data, double fraction, std::size_t minSteps)
{
    TokenCorpus &corpus = data.corpus;
    const auto heads = std::size_t(corpus.heads);
    const std::size_t files = corpus.sequences.size();
    FileSplit split;
    for (std::size_t f = 0; f < files; ++f) {
        split.train.push_back(f);
        const std::size_t steps = corpus.stepCount(f);
        const std::size_t held = std::max(minSteps, std::size_t(std::llround(fraction * double(steps))));
        if (steps < held + minSteps)
            continue;
        std::vector<std::int32_t> &tokens = corpus.sequences[f];
        std::vector<std::int32_t> end(tokens.end() - std::ptrdiff_t(held * heads), tokens.end());
        tokens.resize((steps - held) * heads);
        corpus.sequences.push_back(std::move(end)); // (tokens may move with the others here)
        const std::filesystem::path file = corpus.files[f];
        corpus.files.push_back(file);
        split.validation.push_back(corpus.sequences.size() - 1);
    }
    if (split.validation.empty())
        throw ModelError(data.scan.folder.string()
                         + ": no file is long enough to hold out its end for "
                           "validation (each needs "
                         + std::to_string(2 * minSteps)
                         + " steps or more); add a longer piece, or shorten the windows (--seq).");
    data.split = split;
}

} // namespace continuo
