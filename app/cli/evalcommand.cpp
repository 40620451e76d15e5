// SPDX-License-Identifier: GPL-3.0-or-later
// `continuo-cli eval`: a model's loss, perplexity and accuracy per head on a folder of MIDI files;
// with --generated, how a generation compares with the corpus and whether it copies a training file.
#include "cli/commands.h"
#include "cli/statisticsjson.h"
#include "cli/terminalprogress.h"

#include "analysis/generationinsight.h"
#include "core/error.h"
#include "data/corpusscan.h"
#include "generate/generator.h"
#include "nn/model.h"
#include "score/smfconvert.h"
#include "train/evaluation.h"
#include "train/trainingrun.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>

namespace continuo::cli {

namespace {

struct EvalCommandOptions
{
    std::string model;
    std::string baseline; ///< a baseline model evaluated beside it
    std::string corpus;
    int chunkSteps = 256;
    std::string split = "all";
    std::string device = "auto";
    CacheOptions cache;
    bool asJson = false;
    // --generated
    std::string generated;
    std::string seed;
    std::string index;
    int threshold = 16;
};

nlohmann::json metricsJson(const EpochMetrics &m, const std::function<std::string(std::size_t)> &headName)
{
    nlohmann::json heads = nlohmann::json::object();
    for (std::size_t h = 0; h < m.heads.size(); ++h)
        heads[headName(h)] = { { "top1", m.heads[h].top1 }, { "top5", m.heads[h].top5 } };
    return { { "loss", m.validLoss }, { "perplexity", m.perplexity }, { "accuracy", heads } };
}

/// The figures of the network alone (what generation draws from before it mixes in the piece
/// memory at Stay close and contrasts the latest notes at Follow the seed); with its piece memory
/// at full trust under "with_piece_memory", when it has one.
nlohmann::json evaluationJson(const std::string &path, const ModelEvaluation &e,
                              const std::function<std::string(std::size_t)> &headName)
{
    nlohmann::json json = metricsJson(e.network, headName);
    json["model"] = path;
    json["notes"] = e.notes;
    json["nats_per_note"] = e.natsPerNote(e.network);
    json["piece_memory"] = e.withMemory.has_value();
    if (e.withMemory) {
        json["with_piece_memory"] = metricsJson(*e.withMemory, headName);
        json["with_piece_memory"]["nats_per_note"] = e.natsPerNote(*e.withMemory);
    }
    return json;
}

void printMetrics(const std::string &name, const EpochMetrics &m, double natsPerNote,
                  const std::function<std::string(std::size_t)> &headName)
{
    std::printf("  %-18s %.4f nats per note; loss %.4f nats per step, perplexity %.2f\n", name.c_str(),
                natsPerNote, m.validLoss, m.perplexity);
    for (std::size_t h = 0; h < m.heads.size(); ++h)
        std::printf("    %-8s top-1 %.1f%%, top-5 %.1f%%\n", headName(h).c_str(), 100 * m.heads[h].top1,
                    100 * m.heads[h].top5);
}

void printEvaluation(const std::string &name, const ModelEvaluation &e,
                     const std::function<std::string(std::size_t)> &headName)
{
    std::printf("%s on %zu file(s), %zu steps (%zu notes), each file read whole:\n", name.c_str(), e.files,
                e.steps, e.notes);
    printMetrics("network alone", e.network, e.natsPerNote(e.network), headName);
    if (e.withMemory)
        printMetrics("with piece memory", *e.withMemory, e.natsPerNote(*e.withMemory), headName);
}

int runModelEval(const EvalCommandOptions &o)
{
    if (o.model.empty() || o.corpus.empty())
        throw Error("Say which model to evaluate on which folder (--model and --corpus), or which generation "
                    "to check (--generated).");
    TerminalProgress progress;
    CorpusEvaluationOptions options;
    options.model = o.model;
    options.baseline = o.baseline;
    options.corpus = o.corpus;
    options.split = evaluationSplit(o.split);
    options.chunkSteps = o.chunkSteps;
    options.device = o.device;
    options.cacheDir = o.cache.folder();
    const CorpusEvaluation e = evaluateOnCorpus(options, progress);
    progress.finishLine();
    if (progress.isCancelled())
        return 130;
    const ModelEvaluation &m = e.model;
    const std::function<std::string(std::size_t)> headName = [&](std::size_t h) { return e.headNames[h]; };
    if (o.asJson) {
        nlohmann::json json = evaluationJson(o.model, m, headName);
        json["corpus"] = o.corpus;
        json["split"] = o.split;
        json["representation"] = representationName(e.representation);
        json["files"] = m.files;
        json["steps"] = m.steps;
        if (e.baseline)
            json["baseline"] = evaluationJson(o.baseline, *e.baseline, headName);
        if (e.representation == Representation::Notes)
            json["folder_notes"] = { { "notes", e.notesStats.notes },
                                     { "unknown", e.notesStats.unknownNotes } };
        std::cout << json.dump(2) << "\n";
        return 0;
    }
    printEvaluation(o.model, m, headName);
    if (e.representation == Representation::Notes && e.notesStats.notes > 0)
        std::printf(
            "%zu of the folder's %zu notes (%.1f%%) are in chords the vocabulary cannot name: they are read "
            "as the one unknown token, whose likelihood says nothing of their pitches\n",
            e.notesStats.unknownNotes, e.notesStats.notes,
            100.0 * double(e.notesStats.unknownNotes) / double(e.notesStats.notes));
    if (e.baseline) {
        printEvaluation(o.baseline + " (baseline)", *e.baseline, headName);
        const EpochMetrics &model = m.network, &base = e.baseline->network;
        std::printf("the network is %.4f nats per step better than the baseline; top-1 %+.1f points (%s)\n",
                    base.validLoss - model.validLoss, 100 * (model.heads[0].top1 - base.heads[0].top1),
                    headName(0).c_str());
    }
    return 0;
}

/// The index to check against: --index, else NAME.memo beside --model, else one built from --corpus
/// (every usable file). `source` says which.
MemorizationIndex generationIndex(const EvalCommandOptions &o, std::string &source)
{
    if (!o.index.empty()) {
        source = o.index;
        return MemorizationIndex::load(o.index);
    }
    if (!o.model.empty()) {
        const std::filesystem::path beside = memorizationIndexPathFor(o.model);
        if (std::filesystem::exists(beside)) {
            source = beside.string();
            return MemorizationIndex::load(beside);
        }
        if (o.corpus.empty())
            throw Error(o.model + " has no memorization index beside it (" + beside.string()
                        + "); build it with continuo-cli index --model " + o.model
                        + " --corpus DIR, or give --corpus DIR.");
    }
    if (o.corpus.empty())
        throw Error(
            "Say what to compare the generation with: --model M.ckpt (with M.memo beside it), --index "
            "M.memo or --corpus DIR.");
    TerminalProgress progress;
    const CorpusScan scan = scanCorpus(o.corpus, progress);
    progress.finishLine();
    std::vector<std::size_t> usable(scan.usableCount());
    std::iota(usable.begin(), usable.end(), 0);
    MemorizationIndex index = indexOfScan(scan, usable);
    index.setCorpusFingerprint(scan.fingerprint());
    source = o.corpus;
    return index;
}

std::string distanceText(double distance)
{
    if (!std::isfinite(distance))
        return "       n/a";
    char text[32];
    std::snprintf(text, sizeof text, "%10.3f", distance);
    return text;
}

int runGenerationEval(const EvalCommandOptions &o)
{
    Score generated = readScoreFile(o.generated);
    std::optional<Score> seed;
    if (!o.seed.empty())
        seed = readScoreFile(o.seed);
    // A file written by `generate` holds the seed and the continuation as parts: judge the
    // continuation alone, and compare its seed with the corpus too.
    if (std::optional<Score> continuation = partNamed(generated, "Continuation")) {
        if (!seed)
            seed = partNamed(generated, "Seed");
        generated = std::move(*continuation);
    }
    std::string indexSource;
    const MemorizationIndex index = generationIndex(o, indexSource);
    const GenerationInsight insight = analyzeContinuation(generated, seed ? &*seed : nullptr, &index);
    const MusicStatistics &corpus = insight.corpus;
    const MusicStatistics &generatedStats = insight.continuation;
    const StatisticsDistances &generatedDistances = insight.continuationDistances;
    const StatisticsDistances &seedDistances = insight.seedDistances;
    const MemorizationMatch &match = insight.match;
    const bool warning = match.distinctNotes > std::size_t(o.threshold);
    // The key is the seed's; without a seed, the generation's own.
    const KeyEstimate &key = insight.key;
    const std::size_t outside = insight.notesOutsideKey.size();

    if (o.asJson) {
        nlohmann::json memorization = { { "notes", match.notes },
                                        { "distinct_notes", match.distinctNotes },
                                        { "threshold", o.threshold },
                                        { "warning", warning } };
        if (match.isFound()) {
            memorization["file"] = match.file;
            memorization["bar"] = match.bar;
            memorization["training_start_tick"] = match.trainingStartTick;
            memorization["training_end_tick"] = match.trainingEndTick;
            memorization["generated_start_tick"] = match.generatedStartTick;
            memorization["generated_end_tick"] = match.generatedEndTick;
            memorization["transposition"] = match.transposition;
        }
        nlohmann::json out = {
            { "generated", o.generated },
            { "generated_notes", generatedStats.noteCount },
            { "corpus",
              { { "source", indexSource }, { "files", corpus.scoreCount }, { "notes", corpus.noteCount } } },
            { "distances", { { "generated", distancesJson(generatedDistances) } } },
            { "histograms",
              { { "generated", histogramsJson(generatedStats) }, { "corpus", histogramsJson(corpus) } } },
            { "memorization", memorization },
            { "key",
              { { "name", key.name() },
                { "tonic", key.tonic },
                { "minor", key.isMinor },
                { "correlation", key.correlation },
                { "from", seed ? "seed" : "generated" },
                { "notes_outside", outside } } },
        };
        if (seed) {
            out["seed"] = o.seed;
            out["distances"]["seed"] = distancesJson(seedDistances);
        }
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::printf("%s: %zu notes; corpus: %zu file(s), %zu notes (%s)\n", o.generated.c_str(),
                generatedStats.noteCount, corpus.scoreCount, corpus.noteCount, indexSource.c_str());
    std::printf("Wasserstein-1 distance to the corpus  %10s%s\n", "generated", seed ? "      seed" : "");
    for (std::size_t f = 0; f < kFeatureCount; ++f)
        std::printf("  %-36s%s%s\n", featureTitle(Feature(f)), distanceText(generatedDistances[f]).c_str(),
                    seed ? distanceText(seedDistances[f]).c_str() : "");
    if (match.isFound()) {
        std::printf("memorization: %zu notes (%zu distinct) shared with %s, bar %d", match.notes,
                    match.distinctNotes, match.file.c_str(), match.bar);
        if (match.transposition != 0)
            std::printf(", transposed %+d semitones", match.transposition);
        std::printf(" (generation ticks %lld to %lld)\n", static_cast<long long>(match.generatedStartTick),
                    static_cast<long long>(match.generatedEndTick));
    } else {
        std::printf("memorization: no run of %zu notes or more is shared with a training file\n",
                    MemorizationIndex::kMinimumNotes);
    }
    if (warning)
        std::printf(
            "WARNING: the generation copies %zu distinct notes from %s (bar %d); the threshold is %d\n",
            match.distinctNotes, match.file.c_str(), match.bar, o.threshold);
    std::printf("key: %s (from the %s); %zu of %zu notes outside it\n", key.name().c_str(),
                seed ? "seed" : "generation", outside, generatedStats.noteCount);
    return 0;
}

int runEval(const EvalCommandOptions &o)
{
    return o.generated.empty() ? runModelEval(o) : runGenerationEval(o);
}

} // namespace

void addEvalCommand(CLI::App &app, int &exitCode)
{
    auto *cmd = app.add_subcommand(
        "eval",
        "Evaluate a model on a folder of MIDI files, or check a generation against the corpus (--generated)");
    auto o = std::make_shared<EvalCommandOptions>();
    cmd->add_option("--model", o->model, "Model file (.ckpt); with --generated, its NAME.memo is used")
        ->check(CLI::ExistingFile);
    cmd->add_option("--baseline", o->baseline,
                    "A baseline model (--preset baseline) evaluated beside --model on the same files")
        ->check(CLI::ExistingFile);
    cmd->add_option("--corpus", o->corpus, "Folder of MIDI files")->check(CLI::ExistingDirectory);
    cmd->add_option("--generated", o->generated,
                    "A generation (.mid): statistics against the corpus, memorization check, key")
        ->check(CLI::ExistingFile);
    cmd->add_option("--seed", o->seed, "with --generated: the seed (.mid), compared with the corpus too")
        ->check(CLI::ExistingFile);
    cmd->add_option("--index", o->index, "with --generated: the memorization index (.memo) to use")
        ->check(CLI::ExistingFile);
    cmd->add_option("--threshold", o->threshold,
                    "with --generated: warn when more distinct notes than this are copied")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    addCacheOptions(*cmd, o->cache);
    cmd->add_option("--seq", o->chunkSteps,
                    "Steps read at a time (an LSTM carries its state on; another network re-reads as many)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    addSplitOption(*cmd, o->split);
    cmd->add_option("--device", o->device, "auto, cpu or cuda")
        ->capture_default_str()
        ->check(CLI::IsMember({ "auto", "cpu", "cuda" }));
    cmd->add_flag("--json", o->asJson, "Print JSON");
    cmd->callback([o, &exitCode] { exitCode = runReportingErrors([&] { return runEval(*o); }); });
}

} // namespace continuo::cli
