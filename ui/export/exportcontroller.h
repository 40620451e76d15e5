// SPDX-License-Identifier: GPL-3.0-or-later
// Export of what the roll shows: a MIDI file, a WAV file rendered on a job (progress, cancel), and a
// MIDI file dragged out of the window.
#pragma once

#include "ui/jobs/queuedjobrunner.h"

#include <QObject>
#include <QString>

class QAction;
class QProgressBar;
class QStatusBar;
class QToolButton;
class QWidget;

namespace continuo::ui {

class PlaybackController;
class ScoreDocument;

/// Writes the document's shown score: MIDI at once (small files), WAV on a job with its progress
/// and Cancel in the status bar, the dragged file under the temporary folder. Every file goes to a
/// temporary name first (saveScoreFile, renderScoreToWav). Owns the Export actions and the drag
/// handle, which the window places. GUI thread only.
class ExportController : public QObject
{
    Q_OBJECT
public:
    /// `playback` says which instrument and SoundFont a WAV is rendered with; `dialogParent` owns
    /// the file dialogs.
    ExportController(ScoreDocument *document, PlaybackController *playback, QWidget *dialogParent);
    ~ExportController() override;

    QAction *exportMidiAction() const { return m_exportMidiAction; }
    QAction *exportWavAction() const { return m_exportWavAction; }
    /// The label the shown result is dragged out of, as a .mid file.
    QWidget *dragHandle() const { return m_dragHandle; }
    /// Adds the render progress bar and its Cancel button to `bar` (hidden until a render).
    void addToStatusBar(QStatusBar *bar);
    void updateActions(bool hasResult);

    bool exportMidi(const QString &path);
    /// Starts rendering on a job; false when one is running, nothing is shown, or no SoundFont.
    bool exportWav(const QString &path);
    bool isRendering() const { return m_rendering; }
    /// Cancels a WAV export; nothing is written.
    void cancelRender();
    /// Writes the shown result to a temporary .mid for dragging out; empty on failure.
    QString writeDragFile();

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);
    /// One sentence for the student, and the technical detail.
    void failed(const QString &message, const QString &detail);
    void renderFinished(const QString &path);
    /// A render started or ended: the actions' states changed.
    void renderingChanged();

private:
    /// A save dialog in the last export folder; the path ends in `suffix`; empty when cancelled.
    QString askPath(const QString &title, const QString &filter, const QString &suffix);
    void setRenderProgress(bool visible);

    ScoreDocument *m_document;
    PlaybackController *m_playback;
    QWidget *m_dialogParent;
    QueuedJobRunner m_renderRunner;
    bool m_rendering = false;
    QAction *m_exportMidiAction = nullptr;
    QAction *m_exportWavAction = nullptr;
    QWidget *m_dragHandle = nullptr;
    QProgressBar *m_renderProgress = nullptr;
    QToolButton *m_renderCancel = nullptr;
};

} // namespace continuo::ui
