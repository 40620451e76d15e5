// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/evaluation.h"

#include "core/error.h"
#include "generate/generator.h"
#include "generate/internal/stepsource.h"
#include "generate/internal/walkloop.h"
#include "generate/sampling.h"
#include "generate/seedhold.h"
#include "nn/computeinfo.h"
#include "nn/internal/modelimpl.h"
#include "nn/internal/sequencenet.h"
#include "nn/internal/transformernet.h"
#include "repr/compound.h"
#include "repr/performance.h"
#include "train/internal/trainstep.h"
#include "train/trainingrun.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <numeric>

namespace continuo {

namespace {

using torch::Tensor;

/// Sums of loss and hits over scored steps.
class Tally
{
public:
    explicit Tally(std::size_t heads) : m_top1(heads), m_top5(heads) { }

    /// One head's log-probabilities for a step whose true class is `target`.
    void addHead(std::size_t head, const float *logProbabilities, int classes, int target)
    {
        const float truth = logProbabilities[target];
        int above = 0;
        for (int c = 0; c < classes && above < 5; ++c)
            above += logProbabilities[c] > truth ? 1 : 0;
        m_loss -= double(truth);
        m_top1[head] += above == 0 ? 1 : 0;
        m_top5[head] += above < 5 ? 1 : 0;
    }
    void endStep() { ++m_steps; }

    EpochMetrics metrics() const
    {
        EpochMetrics m;
        if (m_steps == 0)
            return m;
        const double steps = double(m_steps);
        m.validLoss = m_loss / steps;
        m.perplexity = std::exp(m.validLoss);
        for (std::size_t h = 0; h < m_top1.size(); ++h)
            m.heads.push_back({ m_top1[h] / steps, m_top5[h] / steps });
        return m;
    }

private:
    double m_loss = 0.0;
    std::vector<double> m_top1, m_top5;
    std::size_t m_steps = 0;
};

/// How many notes a step holds: a note-on event, a pitch set's notes (at least one when unknown),
/// a compound note (not a wait).
class NoteCounter
{
public:
    explicit NoteCounter(const ModelSpec &spec) : m_representation(spec.representation)
    {
        if (m_representation == Representation::Notes)
            m_chords = NotesVocabulary::fromPitchSetsText(spec.vocabulary);
    }
    std::size_t operator()(const std::int32_t *step) const
    {
        switch (m_representation) {
        case Representation::Performance: return step[0] < performance::kNoteOffBase ? 1 : 0;
        case Representation::Notes: return std::max<std::size_t>(1, m_chords.pitchSetOf(step[0]).size());
        case Representation::Compound: return step[1] <= 127 ? 1 : 0;
        }
        return 0;
    }

private:
    Representation m_representation;
    NotesVocabulary m_chords;
};

/// Log-probabilities per head [n, classes] on the CPU for the steps after inputs start..start+n-1.
class FileReader
{
public:
    FileReader(nn::Network &net, int64_t chunkSteps) : m_net(net), m_chunk(chunkSteps)
    {
        auto *lstm = dynamic_cast<nn::SequenceNetImpl *>(&net);
        if (lstm && lstm->options().attentionHeads == 0)
            m_lstm = lstm;
        auto *transformer = dynamic_cast<nn::TransformerNetImpl *>(&net);
        if (transformer && transformer->phase)
            m_phaseClasses = transformer->options().phaseClasses;
    }

    void startFile() { m_state = {}; }

