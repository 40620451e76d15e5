// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/trainingrun.h"

#include "analysis/memorization.h"
#include "core/error.h"
#include "nn/internal/modelimpl.h"
#include "train/metricsjson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

namespace continuo {

using nlohmann::json;

std::string trainingSettingsJson(const TrainingRunOptions &o)
{
    const json j = { { "corpus", o.corpus },
                     { "init", o.init },
                     { "preset", o.preset },
                     { "architecture", architectureName(o.architecture) },
                     { "representation", representationName(o.data.representation) },
                     { "epochs", o.train.epochs },
                     { "batch", o.train.batchSize },
                     { "seq", o.train.sequenceLength },
                     { "steps_per_epoch", o.train.stepsPerEpoch },
                     { "lr", o.train.learningRate },
                     { "optimizer", optimizerName(o.train.optimizer) },
                     { "clip", o.train.gradientClip },
                     { "lr_decay", o.train.learningRateDecay },
                     { "patience", o.train.patience },
                     { "transpose", o.train.maxTranspose },
                     { "class_weights", o.train.classWeights },
                     { "label_smoothing", o.train.labelSmoothing },
                     { "infilling", o.train.infilling },
                     { "beat_phase", o.beatPhase },
                     { "precision", precisionName(o.train.precision) },
                     { "validation", o.data.validationFraction },
                     { "seed", o.train.seed },
                     { "min_chord_count", o.data.minChordCount } };
    return j.dump();
}

void restoreTrainingSettings(TrainingRunOptions &o, const std::string &text)
{
    try {
        const json j = json::parse(text);
        if (o.corpus.empty())
            o.corpus = j.at("corpus").get<std::string>();
        o.preset = j.at("preset").get<std::string>();
        o.init = j.value("init", std::string());
        o.architecture = architectureFromName(j.value("architecture", std::string("lstm")));
        o.data.representation = representationFromName(j.at("representation").get<std::string>());
        o.train.batchSize = j.at("batch").get<int>();
        o.train.sequenceLength = j.at("seq").get<int>();
        o.train.stepsPerEpoch = j.value("steps_per_epoch", 0);
        o.train.learningRate = j.at("lr").get<double>();
        o.train.optimizer = optimizerFromName(j.at("optimizer").get<std::string>());
        o.train.gradientClip = j.at("clip").get<double>();
        o.train.learningRateDecay = j.at("lr_decay").get<double>();
        o.train.patience = j.at("patience").get<int>();
        o.train.maxTranspose = j.at("transpose").get<int>();
        o.train.classWeights = j.value("class_weights", false);
        o.beatPhase = j.value("beat_phase", false);
        o.train.labelSmoothing = j.value("label_smoothing", 0.0);
        o.train.infilling = j.value("infilling", 0.0);
        o.data.validationFraction = j.at("validation").get<double>();
        o.train.seed = j.at("seed").get<std::uint64_t>();
        o.data.minChordCount = j.at("min_chord_count").get<int>();
    } catch (const json::exception &e) {
        throw ModelError("The checkpoint does not say how it was trained, so it cannot resume.", e.what());
    }
}

std::filesystem::path lastCheckpointPath(const std::filesystem::path &best)
{
    std::filesystem::path last = best;
    last.replace_extension(".last.ckpt");
    return last;
}

std::filesystem::path bestCheckpointPath(const std::filesystem::path &last)
{
    const std::string name = last.string(), suffix = ".last.ckpt";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return name.substr(0, name.size() - suffix.size()) + ".ckpt";
    return name;
}

Model loadForResume(TrainingRunOptions &o, std::vector<EpochMetrics> &history, ModelMetadata &metadata)
{
    Model model = Model::load(o.resume, &metadata);
    if (!model.hasTrainingState())
        throw ModelError(o.resume
                         + ": this checkpoint holds no optimizer state to resume from (resume from "
                           "the NAME.last.ckpt that training writes).");
    try {
        restoreTrainingSettings(o, metadata.trainingJson);
    } catch (const ModelError &e) {
        throw ModelError(o.resume + ": " + e.what(), e.detail());
    }
    history = parseMetricsHistory(metadata.metricsJson);
    o.data.fixedVocabulary = model.spec().vocabulary;
    if (o.out.empty())
        o.out = bestCheckpointPath(o.resume).string();
    return model;
}

Model newModel(const TrainingRunOptions &o, const TrainingData &data)
{
    ModelSpec spec = ModelSpec::preset(o.preset, o.data.representation, data.headSizes, o.architecture);
    spec.vocabulary = data.vocabulary;
    spec.window = o.window;
    spec.beatPhase = o.beatPhase;
    if (spec.architecture == Architecture::Transformer) {
        spec.context = std::max(128, o.train.sequenceLength);
    } else {
        spec.layerNorm = o.layerNorm;
        spec.attentionHeads = o.attentionHeads;
    }
    return Model(spec, o.train.seed);
}

TrainingRunOptions fineTuningDefaults()
{
    TrainingRunOptions o;
    o.train.learningRate = 3e-5;
    o.train.learningRateDecay = 1.0;
    o.train.epochs = 10;
    o.train.patience = 2;
    o.train.batchSize = 16;
    o.train.sequenceLength = 128;
    o.train.stepsPerEpoch = 20;
    o.train.maxTranspose = 6;
    o.data.validationFraction = 0.25;
    return o;
}

Model loadForFineTuning(TrainingRunOptions &o)
{
    if (!o.resume.empty())
        throw ModelError("Either resume a run or start one from a model, not both.");
    Model loaded = Model::load(o.init);
    const ModelSpec &spec = loaded.spec();
    if (spec.architecture == Architecture::Logistic)
        throw ModelError(o.init + ": a baseline has too little to adapt; start from a network.");
    o.architecture = spec.architecture;
    o.data.representation = spec.representation;
    o.data.fixedVocabulary = spec.vocabulary;
    if (spec.architecture == Architecture::Transformer)
        o.train.sequenceLength = std::min<int>(o.train.sequenceLength, spec.context);
    if (o.beatPhase && !spec.beatPhase)
        return withBeatPhase(loaded);
    return loaded; // a run without history starts a fresh optimizer (trainModel)
}

Model withBeatPhase(Model &model)
{
    ModelSpec spec = model.spec();
    spec.beatPhase = true;
    Model grown(spec); // checks that it is a compound Transformer
    torch::NoGradGuard noGrad;
    const auto from = nn::ModelAccess::impl(model).net->named_parameters();
    for (auto &parameter : nn::ModelAccess::impl(grown).net->named_parameters()) {
        if (const torch::Tensor *same = from.find(parameter.key()))
            parameter.value().copy_(*same);
        else
            parameter.value().zero_(); // the position in the beat: nothing at first
    }
    grown.setPieceMemory(model.pieceMemory());
    return grown;
}

ModelCorpus prepareModelCorpus(const std::filesystem::path &folder, const Model &model,
                               const ModelMetadata &metadata, const std::filesystem::path &cacheDir,
                               JobContext &context)
{
    TrainingDataOptions options;
    options.representation = model.spec().representation;
    options.fixedVocabulary = model.spec().vocabulary;
    options.cacheDir = cacheDir;
    bool recorded = false;
    try {
        const json training = json::parse(metadata.trainingJson);
        options.validationFraction = training.at("validation").get<double>();
        options.seed = training.at("seed").get<std::uint64_t>();
        recorded = true;
    } catch (const json::exception &) {
        // Not recorded: the folder is split with the defaults, which need not be the model's split.
    }
    ModelCorpus corpus { prepareTrainingData(folder, options, context, 1), false };
    corpus.isTrainingSplit = recorded && corpus.data.scan.fingerprint() == metadata.corpusFingerprint;
    return corpus;
}

void writeMemorizationIndex(const TrainingData &data, const std::filesystem::path &bestPath,
                            JobContext &context)
{
    std::vector<std::filesystem::path> files;
    for (const std::size_t f : data.split.train)
        files.push_back(data.corpus.files[f]);
    MemorizationIndex index = buildMemorizationIndex(data.scan.folder, files, context);
    if (context.isCancelled())
        return;
    index.setCorpusFingerprint(data.scan.fingerprint());
    index.save(memorizationIndexPathFor(bestPath));
}

namespace {

/// The replay check of the model at `bestPath` against the training files of `data`, with the
/// memorization index written beside it.
ReplayCheck replaysOf(const std::filesystem::path &bestPath, const TrainingData &data, JobContext &context)
{
    Model best = Model::load(bestPath);
    const MemorizationIndex index = MemorizationIndex::load(memorizationIndexPathFor(bestPath));
    std::vector<std::filesystem::path> files;
    for (const std::size_t f : data.split.train)
        files.push_back(data.corpus.files[f]);
    return checkReplays(best, files, index, kReplayThreshold, context);
}

} // namespace

TrainingRunResult runTraining(TrainingRunOptions o, JobContext &context, const TrainingRunHooks &hooks)
{
    std::vector<EpochMetrics> history;
    ModelMetadata metadata;
    std::optional<Model> model;
    if (!o.resume.empty()) {
        model = loadForResume(o, history, metadata);
        if (int(history.size()) >= o.train.epochs)
            throw ModelError("This run has already trained " + std::to_string(history.size())
                             + " epoch(s); ask for more epochs to go on.");
    }
    if (o.corpus.empty())
        throw ModelError("Say which folder of MIDI files to train on.");
    if (o.out.empty())
        throw ModelError("Say where to save the model.");
    o.data.seed = o.train.seed;
    o.data.maxTranspose = o.train.maxTranspose;
    const bool fineTuning = !o.init.empty();
    if (fineTuning && !model)
        model = loadForFineTuning(o);
    TrainingData data = prepareTrainingData(o.corpus, o.data, context, fineTuning ? 1 : 2);
    if (fineTuning && data.scan.usableCount() < kFewestFilesToHoldOut)
        holdOutFileEnds(data, 0.2, std::size_t(o.train.sequenceLength) + 1);
    const bool corpusChanged = !o.resume.empty() && metadata.corpusFingerprint != data.scan.fingerprint();
    if (!model)
        model = newModel(o, data);
    // A fine-tuned model keeps the piece memory its start fitted on many pieces; a few say little.
    if (!fineTuning || model->pieceMemory().empty())
        model->setPieceMemory(PieceMemory::fit(
            data.corpus, data.split.train, RecallLayout::of(model->spec().representation), data.vocabulary));
    if (hooks.prepared)
        hooks.prepared(o, data, *model, history, corpusChanged);
    writeMemorizationIndex(data, o.out, context);

    TrainingRunResult run;
    run.resumedEpochs = history.size();
    run.bestPath = o.out;
    run.lastPath = lastCheckpointPath(o.out);
    metadata.corpusFingerprint = data.scan.fingerprint();
    metadata.trainingJson = trainingSettingsJson(o);
    std::vector<EpochMetrics> all = history;
    const auto onEpoch = [&](const Model &current, const EpochMetrics &m) {
        all.push_back(m);
        metadata.metricsJson = metricsHistoryJson(all);
        current.save(run.lastPath, metadata, Model::TrainingState::Keep);
        if (m.isBest)
            current.save(run.bestPath, metadata);
        if (hooks.epoch)
            hooks.epoch(m);
    };
    const auto onStart = [&](const Model &start, const EpochMetrics &m) {
        start.save(run.bestPath, metadata);
        if (hooks.start)
            hooks.start(m);
    };
    o.train.validateStart = fineTuning;
    run.train = trainModel(*model, data.corpus, data.split, o.train, data.transposer, context, onEpoch,
                           history, onStart);
    if (fineTuning && !run.train.cancelled && std::filesystem::exists(run.bestPath))
        run.replays = replaysOf(run.bestPath, data, context);
    return run;
}

} // namespace continuo
