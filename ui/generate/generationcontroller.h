// SPDX-License-Identifier: GPL-3.0-or-later
// Generation from the document's seed: variations streamed into the document while the model
// samples on a job, stopped on request.
#pragma once

#include "generate/generator.h"
#include "ui/jobs/queuedjobrunner.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

class QTimer;

namespace continuo {
class Model;
} // namespace continuo

namespace continuo::ui {

class GeneratePanel;
class ModelController;
class PianoRollView;
class PlaybackController;
class ScoreDocument;

/// Generates with the loaded model and the Generate panel's settings: from the document's seed
/// (Generate) or from the start of the shown result up to the playhead (Continue from Here). The
/// notes stream into the document as they are drawn; Stop keeps what was drawn. GUI thread only.
class GenerationController : public QObject
{
    Q_OBJECT
public:
    GenerationController(ScoreDocument *document, ModelController *models, GeneratePanel *panel,
                         PianoRollView *roll, PlaybackController *playback, QObject *parent);
    ~GenerationController() override;

    bool isGenerating() const { return m_stream != nullptr; }
    void generate();
    void continueFromHere();
    /// Writes the roll's selection of what is shown anew (fillSpan), keeping what the panel's Keep
    /// choice says; the new notes stream into the span, and undo brings back what was there.
    void regenerateSelection();
    void stop();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);
    /// One sentence for the student, and the technical detail.
    void failed(const QString &message, const QString &detail);
    /// A generation started or ended.
    void stateChanged();
    /// A generation ended: finished, stopped or failed.
    void finished();

private:
    /// What a sampling job does with the model and the blend model (null when none), streaming.
    using SamplingJob =
        std::function<Generation(Model &model, Model *blend, JobContext &context, const NoteStream &stream)>;
    /// The panel's settings with the model's name; nullopt, after failed(), when they are not valid.
    std::optional<GenerationSettings> panelSettings();
    void startGeneration(const Score &seed);
    /// Runs `job` on the generation runner, streaming its notes into the document; then one of the
    /// three, as it ends.
    void startSampling(SamplingJob job, std::function<void(Generation)> onFinished,
                       std::function<void()> onStopped, std::function<void()> onFailed);
    void drainStreamedNotes();
    void finishGeneration(Generation generation);
    /// The variations' note counts in the list, and how long it took in the status bar (and which
    /// model filled, when not the chosen one).
    void announceFinished(double seconds, const QString &filledWith = {});
    std::vector<Score> variationsShown() const;

    ScoreDocument *m_document;
    ModelController *m_models;
    GeneratePanel *m_panel;
    PianoRollView *m_roll;
    PlaybackController *m_playback;
    QueuedJobRunner m_generateRunner;
    /// Notes handed over from the job's thread, drained into the document on a timer.
    struct StreamBuffer
    {
        std::mutex mutex;
        std::vector<std::pair<int, Note>> notes;
    };
    std::shared_ptr<StreamBuffer> m_stream;
    QTimer *m_streamTimer = nullptr;
};

} // namespace continuo::ui