    std::vector<Tensor> read(const Tensor &tokens, int64_t start, int64_t n)
    {
        std::vector<Tensor> logits;
        int64_t skip = 0;
        if (m_lstm) {
            auto [out, state] = m_lstm->forward(tokens.narrow(0, start, n), m_state);
            logits = std::move(out);
            m_state = std::move(state);
        } else {
            // At least as far back as the baseline's widest window (64 steps).
            const int64_t from = std::max<int64_t>(0, start - std::max<int64_t>(m_chunk, 64));
            skip = start - from;
            Tensor window = tokens.narrow(0, from, skip + n);
            if (m_phaseClasses > 0 && from > 0) { // its first step's time counts from a beat
                window = window.clone();
                window[0][0][0] =
                    tokens.select(2, 0).narrow(0, 0, from + 1).sum().item<int64_t>() % m_phaseClasses;
            }
            logits = m_net.conditionedLogits(window, tokens.narrow(0, from + 1, skip + n));
        }
        std::vector<Tensor> logProbabilities;
        for (const Tensor &head : logits)
            logProbabilities.push_back(
                torch::log_softmax(head.narrow(0, skip, n).select(1, 0), -1).to(torch::kCPU).contiguous());
        return logProbabilities;
    }

private:
    nn::Network &m_net;
    nn::SequenceNetImpl *m_lstm = nullptr;
    int64_t m_chunk;
    int64_t m_phaseClasses = 0; ///< a Transformer reading positions in the beat
    nn::LstmState m_state;
};

} // namespace

ModelEvaluation evaluateFiles(Model &model, const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                              int chunkSteps, const std::string &device, JobContext &context)
{
    if (corpus.heads != int(model.spec().headSizes.size()))
        throw ModelError("The corpus was encoded for another representation than the model's.");
    if (chunkSteps < 1)
        throw ModelError("The evaluation reads at least one step at a time.");
    const torch::Device target = train::chooseDevice(device);
    const std::size_t heads = std::size_t(corpus.heads);
    int64_t totalSteps = 0;
    for (const std::size_t f : files)
        totalSteps += int64_t(corpus.stepCount(f));

    torch::NoGradGuard noGrad;
    const SingleThreadedBlas singleThreaded; // a file is read one step at a time, as generation does
    nn::Network &net = *nn::ModelAccess::impl(model).net;
    net.to(target);
    net.eval();
    const PieceMemory &memory = model.pieceMemory();
    const ChordShapes shapes = memory.shapesFor(model.spec().vocabulary);
    Tally network(heads), withMemory(heads);
    FileReader reader(net, chunkSteps);
    const NoteCounter notesOf(model.spec());
    ModelEvaluation result;
    int64_t done = 0;
    const bool mixing = !memory.empty();
    std::vector<float> mixed;
    for (const std::size_t f : files) {
        const std::int64_t steps = int64_t(corpus.stepCount(f));
        done += steps;
        if (steps < 2)
            continue;
        ++result.files;
        const std::vector<std::int32_t> &values = corpus.sequences[f];
        const Tensor tokens = torch::tensor(std::vector<int64_t>(values.begin(), values.end()))
                                  .view({ steps, 1, int64_t(heads) })
                                  .to(target);
        reader.startFile();
        PieceRecall recall(RecallLayout::of(model.spec().representation), shapes);
        if (mixing)
            recall.append(values.data());
        for (int64_t start = 0; start + 1 < steps && !context.isCancelled(); start += chunkSteps) {
            const int64_t n = std::min<int64_t>(chunkSteps, steps - 1 - start);
            const std::vector<Tensor> logProbabilities = reader.read(tokens, start, n);
            for (int64_t i = 0; i < n; ++i) {
                const std::int32_t *next = &values[std::size_t(start + i + 1) * heads];
                for (std::size_t h = 0; h < heads; ++h) {
                    const int classes = int(logProbabilities[h].size(1));
                    const float *row = logProbabilities[h].data_ptr<float>() + i * classes;
                    network.addHead(h, row, classes, next[h]);
                    if (mixing) {
                        mixed.assign(row, row + classes);
                        memory.mix(int(h), recall, mixed.data(), classes);
                        withMemory.addHead(h, mixed.data(), classes, next[h]);
                    }
                }
                network.endStep();
                withMemory.endStep();
                if (mixing)
                    recall.append(next);
                ++result.steps;
                result.notes += notesOf(next);
            }
            context.reportProgress(done - steps + start + n, totalSteps, "Evaluating");
        }
    }
    net.to(torch::kCPU);
    if (result.steps == 0)
        throw ModelError("No file has two steps or more to evaluate on.");
    result.network = network.metrics();
    if (mixing)
        result.withMemory = withMemory.metrics();
    return result;
}

namespace {

/// Generation's holds (GenerationSettings::holdRegister, holdKey, holdRhythm) and the floor under
/// them (DrawFloor) over a continuation read step by step after `context`: compound models only;
/// nothing for the others.
class ContinuationHolds
{
public:
    ContinuationHolds(Representation representation, const std::vector<std::int64_t> &context,
                      const DrawShaping &shaping)
        : m_compound(representation == Representation::Compound)
        , m_register(registerHoldAt(context, m_compound ? shaping.holdRegister : 0.0))
        , m_key(context, m_compound ? shaping.holdKey : 0.0)
        , m_rhythm(context, m_compound ? shaping.holdRhythm : 0.0)
        , m_floor(context, m_compound ? shaping.floorShare : 0.0, shaping.holdRegister)
        , m_unitsToSeedEnd(m_compound ? shaping.unitsToSeedEnd : 0)
    {
        // A chord may go on from the context's last onset, as a walker's does after the seed.
        for (std::size_t at = 0; m_compound && at + compoundrepr::kHeads <= context.size();
             at += compoundrepr::kHeads)
            m_chordNotes = chordNotesAfter(m_chordNotes, context[at + kTimeHead], context[at + kPitchHead]);
    }

