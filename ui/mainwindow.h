// SPDX-License-Identifier: GPL-3.0-or-later
// The main window: assembles the document, the piano roll, the Generate and Insight docks, the
// transport and the controllers of seeds, models, generation, playback and export.
#pragma once

#include "score/score.h"
#include "ui/pianoroll/pianorollview.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QUndoStack;

namespace continuo {
struct PlaybackOptions;
struct MidiPortChoice;
} // namespace continuo

namespace continuo::ui {

class EvaluationDialog;
class ExportController;
class GenerationController;
class ModelController;
class ScoreDocument;
class GeneratePanel;
class InsightPanel;
class PlaybackController;
class SeedController;
class TrainDialog;

/// Top-level window. It owns the document (ScoreDocument: the seed file, the variations, what is
/// shown, undo) and one controller per concern (seeds, the model, generation, playback, export),
/// places their actions and widgets, and shows the document's row on the roll (the seed file with
/// its seed selected, or a variation: seed in blue, continuation in orange) and in the Insight
/// panel. Every long job runs on a controller's QueuedJobRunner. The controllers' errors go through
/// showError(), which emits errorShown() and then, unless disabled, shows a dialog. The public
/// methods below are the window's face for tests and for main(). GUI thread only.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a MIDI file as the seed file: shows it, selects the default seed (the first four
    /// bars, or the whole file when shorter), adds it to Open Recent. Errors go to showError().
    bool openMidiFile(const QString &path);
    /// What the app opens as it starts: the model chosen last time, else the bundled default
    /// model; then `file` when one is given, else, on the first run (no recent files), the first
    /// bundled seed.
    void openAtStartup(const QString &file);
    /// Adds a model file to the picker, makes it current and loads it on a job; errors go to
    /// showError() when the load fails.
    void addModel(const QString &path);
    /// Starts picking a random seed from the MIDI files under `folder` (on a job).
    void randomSeedFromFolder(const QString &folder);
    /// Writes the displayed score (the chosen variation, else the seed file) as MIDI. GUI thread;
    /// small files, so not on a job.
    bool exportMidi(const QString &path);
    /// Starts rendering the displayed score to WAV on a job; the status bar shows progress.
    bool exportWav(const QString &path);
    /// Writes the displayed result to a temporary .mid for dragging out; empty on failure.
    QString writeDragFile();

    /// With false, showError() only emits errorShown() (for tests and batch use).
    void setErrorDialogsEnabled(bool enabled) { m_errorDialogs = enabled; }
    /// When set, SoundFonts are looked up with this file as the user's choice.
    void setSoundFont(const QString &path);
    /// The General MIDI program every part plays with (also in WAV exports); -1: the file's own.
    void setInstrument(int program);
    /// What playback and WAV export apply to the displayed score: the chosen instrument, if any.
    PlaybackOptions playbackOptions() const;

    GeneratePanel *generatePanel() const { return m_panel; }
    PianoRollView *pianoRoll() const { return m_roll; }
    /// The seed file, the variations and what is shown, with their undo stack.
    ScoreDocument *document() const { return m_document; }
    QUndoStack *undoStack() const;
    /// What the roll shows now.
    const Score &displayedScore() const;
    /// Variations of the last generation (streamed so far while generating).
    int variationCount() const;
    /// -1: the seed file; else the variation shown.
    int currentVariation() const;
    void showVariation(int variation);
    bool isGenerating() const;
    bool isRendering() const;
    bool isModelLoaded() const;
    bool isPlaying() const;
    QAction *playAction() const;
    /// Starts recording from a MIDI input port (an empty port name: a virtual port "Continuo in"
    /// that other programs connect to). False, after showError(), when the port cannot be opened.
    bool startRecording(const MidiPortChoice &choice);
    /// Stops recording and opens what was played as the seed file; false when nothing was recorded.
    bool stopRecording();
    bool isRecording() const;
    /// Channel messages received since recording started.
    std::size_t recordedMessageCount() const;
    /// The Train dialog, once Train… has opened it; else null.
    TrainDialog *trainDialog() const { return m_trainDialog; }
    /// The Evaluate Model dialog, once Evaluate Model… has opened it; else null.
    EvaluationDialog *evaluationDialog() const { return m_evaluationDialog; }

    /// Opens the Evaluate Model dialog on the current model.
    void openEvaluationDialog();

public Q_SLOTS:
    void generate();
    void stopGeneration();
    void continueFromHere();
    /// Writes the selection anew (the panel's Keep choice stays), as GenerationController does.
    void regenerateSelection();
    void togglePlayback();
    /// Cancels a WAV export; nothing is written.
    void cancelRender();

Q_SIGNALS:
    /// Train… was chosen; the window opens its Train dialog (openTrainDialog) in answer.
    void trainRequested();
    /// An error was reported to the user: one sentence and the technical detail.
    void errorShown(const QString &message, const QString &detail);
    void generationFinished();
    void renderFinished(const QString &path);

protected:
    /// Reports a failure: emits errorShown(), then shows a message box with details unless disabled.
    virtual void showError(const QString &message, const QString &detail);
    /// Shows `text` in the status bar (timeoutMs 0: until replaced); an empty text clears it.
    void showStatus(const QString &text, int timeoutMs);
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createTransport();
    void createStatusBar();
    void restoreSettings();
    void saveSettings();

    void openTrainDialog();
    /// A dock on the right holding `panel` in a vertical scroll area.
    QDockWidget *addPanelDock(QWidget *panel, const QString &title, const QString &objectName);
    void createInsightDock(QDockWidget *besides);
    void connectDocument();
    /// Shows the document's row on the roll, the Insight panel and the variations list.
    void showDocumentRow(int variation, bool wasSeedFile);
    void updateActions();
    /// Why Regenerate Selection cannot be used now; empty when it can.
    QString regenerateWhyNot() const;
    void stopPlayback();

    ScoreDocument *m_document = nullptr;

    // Jobs
    TrainDialog *m_trainDialog = nullptr;
    EvaluationDialog *m_evaluationDialog = nullptr;
    InsightPanel *m_insight = nullptr;

    PlaybackController *m_playback = nullptr;
    ExportController *m_export = nullptr;
    SeedController *m_seeds = nullptr;
    ModelController *m_models = nullptr;
    GenerationController *m_generation = nullptr;

    // Widgets
    PianoRollView *m_roll = nullptr;
    GeneratePanel *m_panel = nullptr;
    QAction *m_generateAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_continueAction = nullptr;
    QAction *m_regenerateAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    bool m_errorDialogs = true;
};

} // namespace continuo::ui
