// SPDX-License-Identifier: GPL-3.0-or-later
// Where seeds come from: a MIDI file (opened, recent or dropped), a random passage of a corpus
// folder, or what the student plays on a MIDI keyboard.
#pragma once

#include "ui/jobs/queuedjobrunner.h"

#include <QObject>
#include <QString>

#include <memory>

class QAction;
class QMenu;
class QWidget;

namespace continuo {
class MidiRecorder;
struct MidiPortChoice;
} // namespace continuo

namespace continuo::ui {

class PlaybackController;
class ScoreDocument;

/// True for the names of MIDI files (.mid, .midi, .kar, in any case).
bool isMidiFileName(const QString &path);

/// Opens seed files into the document: from a file (Open, Open Recent, drop), a corpus folder (a
/// random four bars, on a job) or a recording from a MIDI input port. Keeps the recent files and
/// the last folders in QSettings. Owns its File menu entries. GUI thread only.
class SeedController : public QObject
{
    Q_OBJECT
public:
    /// `playback` stops before a recording starts; `dialogParent` owns the file dialogs.
    SeedController(ScoreDocument *document, PlaybackController *playback, QWidget *dialogParent);
    ~SeedController() override;

    /// Adds Open, Open Recent, Random Seed, Record from MIDI Input and Stop Recording to `file`.
    void addToFileMenu(QMenu *file);

    /// Opens a MIDI file as the seed file (its first four bars the seed) and adds it to Open
    /// Recent; false, after failed(), when it cannot be read or has no notes.
    bool openMidiFile(const QString &path);
    void chooseMidiFile();
    void chooseCorpusFolder();
    /// Starts picking a random seed from the MIDI files under `folder` (on a job).
    void randomSeedFromFolder(const QString &folder);
    /// Cancels picking a corpus seed.
    void cancel();

    /// Starts recording from a MIDI input port (an empty port name: a virtual port "Continuo in"
    /// that other programs connect to). False, after failed(), when the port cannot be opened.
    bool startRecording(const MidiPortChoice &choice);
    /// Stops recording and opens what was played as the seed file; false when nothing was recorded.
    bool stopRecording();
    bool isRecording() const { return m_recorder != nullptr; }
    /// Channel messages received since recording started.
    std::size_t recordedMessageCount() const;

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);
    /// One sentence for the student, and the technical detail.
    void failed(const QString &message, const QString &detail);

private:
    void addRecentFile(const QString &path);
    void updateRecentMenu();
    void fillRecordMenu();

    ScoreDocument *m_document;
    PlaybackController *m_playback;
    QWidget *m_dialogParent;
    QueuedJobRunner m_seedRunner;
    std::unique_ptr<MidiRecorder> m_recorder;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_recordMenu = nullptr;
    QAction *m_stopRecordingAction = nullptr;
};

} // namespace continuo::ui