    /// Holds head `head`'s log-probabilities `row` (`size` classes), mixes the `unfollowed` ones
    /// (modified) under them, and renormalises them.
    void apply(int head, float *row, float *unfollowed, int size) const
    {
        if (head == kPitchHead && (m_register.isActive() || m_key.isActive() || m_floor.isActive())) {
            m_register.apply(row);
            m_key.apply(row);
            m_floor.mixPitches(row, unfollowed, size, m_key);
            toLogProbabilities(row, size);
        } else if (head == kTimeHead
                   && (m_rhythm.isActive() || m_floor.isActive() || m_elapsedUnits < m_unitsToSeedEnd)) {
            m_rhythm.apply(row, size, m_elapsedUnits, m_notes, m_chordNotes);
            m_floor.mixTimes(row, unfollowed, size, m_rhythm, m_elapsedUnits, m_notes, m_chordNotes);
            // No note inside the seed (a wait of the full length is a step, not a note).
            for (int time = 0; time < std::min(size, compoundrepr::kMaxTimeUnits); ++time)
                if (m_elapsedUnits + time < m_unitsToSeedEnd)
                    row[time] = -std::numeric_limits<float>::infinity();
            toLogProbabilities(row, size);
        }
    }

    /// Records a step of the continuation (one token per head).
    void push(const std::int32_t *step)
    {
        if (!m_compound)
            return;
        m_register.push(step[kPitchHead]);
        m_key.push(step[kPitchHead]);
        m_floor.push(step[kPitchHead]);
        m_elapsedUnits += step[kTimeHead];
        m_chordNotes = chordNotesAfter(m_chordNotes, step[kTimeHead], step[kPitchHead]);
        m_notes += step[kPitchHead] < 128 ? 1 : 0;
    }

private:
    static constexpr int kTimeHead = 0; ///< of compound steps
    static constexpr int kPitchHead = 1;

    /// The notes struck at the latest onset after a step of `time` and `pitch`, `chord` before it.
    static int chordNotesAfter(int chord, std::int64_t time, std::int64_t pitch)
    {
        return (time > 0 ? 0 : chord) + (pitch < 128 ? 1 : 0);
    }

