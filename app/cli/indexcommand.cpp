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
};

/// The usable files the model was trained on: its split of the scan, from the settings in its
/// checkpoint; every usable file when the checkpoint does not say or the corpus has changed.
std::vector<std::size_t> trainingFilesOf(const ModelMetadata &metadata, const CorpusScan &scan, bool allFiles)
{
    const std::size_t usable = scan.usableCount();
    std::vector<std::size_t> all(usable);
    std::iota(all.begin(), all.end(), 0);
    if (allFiles)
        return all;
    if (metadata.corpusFingerprint != scan.fingerprint()) {
        std::cerr
            << "warning: the corpus is not the one this model was trained on; indexing every usable file\n";
        return all;
    }
    try {
        const nlohmann::json training = nlohmann::json::parse(metadata.trainingJson);
        return splitByFile(usable, training.at("validation").get<double>(),
                           training.at("seed").get<std::uint64_t>())
            .train;
    } catch (const nlohmann::json::exception &) {
        std::cerr << "warning: the model does not say how its files were split; indexing every usable file\n";
        return all;
    }
}

int runIndex(const IndexCommandOptions &o)
{
    TerminalProgress progress;
    ModelMetadata metadata;
    Model::load(o.model, &metadata);
    const CorpusScan scan = scanCorpus(o.corpus, progress);
    progress.finishLine();
    if (progress.isCancelled())
        return 130;
    const std::vector<std::size_t> files = trainingFilesOf(metadata, scan, o.allFiles);
    MemorizationIndex index = indexOfScan(scan, files);
    index.setCorpusFingerprint(scan.fingerprint());
    const std::filesystem::path out =
        o.out.empty() ? memorizationIndexPathFor(o.model) : std::filesystem::path(o.out);
    index.save(out);
    std::cerr << "indexed " << index.fileCount() << " of " << scan.usableCount() << " usable file(s), "
              << index.eventCount() << " melody notes: " << out.string() << "\n";
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
        "Build the memorization index (NAME.memo) of a model's training files, for eval --generated");
    auto o = std::make_shared<IndexCommandOptions>();
    cmd->add_option("--model", o->model, "Model file (.ckpt)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--corpus", o->corpus, "The folder of MIDI files it was trained on")
        ->required()
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--out", o->out, "Where to write the index (default: NAME.memo beside the model)");
    cmd->add_flag("--all", o->allFiles, "Index every usable file, not only the model's training split");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runIndex(*o); }); });
}

} // namespace continuo::cli
