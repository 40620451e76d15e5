// SPDX-License-Identifier: GPL-3.0-or-later
// Playback of what the roll shows: the output (built-in synth or a MIDI port), the instrument, the
// SoundFont, loop and follow, and the playhead.
#pragma once

#include "ui/jobs/queuedjobrunner.h"

#include <QObject>
#include <QString>

#include <memory>

class QAction;
class QComboBox;
class QSettings;
class QTimer;
class QToolBar;

namespace continuo {
class ScorePlayer;
struct PlaybackOptions;
} // namespace continuo

namespace continuo::ui {

class PianoRollView;
class ScoreDocument;

/// Plays the document's shown score from the playhead (or loops the selection) on the output chosen
/// in its combo box; opening the synth or a port runs on a job. Owns the Play, Loop and Follow
/// actions and the Output and Instrument boxes, which the window places. GUI thread only.
class PlaybackController : public QObject
{
    Q_OBJECT
public:
    PlaybackController(ScoreDocument *document, PianoRollView *roll, QObject *parent);
    ~PlaybackController() override;

    QAction *playAction() const { return m_playAction; }
    QAction *loopAction() const { return m_loopAction; }
    QAction *followAction() const { return m_followAction; }
    /// Adds the Play, Loop and Follow buttons and the Output and Instrument boxes to `bar`.
    void addToToolBar(QToolBar *bar);

    bool isPlaying() const;
    void toggle();
    void stop();
    /// Enables Play when there is something to play and the output can be used.
    void updateActions(bool hasScore);

    /// The General MIDI program every part plays with (also in WAV exports); -1: the file's own.
    void setInstrument(int program);
    /// What playback and WAV export apply to the shown score: the chosen instrument, if any.
    PlaybackOptions playbackOptions() const;
    /// The SoundFont chosen, else the one found (findSoundFont); empty when none is found.
    QString soundFont() const { return m_soundFont; }
    void setSoundFont(const QString &path);
    /// Asks for a SoundFont file; `parent` owns the dialog.
    void chooseSoundFont(QWidget *parent);

    void restoreSettings(const QSettings &settings);
    void saveSettings(QSettings &settings) const;

Q_SIGNALS:
    /// A sentence for the status bar; timeoutMs 0: until replaced.
    void statusMessage(const QString &text, int timeoutMs);
    /// Whether Play can be used changed (the output, or a SoundFont problem).
    void availabilityChanged();

private:
    void createActions();
    void refreshOutputs();
    void openPlayerAndPlay(const QString &output);
    void start();
    void pollPlayhead();

    ScoreDocument *m_document;
    PianoRollView *m_roll;
    QueuedJobRunner m_playerRunner;
    std::shared_ptr<ScorePlayer> m_player;
    QString m_playerOutput; ///< the output m_player was made for
    QString m_soundFont;
    QString m_soundFontProblem;
    QTimer *m_playheadTimer = nullptr;
    QAction *m_playAction = nullptr;
    QAction *m_loopAction = nullptr;
    QAction *m_followAction = nullptr;
    QComboBox *m_output = nullptr;
    QComboBox *m_instrument = nullptr;
};

} // namespace continuo::ui
