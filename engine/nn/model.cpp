// SPDX-License-Identifier: GPL-3.0-or-later
// Model construction, checkpoint save and load (header JSON + LibTorch weights in the container).
#include "nn/model.h"

#include "core/error.h"
#include "core/names.h"
#include "nn/checkpointfile.h"
#include "nn/internal/logisticnet.h"
#include "nn/internal/modelimpl.h"
#include "nn/internal/sequencenet.h"
#include "nn/internal/transformernet.h"
#include "repr/beatphase.h"
#include "repr/notes.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <sstream>

namespace continuo {

namespace {

using nlohmann::json;
constexpr int kModelFormat = 1;
constexpr const char *kKind = "continuo-model";

void checkSpec(const ModelSpec &spec)
{
    const bool notes = spec.representation == Representation::Notes;
    const std::size_t heads = notes ? 3 : spec.representation == Representation::Compound ? 4 : 1;
    if (spec.headSizes.size() != heads)
        throw ModelError(std::string("A ") + representationName(spec.representation) + " model needs "
                         + std::to_string(heads) + (heads == 1 ? " head." : " heads."));
    for (const int size : spec.headSizes)
        if (size < 2 || size > 1000000)
            throw ModelError("A model head must have between 2 and 1000000 classes.");
    if (spec.beatPhase
        && (spec.representation != Representation::Compound
            || spec.architecture != Architecture::Transformer))
        throw ModelError("Only a compound Transformer can read the position in the beat.");
    if (notes && int(spec.vocabulary.size()) + 1 != spec.headSizes[0])
        throw ModelError("The chord vocabulary does not match the size of the chord head.");
    if (spec.architecture == Architecture::Logistic) {
        if (spec.window < 1 || spec.window > 64)
            throw ModelError("The baseline's window must be 1 to 64 steps.");
        return;
    }
    if (spec.architecture == Architecture::Transformer) {
        if (spec.embedDim < 1 || spec.embedDim > 4096 || spec.layers < 1 || spec.layers > 24
            || spec.attentionHeads < 1 || spec.embedDim % spec.attentionHeads != 0 || spec.feedForward < 1
            || spec.context < 8 || spec.context > 8192 || spec.dropout < 0 || spec.dropout >= 1)
            throw ModelError("The Transformer's sizes are out of range (1 to 24 layers, heads that divide "
                             "its width, a context of 8 to 8192 steps, dropout below 1).");
        return;
    }
    if (spec.embedDim < 1 || spec.hiddenSize < 1 || spec.layers < 1 || spec.layers > 4 || spec.dropout < 0
        || spec.dropout >= 1)
        throw ModelError("The model's sizes are out of range (1 to 4 layers, dropout below 1).");
    if (spec.attentionHeads < 0 || spec.attentionHeads > 16
        || (spec.attentionHeads > 0 && spec.hiddenSize % spec.attentionHeads != 0))
        throw ModelError("The attention heads must divide the hidden size (0 to 16 heads).");
}

/// The baseline's input features: a notes chord token switches on its pitches (unknown: feature
/// 128), so the baseline's size does not grow with the vocabulary; other tokens are one-hot.
std::vector<std::vector<int64_t>> chordFeatures(const std::vector<std::string> &vocabulary)
{
    const NotesVocabulary chords = NotesVocabulary::fromPitchSetsText(vocabulary);
    std::vector<std::vector<int64_t>> features(std::size_t(chords.size()));
    features[0] = { 128 };
    for (int token = 1; token < chords.size(); ++token)
        for (const int pitch : chords.pitchSetOf(token))
            features[std::size_t(token)].push_back(pitch);
    return features;
}

std::shared_ptr<nn::Network> buildNet(const ModelSpec &spec)
{
    const std::vector<int64_t> headSizes(spec.headSizes.begin(), spec.headSizes.end());
    if (spec.architecture == Architecture::Logistic) {
        nn::LogisticNetOptions options;
        options.headSizes = headSizes;
        options.window = spec.window;
        if (spec.representation == Representation::Notes)
            options.features = { chordFeatures(spec.vocabulary) };
        return std::make_shared<nn::LogisticNetImpl>(options);
    }
    if (spec.architecture == Architecture::Transformer) {
        nn::TransformerNetOptions options;
        options.headSizes = headSizes;
        options.model = spec.embedDim;
        options.layers = spec.layers;
        options.heads = spec.attentionHeads;
        options.feedForward = spec.feedForward;
        options.dropout = spec.dropout;
        options.phaseClasses = spec.beatPhase ? beatphase::kPhases : 0;
        return std::make_shared<nn::TransformerNetImpl>(options);
    }
    nn::SequenceNetOptions options;
    options.headSizes = headSizes;
    options.embedDim = spec.embedDim;
    options.hiddenSize = spec.hiddenSize;
    options.layers = spec.layers;
    options.dropout = spec.dropout;
    options.layerNorm = spec.layerNorm;
    options.attentionHeads = spec.attentionHeads;
    return std::make_shared<nn::SequenceNetImpl>(options);
}

json pieceMemoryJson(const PieceMemory &memory)
{
    if (memory.empty())
        return nullptr;
    json j = { { "max_match", PieceMatcher::kMaxMatch }, { "trust", memory.trust } };
    if (!memory.transposedTrust.empty()) {
        j["transposed_trust"] = memory.transposedTrust;
        j["agreed_trust"] = memory.agreedTrust;
    }
    return j;
}

/// @throws ModelError if the memory does not fit a model with these heads (one table per head,
/// one trust per match length 0..kMaxMatch).
void checkPieceMemory(const PieceMemory &memory, std::size_t heads)
{
    if (memory.empty())
        return;
    const auto fitsHeads = [heads](const std::vector<std::vector<double>> &table) {
        bool fits = table.size() == heads;
        for (const std::vector<double> &trust : table) {
            fits = fits && trust.size() == std::size_t(PieceMatcher::kMaxMatch + 1);
            for (const double t : trust)
                fits = fits && t >= 0 && t < 1;
        }
        return fits;
    };
    const bool fits =
        fitsHeads(memory.trust) && (memory.transposedTrust.empty() || fitsHeads(memory.transposedTrust));
    if (!fits)
        throw ModelError(
            "The piece memory does not fit the model (one trust table per head, values below 1).");
}

PieceMemory pieceMemoryFromJson(const json &j)
{
    PieceMemory memory;
    if (j.is_null())
        return memory;
    memory.trust = j.at("trust").get<std::vector<std::vector<double>>>();
    if (j.contains("transposed_trust")) {
        memory.transposedTrust = j.at("transposed_trust").get<std::vector<std::vector<double>>>();
        memory.agreedTrust = j.at("agreed_trust").get<std::vector<std::vector<double>>>();
    }
    return memory;
}

std::string nowUtc()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc {};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

json specJson(const ModelSpec &spec)
{
    return { { "representation", representationName(spec.representation) },
             { "head_sizes", spec.headSizes },
             { "vocabulary", spec.vocabulary },
             { "architecture", architectureName(spec.architecture) },
             { "embed", spec.embedDim },
             { "hidden", spec.hiddenSize },
             { "layers", spec.layers },
             { "dropout", spec.dropout },
             { "layer_norm", spec.layerNorm },
             { "attention_heads", spec.attentionHeads },
             { "window", spec.window },
             { "feed_forward", spec.feedForward },
             { "context", spec.context },
             { "beat_phase", spec.beatPhase } };
}

ModelSpec specFromJson(const json &j)
{
    ModelSpec spec;
    spec.representation = representationFromName(j.at("representation").get<std::string>());
    spec.headSizes = j.at("head_sizes").get<std::vector<int>>();
    spec.vocabulary = j.at("vocabulary").get<std::vector<std::string>>();
    spec.embedDim = j.at("embed").get<int>();
    spec.hiddenSize = j.at("hidden").get<int>();
    spec.layers = j.at("layers").get<int>();
    spec.dropout = j.at("dropout").get<double>();
    spec.architecture = architectureFromName(j.value("architecture", std::string("lstm")));
    spec.layerNorm = j.value("layer_norm", spec.layerNorm);
    spec.attentionHeads = j.value("attention_heads", spec.attentionHeads);
    spec.window = j.value("window", spec.window);
    spec.feedForward = j.value("feed_forward", spec.feedForward);
    spec.context = j.value("context", spec.context);
    spec.beatPhase = j.value("beat_phase", spec.beatPhase);
    return spec;
}

} // namespace

const char *architectureName(Architecture architecture)
{
    switch (architecture) {
    case Architecture::Lstm: return "lstm";
    case Architecture::Logistic: return "logistic";
    case Architecture::Transformer: return "transformer";
    }
    return "";
}

const char *architectureTitle(Architecture architecture)
{
    switch (architecture) {
    case Architecture::Lstm: return "LSTM";
    case Architecture::Logistic: return "logistic baseline";
    case Architecture::Transformer: return "Transformer";
    }
    return "";
}

Architecture architectureFromName(const std::string &name)
{
    return valueNamed(name, { Architecture::Lstm, Architecture::Logistic, Architecture::Transformer },
                      architectureName, "architecture");
}

ModelSpec ModelSpec::preset(const std::string &name, Representation representation,
                            std::vector<int> headSizes, Architecture architecture)
{
    ModelSpec spec;
    spec.representation = representation;
    spec.headSizes = std::move(headSizes);
    if (architecture == Architecture::Transformer && name != "baseline") {
        spec.architecture = Architecture::Transformer;
        if (name == "tiny") {
            spec.embedDim = 32, spec.layers = 1, spec.attentionHeads = 2, spec.feedForward = 64,
            spec.dropout = 0.0;
        } else if (name == "small") {
            spec.embedDim = 256, spec.layers = 4, spec.attentionHeads = 4, spec.feedForward = 1024,
            spec.dropout = 0.1;
        } else if (name == "medium") {
            spec.embedDim = 512, spec.layers = 6, spec.attentionHeads = 8, spec.feedForward = 2048,
            spec.dropout = 0.1;
        } else {
            throw ModelError("Unknown model size \"" + name + "\" (tiny, small, medium or baseline).");
        }
        spec.hiddenSize = spec.embedDim;
        return spec;
    }
    if (name == "tiny") {
        spec.embedDim = 16, spec.hiddenSize = 32, spec.layers = 1, spec.dropout = 0.0;
    } else if (name == "small") {
        spec.embedDim = 128, spec.hiddenSize = 256, spec.layers = 2, spec.dropout = 0.1;
    } else if (name == "medium") {
        spec.embedDim = 256, spec.hiddenSize = 512, spec.layers = 3, spec.dropout = 0.2;
    } else if (name == "baseline") {
        spec.architecture = Architecture::Logistic, spec.window = 8;
    } else {
        throw ModelError("Unknown model size \"" + name + "\" (tiny, small, medium or baseline).");
    }
    return spec;
}

bool ModelSpec::operator==(const ModelSpec &o) const
{
    return representation == o.representation && headSizes == o.headSizes && vocabulary == o.vocabulary
        && architecture == o.architecture && embedDim == o.embedDim && hiddenSize == o.hiddenSize
        && layers == o.layers && dropout == o.dropout && layerNorm == o.layerNorm
        && attentionHeads == o.attentionHeads && window == o.window && feedForward == o.feedForward
        && context == o.context && beatPhase == o.beatPhase;
}

Model::Model(const ModelSpec &spec, std::uint64_t seed) : m_impl(std::make_unique<Impl>())
{
    checkSpec(spec);
    torch::manual_seed(seed);
    m_impl->spec = spec;
    m_impl->net = buildNet(spec);
}

Model::Model(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) { }
Model::~Model() = default;
Model::Model(Model &&) noexcept = default;
Model &Model::operator=(Model &&) noexcept = default;

const ModelSpec &Model::spec() const { return m_impl->spec; }

std::size_t Model::parameterCount() const
{
    std::size_t count = 0;
    for (const auto &parameter : m_impl->net->parameters())
        count += std::size_t(parameter.numel());
    return count;
}

const PieceMemory &Model::pieceMemory() const { return m_impl->pieceMemory; }

void Model::setPieceMemory(PieceMemory memory)
{
    checkPieceMemory(memory, m_impl->spec.headSizes.size());
    m_impl->pieceMemory = std::move(memory);
}

bool Model::hasTrainingState() const { return !m_impl->optimizerState.empty(); }

void Model::save(const std::filesystem::path &path, const ModelMetadata &metadata,
                 TrainingState trainingState) const
{
    const bool keepOptimizer = trainingState == TrainingState::Keep && hasTrainingState();
    json header = { { "kind", kKind },
                    { "format", kModelFormat },
                    { "spec", specJson(m_impl->spec) },
                    { "corpus_fingerprint", std::to_string(metadata.corpusFingerprint) },
                    { "created", metadata.createdUtc.empty() ? nowUtc() : metadata.createdUtc },
                    { "metrics", json::parse(metadata.metricsJson, nullptr, false) },
                    { "training", json::parse(metadata.trainingJson, nullptr, false) },
                    { "optimizer", keepOptimizer ? m_impl->optimizerName : "" },
                    { "piece_memory", pieceMemoryJson(m_impl->pieceMemory) } };
    torch::serialize::OutputArchive archive;
    m_impl->net->save(archive);
    std::ostringstream weights;
    archive.save_to(weights);
    CheckpointContents contents { header.dump(), { { "weights", weights.str() } } };
    if (keepOptimizer)
        contents.blobs.push_back({ "optimizer", m_impl->optimizerState });
    writeCheckpointFile(path, contents);
}

namespace {
/// The model header of a checkpoint's contents. @throws ModelError naming the file.
json modelHeader(const CheckpointContents &contents, const std::string &name)
{
    json header = json::parse(contents.headerJson, nullptr, false);
    const auto kind = header.is_object() ? header.find("kind") : header.end();
    if (!header.is_object() || kind == header.end() || !kind->is_string()
        || kind->get<std::string>() != kKind)
        throw ModelError(name + ": the file's header is not a Continuo model description.");
    return header;
}
} // namespace

ModelSpec Model::readSpec(const std::filesystem::path &path)
{
    const std::string name = path.string();
    const json header = modelHeader(readCheckpointFile(path), name);
    try {
        ModelSpec spec = specFromJson(header.at("spec"));
        checkSpec(spec);
        return spec;
    } catch (const json::exception &) {
        throw ModelError(name + ": the model description is incomplete or damaged.");
    } catch (const ModelError &error) {
        throw ModelError(name + ": " + error.what());
    }
}

Model Model::load(const std::filesystem::path &path, ModelMetadata *metadata)
{
    const std::string name = path.string();
    const CheckpointContents contents = readCheckpointFile(path);
    const json header = modelHeader(contents, name);
    auto impl = std::make_unique<Impl>();
    ModelMetadata read;
    try {
        if (header.at("format").get<int>() > kModelFormat)
            throw ModelError(name + ": this model was saved by a newer version of Continuo.");
        try {
            impl->spec = specFromJson(header.at("spec"));
        } catch (const ModelError &error) { // an unknown representation or architecture
            throw ModelError(name + ": " + error.what());
        }
        read.corpusFingerprint = std::stoull(header.value("corpus_fingerprint", std::string("0")));
        read.createdUtc = header.value("created", "");
        read.metricsJson = header.value("metrics", json::array()).dump();
        read.trainingJson = header.value("training", json::object()).dump();
        impl->optimizerName = header.value("optimizer", "");
        impl->pieceMemory = pieceMemoryFromJson(header.value("piece_memory", json()));
    } catch (const json::exception &) {
        throw ModelError(name + ": the model description is incomplete or damaged.");
    } catch (const std::logic_error &) { // std::stoull
        throw ModelError(name + ": the model description is incomplete or damaged.");
    }
    try {
        checkSpec(impl->spec);
        checkPieceMemory(impl->pieceMemory, impl->spec.headSizes.size());
    } catch (const ModelError &error) {
        throw ModelError(name + ": " + error.what());
    }
    impl->net = buildNet(impl->spec);
    const std::string *weights = contents.blob("weights");
    if (!weights)
        throw ModelError(name + ": the model file holds no weights.");
    // LibTorch's archive silently replaces a parameter of another shape, so shapes are checked here.
    std::vector<std::vector<int64_t>> expectedShapes;
    for (const auto &parameter : impl->net->parameters())
        expectedShapes.push_back(parameter.sizes().vec());
    try {
        torch::serialize::InputArchive archive;
        std::istringstream in(*weights);
        archive.load_from(in, torch::Device(torch::kCPU));
        impl->net->load(archive);
    } catch (const c10::Error &error) {
        throw ModelError(name + ": the model's weights do not match its description.",
                         error.what_without_backtrace());
    }
    const auto parameters = impl->net->parameters();
    for (std::size_t i = 0; i < parameters.size(); ++i)
        if (parameters[i].sizes().vec() != expectedShapes[i])
            throw ModelError(name + ": the model's weights do not match its description.");
    if (const std::string *optimizer = contents.blob("optimizer"); optimizer && !impl->optimizerName.empty())
        impl->optimizerState = *optimizer;
    if (metadata)
        *metadata = read;
    return Model(std::move(impl));
}

std::vector<std::vector<float>> Model::nextStepLogProbabilities(const std::vector<std::int32_t> &steps) const
{
    torch::NoGradGuard noGrad;
    const int64_t heads = int64_t(m_impl->spec.headSizes.size());
    const int64_t count = int64_t(steps.size()) / heads;
    if (count == 0)
        throw ModelError("The model needs at least one step to predict the next.");
    m_impl->net->eval();
    const torch::Tensor tokens =
        torch::tensor(std::vector<int64_t>(steps.begin(), steps.begin() + count * heads))
            .view({ count, 1, heads });
    const std::vector<torch::Tensor> logits = m_impl->net->logits(tokens);
    std::vector<std::vector<float>> out;
    for (const torch::Tensor &head : logits) {
        const torch::Tensor last = torch::log_softmax(head[count - 1][0], 0).contiguous();
        out.emplace_back(last.data_ptr<float>(), last.data_ptr<float>() + last.numel());
    }
    return out;
}

} // namespace continuo