    bool m_compound;
    RegisterHold m_register;
    KeyHold m_key;
    RhythmHold m_rhythm;
    DrawFloor m_floor;
    std::int64_t m_elapsedUnits = 0; ///< of the continuation so far
    std::int64_t m_notes = 0;
    int m_chordNotes = 0; ///< at the latest onset
    std::int64_t m_unitsToSeedEnd;
};

} // namespace

std::vector<double> continuationNatsByHead(Model &model, const std::vector<std::int64_t> &context,
                                           const std::vector<std::int64_t> &continuation,
                                           const DrawShaping &shaping)
{
    const std::vector<int> &headSizes = model.spec().headSizes;
    const auto heads = std::int64_t(headSizes.size());
    if (context.empty())
        throw ModelError("A continuation is scored after at least one step of context.");
    std::vector<std::int64_t> steps = context;
    steps.insert(steps.end(), continuation.begin(), continuation.end());
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i] < 0 || steps[i] >= headSizes[i % std::size_t(heads)])
            throw ModelError("A step holds a token the model does not know.");
    const std::int64_t total = std::int64_t(steps.size()) / heads;
    const std::int64_t first = std::int64_t(context.size()) / heads; // the first continuation step
    std::vector<double> nats(std::size_t(heads), 0.0);
    if (first >= total)
        return nats;
    torch::NoGradGuard noGrad;
    nn::Network &net = *nn::ModelAccess::impl(model).net;
    net.eval();
    std::vector<std::int64_t> read = steps; // what the network reads
    if (auto *transformer = dynamic_cast<nn::TransformerNetImpl *>(&net))
        nn::alignToLikeliestBeat(*transformer, read, std::size_t(first));
    const Tensor tokens = torch::tensor(read).view({ total, 1, heads });
    const std::vector<Tensor> logits =
        net.conditionedLogits(tokens.narrow(0, 0, total - 1), tokens.narrow(0, 1, total - 1));
    std::vector<Tensor> logProbabilities; // row t - first: step t
    for (std::int64_t h = 0; h < heads; ++h)
        logProbabilities.push_back(
            torch::log_softmax(
                logits[std::size_t(h)].narrow(0, first - 1, total - first).select(1, 0).to(torch::kFloat32),
                -1)
                .contiguous());
    const PieceMemory &memory = model.pieceMemory();
    const ChordShapes shapes = memory.shapesFor(model.spec().vocabulary);
    PieceRecall recall(RecallLayout::of(model.spec().representation), shapes);
    const std::vector<std::int32_t> steps32(steps.begin(), steps.end());
    for (std::int64_t t = 0; t < first; ++t)
        recall.append(&steps32[std::size_t(t * heads)]);
    // What generation contrasts at followSeed: the model reading only its latest steps.
    const std::unique_ptr<generation::StepSource> recent =
        shaping.followSeed > 0 ? generation::StepSource::recentOnly(model, 1, kFollowSeedRecentSteps)
                               : nullptr;
    const std::vector<double> contrast =
        generation::followSeedWeights(model.spec(), shaping.followSeed, generation::PromptKind::Seed);
    ContinuationHolds holds(model.spec().representation, context, shaping);
    if (recent)
        recent->prime(context);
    std::vector<float> row, unfollowed; // the floor's (DrawFloor)
    for (std::int64_t t = first; t < total; ++t) {
        const std::int32_t *step = &steps32[std::size_t(t * heads)];
        for (std::int64_t h = 0; h < heads; ++h) {
            const float *predicted =
                logProbabilities[std::size_t(h)].data_ptr<float>() + (t - first) * headSizes[h];
            row.assign(predicted, predicted + headSizes[h]);
            unfollowed.assign(predicted, predicted + headSizes[h]);
            memory.mix(int(h), recall, unfollowed.data(), headSizes[h], shaping.stayClose);
            if (recent && contrast[std::size_t(h)] != 0)
                mixGeometric(row.data(),
                             recent->headLogits(0, std::size_t(h), &steps[std::size_t(t * heads)]),
                             headSizes[h], contrast[std::size_t(h)]);
            memory.mix(int(h), recall, row.data(), headSizes[h], shaping.stayClose);
            holds.apply(int(h), row.data(), unfollowed.data(), headSizes[h]);
            nats[std::size_t(h)] -= double(row[std::size_t(step[h])]);
        }
        recall.append(step);
        holds.push(step);
        if (recent)
            recent->step(&steps[std::size_t(t * heads)]);
    }
    return nats;
}

double continuationNats(Model &model, const std::vector<std::int64_t> &context,
                        const std::vector<std::int64_t> &continuation, const DrawShaping &shaping)
{
    const std::vector<double> byHead = continuationNatsByHead(model, context, continuation, shaping);
    return std::accumulate(byHead.begin(), byHead.end(), 0.0);
}

