// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli index`: the memorization index (NAME.memo) of a model's training files, for a model
// trained before training wrote one, or on another machine.
#include "cli/commands.h"
#include "cli/terminalprogress.h"

#include "analysis/memorization.h"
#include "core/error.h"
#include "data/corpusscan.h"
#include "data/dataset.h"
#include "nn/model.h"
#include "train/trainingrun.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <numeric>

namespace continuo::cli {

namespace {

struct IndexCommandOptions
{
    std::string model;
    std::string corpus;
    std::string out;
    bool allFiles = false;
    bool keepModel = false; ///< leave the model's piece memory as it is
};

/// The files the model was trained on: its split, when its checkpoint says how it split the files
/// and the corpus is the one it was trained on; otherwise every usable file.
std::vector<std::size_t> trainingFilesOf(const ModelCorpus &corpus, bool allFiles)
{
    std::vector<std::size_t> all(corpus.data.corpus.sequences.size());
    std::iota(all.begin(), all.end(), 0);
    if (allFiles)
        return all;
    if (!corpus.isTrainingSplit) {
        std::cerr
            << "warning: the corpus is not the one this model was trained on, or the model does not say "
               "how its files were split; indexing every usable file\n";
        return all;
    }
    return corpus.data.split.train;
}

int runIndex(const IndexCommandOptions &o)
{
    TerminalProgress progress;
    ModelMetadata metadata;
    Model model = Model::load(o.model, &metadata);
    const ModelCorpus corpus = prepareModelCorpus(o.corpus, model, metadata, {}, progress);
    const CorpusScan scan = scanCorpus(o.corpus, progress); // the index reads the scores themselves
    progress.finishLine();
    if (progress.isCancelled())
        return 130;
    const std::vector<std::size_t> files = trainingFilesOf(corpus, o.allFiles);
    MemorizationIndex index = indexOfScan(scan, files);
    index.setCorpusFingerprint(scan.fingerprint());
    const std::filesystem::path out =
        o.out.empty() ? memorizationIndexPathFor(o.model) : std::filesystem::path(o.out);
    index.save(out);
    std::cerr << "indexed " << index.fileCount() << " of " << scan.usableCount() << " usable file(s), "
              << index.eventCount() << " melody notes: " << out.string() << "\n";
    if (!o.keepModel) {
        model.setPieceMemory(PieceMemory::fit(corpus.data.corpus, files,
                                              RecallLayout::of(model.spec().representation),
                                              model.spec().vocabulary));
        model.save(o.model, metadata, Model::TrainingState::Keep);
        std::cerr << "fitted the piece memory of " << o.model << " on the same files\n";
    }
    return 0;
}

} // namespace

MemorizationIndex indexOfScan(const CorpusScan &scan, const std::vector<std::size_t> &usableFiles)
{
    std::vector<const CorpusFile *> usable;
    for (const CorpusFile &file : scan.files)
        if (file.status == CorpusFileStatus::Usable)
            usable.push_back(&file);
    MemorizationIndex index;
    for (const std::size_t i : usableFiles) {
        if (i >= usable.size())
            throw Error("The corpus has fewer usable files than the model's split expects.");
        const std::filesystem::path &path = usable[i]->path;
        const std::string relative = path.lexically_relative(scan.folder).generic_string();
        index.addFile(relative.empty() ? path.filename().generic_string() : relative, usable[i]->score);
    }
    return index;
}

void addIndexCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand(
        "index",
        "Build the memorization index (NAME.memo) of a model's training files, for eval --generated, and fit "
        "the model's piece memory on them");
    auto o = std::make_shared<IndexCommandOptions>();
    cmd->add_option("--model", o->model, "Model file (.ckpt)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--corpus", o->corpus, "The folder of MIDI files it was trained on")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--out", o->out, "Where to write the index (default: NAME.memo beside the model)");
    cmd->add_flag("--all", o->allFiles, "Index every usable file, not only the model's training split");
    cmd->add_flag("--keep-model", o->keepModel, "Write the index only; leave the model file as it is");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runIndex(*o); }); });
}

} // namespace continuo::cli
