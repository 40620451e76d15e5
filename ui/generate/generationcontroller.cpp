// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generate/generationcontroller.h"

#include "core/error.h"
#include "core/resources.h"
#include "generate/fill.h"
#include "generate/seed.h"
#include "nn/model.h"
#include "ui/document/scoredocument.h"
#include "ui/errorbox.h"
#include "ui/generate/modelcontroller.h"
#include "ui/generatepanel.h"
#include "ui/pianoroll/pianorollview.h"
#include "ui/playback/playbackcontroller.h"

#include <QFileInfo>
#include <QListWidget>
#include <QTimer>

#include <algorithm>
#include <filesystem>
#include <optional>

namespace continuo::ui {

namespace {

constexpr int kStreamIntervalMs = 30;

QString qs(const std::string &text) { return QString::fromStdString(text); }

/// A fill's result in the document's parts: its new notes (the last part) join the continuation.
void intoDocumentParts(Score &variation)
{
    const int fillPart = int(variation.parts.size()) - 1;
    for (Note &note : variation.notes)
        if (note.part == fillPart)
            note.part = kContinuationPart;
    variation.parts.pop_back();
}

/// The model that fills for the chosen one: the bundled model taught to fill gaps when `chosen` is
/// the bundled default, which never learned to read what follows a gap; empty (the chosen model
/// fills) otherwise.
std::filesystem::path fillModelFor(const QString &chosen)
{
    try {
        std::error_code ec;
        const std::filesystem::path chosenPath = chosen.toStdString();
        const std::filesystem::path fill = defaultFillModelPath();
        if (std::filesystem::equivalent(chosenPath, defaultModelPath(), ec)
            && !std::filesystem::equivalent(chosenPath, fill, ec))
            return fill;
    } catch (const Error &) {
        // nothing bundled: the chosen model fills
    }
    return {};
}

int notesOfPart(const Score &score, int part)
{
    return int(std::count_if(score.notes.begin(), score.notes.end(),
                             [part](const Note &n) { return n.part == part; }));
}

} // namespace

GenerationController::GenerationController(ScoreDocument *document, ModelController *models,
                                           GeneratePanel *panel, PianoRollView *roll,
                                           PlaybackController *playback, QObject *parent)
    : QObject(parent)
    , m_document(document)
    , m_models(models)
    , m_panel(panel)
    , m_roll(roll)
    , m_playback(playback)
{
    m_streamTimer = new QTimer(this);
    m_streamTimer->setInterval(kStreamIntervalMs);
    connect(m_streamTimer, &QTimer::timeout, this, &GenerationController::drainStreamedNotes);
}

GenerationController::~GenerationController() { m_generateRunner.cancel(); }

void GenerationController::generate()
{
    if (isGenerating() || !m_models->isLoaded())
        return;
    Score seed;
    try {
        seed = m_document->seedToGenerateFrom();
    } catch (const Error &error) {
        Q_EMIT failed(tr("The selected range can't be used as a seed."), errorDetail(error));
        return;
    }
    startGeneration(seed);
}

void GenerationController::continueFromHere()
{
    if (isGenerating() || !m_models->isLoaded() || m_document->current() < 0)
        return;
    std::int64_t end = m_roll->playheadTick();
    if (end <= 0)
        end = m_roll->selection().isEmpty() ? m_document->displayed().endTick : m_roll->selection().endTick;
    try {
        startGeneration(seedFromRange(m_document->displayed(), 0, end));
    } catch (const Error &error) {
        Q_EMIT failed(tr("There is nothing before this point to continue from."), errorDetail(error));
    }
}

std::optional<GenerationSettings> GenerationController::panelSettings()
{
    try {
        GenerationSettings settings = m_panel->settings();
        settings.modelName = QFileInfo(m_models->modelPath()).fileName().toStdString();
        return settings;
    } catch (const Error &error) {
        Q_EMIT failed(tr("The generation settings are not valid."), errorDetail(error));
        return std::nullopt;
    }
}

void GenerationController::startGeneration(const Score &seed)
{
    const std::optional<GenerationSettings> settings = panelSettings();
    if (!settings)
        return;
    m_playback->stop();
    // What the roll shows while notes stream in: the seed, then the continuation as it grows.
    m_document->beginGeneration(seed, settings->variations);
    startSampling(
        [seed, settings = *settings](Model &model, Model *blend, JobContext &context,
                                     const NoteStream &stream) {
            return generateContinuations(model, seed, settings, context, stream, blend);
        },
        [this](Generation generation) { finishGeneration(std::move(generation)); }, [] {}, [] {});
}

void GenerationController::regenerateSelection()
{
    if (isGenerating() || !m_models->isLoaded())
        return;
    const TickRange selection = m_roll->selection();
    if (selection.isEmpty()) {
        Q_EMIT failed(tr("Select the bars to regenerate first: drag on the roll or the ruler."), QString());
        return;
    }
    const std::optional<GenerationSettings> settings = panelSettings();
    if (!settings)
        return;
    FillRequest request { selection.startTick, selection.endTick, {} };
    try {
        request.keep = m_panel->keepChoice();
    } catch (const Error &error) {
        Q_EMIT failed(tr("The split between melody and accompaniment is not a note name."),
                      errorDetail(error));
        return;
    }
    // The seed file fills as a generation's seed part; a variation keeps its parts.
    const bool fromSeedFile = m_document->current() < 0;
    const Score source = fromSeedFile ? generationScore(m_document->seedFile(), {}) : m_document->displayed();
    const std::int64_t seedEndTick =
        fromSeedFile ? m_document->seedSelection().endTick : m_document->seedEndTick();
    const std::filesystem::path fillModel = fillModelFor(m_models->modelPath());
    m_playback->stop();
    m_document->beginFill(withoutReplacedNotes(source, request), settings->variations, seedEndTick);
    startSampling(
        [source, request, settings = *settings, fillModel](Model &model, Model *blend, JobContext &context,
                                                           const NoteStream &stream) {
            std::optional<Model> filler; // read for this fill, as a blend is
            if (!fillModel.empty())
                filler = Model::load(fillModel);
            return fillSpan(filler ? *filler : model, source, request, settings, context, stream, blend);
        },
        [this, fillModel](Generation generation) {
            for (Score &variation : generation.variations)
                intoDocumentParts(variation);
            m_document->finishFill(std::move(generation.variations));
            announceFinished(generation.seconds, qs(fillModel.stem().string()));
        },
        [this] { m_document->finishFill(variationsShown()); }, [this] { m_document->abandonFill(); });
}

void GenerationController::startSampling(SamplingJob job, std::function<void(Generation)> onFinished,
                                         std::function<void()> onStopped, std::function<void()> onFailed)
{
    m_roll->setPlayheadTick(-1);
    m_stream = std::make_shared<StreamBuffer>();
    JobCallbacks<Generation> callbacks;
    callbacks.finished = [this, onFinished](Generation generation) {
        m_streamTimer->stop();
        m_stream.reset();
        onFinished(std::move(generation));
        Q_EMIT stateChanged();
        Q_EMIT finished();
    };
    callbacks.cancelled = [this, onStopped] {
        drainStreamedNotes();
        m_stream.reset();
        m_streamTimer->stop();
        onStopped();
        Q_EMIT statusMessage(tr("Generation stopped; the notes generated so far are kept."), 0);
        Q_EMIT stateChanged();
        Q_EMIT finished();
    };
    callbacks.failed = [this, onFailed](const JobFailure &failure) {
        m_stream.reset();
        m_streamTimer->stop();
        onFailed();
        Q_EMIT stateChanged();
        Q_EMIT failed(qs(failure.message), qs(failure.detail));
        Q_EMIT finished();
    };
    callbacks.progress = [this](std::int64_t done, std::int64_t total, const std::string &) {
        if (isGenerating())
            Q_EMIT statusMessage(total > 0 ? tr("Generating\u2026 %1 of %2 steps").arg(done).arg(total)
                                           : tr("Generating\u2026 %1 steps").arg(done),
                                 0);
    };
    m_generateRunner.start<Generation>(
        [job = std::move(job), model = m_models->model(), blendPath = m_panel->blendModel().toStdString(),
         stream = m_stream](JobContext &context) {
            std::optional<Model> blend; // read for this generation: a blend is an occasional choice
            if (!blendPath.empty())
                blend = Model::load(blendPath);
            return job(*model, blend ? &*blend : nullptr, context, [stream](int variation, const Note &note) {
                const std::lock_guard<std::mutex> lock(stream->mutex);
                stream->notes.emplace_back(variation, note);
            });
        },
        std::move(callbacks));
    m_streamTimer->start();
    Q_EMIT statusMessage(tr("Generating\u2026"), 0);
    Q_EMIT stateChanged();
}

std::vector<Score> GenerationController::variationsShown() const
{
    std::vector<Score> variations;
    for (int v = 0; v < m_document->variationCount(); ++v)
        variations.push_back(m_document->variation(v));
    return variations;
}

void GenerationController::drainStreamedNotes()
{
    if (!m_stream)
        return;
    std::vector<std::pair<int, Note>> notes;
    {
        const std::lock_guard<std::mutex> lock(m_stream->mutex);
        notes.swap(m_stream->notes);
    }
    if (!notes.empty())
        m_document->appendStreamed(std::move(notes));
}

void GenerationController::finishGeneration(Generation generation)
{
    m_document->finishGeneration(std::move(generation.variations), generation.seedEndTick);
    m_roll->fitToWindow();
    announceFinished(generation.seconds);
}

void GenerationController::announceFinished(double seconds, const QString &filledWith)
{
    const int firstRow = m_document->hasSeedFile() ? 1 : 0;
    for (int v = 0; v < m_document->variationCount(); ++v)
        if (QListWidgetItem *item = m_panel->variationList()->item(firstRow + v))
            item->setText(tr("Variation %1  \u00b7  %2 notes")
                              .arg(v + 1)
                              .arg(notesOfPart(m_document->variation(v), kContinuationPart)));
    const int count = m_document->variationCount();
    QString message = count == 1 ? tr("Generated 1 variation in %1 s.").arg(seconds, 0, 'f', 2)
                                 : tr("Generated %1 variations in %2 s.").arg(count).arg(seconds, 0, 'f', 2);
    if (!filledWith.isEmpty())
        message +=
            QLatin1Char(' ') + tr("Filled by %1, the default model taught to fill gaps.").arg(filledWith);
    Q_EMIT statusMessage(message, 0);
}

void GenerationController::stop()
{
    if (isGenerating())
        m_generateRunner.cancel();
}

} // namespace continuo::ui