std::vector<std::string> headNames(Representation representation)
{
    if (representation == Representation::Notes)
        return { "chord", "offset", "duration" };
    if (representation == Representation::Compound)
        return { "time", "pitch", "duration", "velocity" };
    return { "event" };
}

namespace {

bool readsMusicAlike(const ModelSpec &a, const ModelSpec &b)
{
    return a.representation == b.representation && a.headSizes == b.headSizes && a.vocabulary == b.vocabulary;
}

} // namespace

Model loadBaselineFor(const std::filesystem::path &path, const ModelSpec &model)
{
    Model baseline = Model::load(path);
    const ModelSpec &spec = baseline.spec();
    if (!readsMusicAlike(spec, model))
        throw ModelError("The baseline " + path.string()
                         + " reads music differently from the model: it uses the "
                         + representationName(spec.representation) + " representation"
                         + (spec.representation == model.representation ? " with another vocabulary" : "")
                         + ". Train a baseline on the model's corpus with the same settings and preset "
                           "baseline.");
    return baseline;
}

std::filesystem::path matchingBaseline(const ModelSpec &model,
                                       const std::vector<std::filesystem::path> &candidates)
{
    for (const std::filesystem::path &candidate : candidates) {
        try {
            const ModelSpec spec = Model::load(candidate).spec();
            if (spec.architecture == Architecture::Logistic && readsMusicAlike(spec, model))
                return candidate;
        } catch (const std::exception &) {
            // not a usable baseline: try the next
        }
    }
    return {};
}

namespace {

/// Passes progress on under another stage name.
class StageContext : public JobContext
{
public:
    StageContext(JobContext &inner, std::string stage) : m_inner(inner), m_stage(std::move(stage)) { }
    void reportProgress(std::int64_t done, std::int64_t total, const std::string &) override
    {
        m_inner.reportProgress(done, total, m_stage);
    }
    bool isCancelled() const override { return m_inner.isCancelled(); }

private:
    JobContext &m_inner;
    std::string m_stage;
};

std::vector<std::size_t> chooseFiles(const CorpusEvaluationOptions &o, const ModelCorpus &corpus)
{
    if (o.split == EvaluationSplit::Validation) {
        if (!corpus.isTrainingSplit)
            throw ModelError(o.corpus.string() + " is not the corpus " + o.model.string()
                             + " was trained on, or its checkpoint does not say how its files were split, so "
                               "its validation files are unknown; evaluate on every file instead.");
        return corpus.data.split.validation;
    }
    std::vector<std::size_t> files(corpus.data.corpus.sequences.size());
    std::iota(files.begin(), files.end(), 0);
    return files;
}

} // namespace

CorpusEvaluation evaluateOnCorpus(const CorpusEvaluationOptions &o, JobContext &context)
{
    ModelMetadata metadata;
    Model model = Model::load(o.model, &metadata);
    std::optional<Model> baseline;
    if (!o.baseline.empty())
        baseline = loadBaselineFor(o.baseline, model.spec());
    const ModelCorpus corpus = prepareModelCorpus(o.corpus, model, metadata, o.cacheDir, context);
    const std::vector<std::size_t> files = chooseFiles(o, corpus);
    CorpusEvaluation result;
    result.representation = model.spec().representation;
    result.headNames = headNames(result.representation);
    result.notesStats = corpus.data.notesStats;
    StageContext modelStage(context, "Evaluating " + o.model.filename().string());
    result.model = evaluateFiles(model, corpus.data.corpus, files, o.chunkSteps, o.device, modelStage);
    if (baseline && !context.isCancelled()) {
        StageContext baselineStage(context, "Evaluating the baseline " + o.baseline.filename().string());
        result.baseline =
            evaluateFiles(*baseline, corpus.data.corpus, files, o.chunkSteps, o.device, baselineStage);
    }
    return result;
}

std::string trainingCorpusFolder(const ModelMetadata &metadata)
{
    const nlohmann::json settings = nlohmann::json::parse(metadata.trainingJson, nullptr, false);
    if (!settings.is_object())
        return {};
    const auto corpus = settings.find("corpus");
    return corpus != settings.end() && corpus->is_string() ? corpus->get<std::string>() : std::string();
}

} // namespace continuo
