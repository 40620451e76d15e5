// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/seed/seedcontroller.h"

#include "core/error.h"
#include "generate/seed.h"
#include "midiio/midiports.h"
#include "midiio/midirecorder.h"
#include "score/smfconvert.h"
#include "ui/document/scoredocument.h"
#include "ui/errorbox.h"
#include "ui/playback/playbackcontroller.h"

#include <QAction>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace continuo::ui {

namespace {

constexpr int kMaxRecentFiles = 8;

QString qs(const std::string &text) { return QString::fromStdString(text); }

std::filesystem::path fsPath(const QString &path) { return std::filesystem::path(path.toStdString()); }

} // namespace

bool isMidiFileName(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("mid") || suffix == QLatin1String("midi")
        || suffix == QLatin1String("kar");
}

SeedController::SeedController(ScoreDocument *document, PlaybackController *playback, QWidget *dialogParent)
    : QObject(dialogParent), m_document(document), m_playback(playback), m_dialogParent(dialogParent)
{ }

SeedController::~SeedController()
{
    m_seedRunner.cancel();
    if (m_recorder)
        m_recorder->stop();
}

void SeedController::addToFileMenu(QMenu *file)
{
    file->addAction(tr("&Open MIDI File\u2026"), QKeySequence::Open, this, &SeedController::chooseMidiFile);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    file->addAction(tr("Random &Seed from Corpus\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                    this, &SeedController::chooseCorpusFolder);
    m_recordMenu = file->addMenu(tr("Record from MIDI &Input"));
    connect(m_recordMenu, &QMenu::aboutToShow, this, &SeedController::fillRecordMenu);
    fillRecordMenu(); // so that the menu shows at once whether there is anything to record from
    m_stopRecordingAction = file->addAction(tr("Stop Re&cording"), QKeySequence(Qt::CTRL | Qt::Key_R), this,
                                            [this] { stopRecording(); });
    m_stopRecordingAction->setEnabled(false);
}

void SeedController::cancel() { m_seedRunner.cancel(); }

void SeedController::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    settings.setValue(QStringLiteral("folders/midi"), QFileInfo(absolute).absolutePath());
    updateRecentMenu();
}

void SeedController::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString &path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openMidiFile(path); })
            ->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void SeedController::chooseMidiFile()
{
    const QString folder = QSettings().value(QStringLiteral("folders/midi")).toString();
    const QString path = QFileDialog::getOpenFileName(m_dialogParent, tr("Open MIDI File"), folder,
                                                      tr("MIDI files (*.mid *.midi *.kar);;All files (*)"));
    if (!path.isEmpty())
        openMidiFile(path);
}

bool SeedController::openMidiFile(const QString &path)
{
    Score score;
    try {
        score = readScoreFile(fsPath(path));
    } catch (const Error &error) {
        Q_EMIT failed(tr("This file isn't a Standard MIDI File, or it is damaged."), errorDetail(error));
        return false;
    }
    if (score.notes.empty()) {
        Q_EMIT failed(tr("This MIDI file has no notes to use as a seed."), path);
        return false;
    }
    addRecentFile(path);
    const std::size_t warnings = score.warnings.size();
    const QString firstWarning = warnings ? qs(score.warnings.front()) : QString();
    m_document->setSeedFile(std::move(score), QFileInfo(path).fileName());
    Q_EMIT statusMessage(
        warnings ? tr("Opened %1 with %2 warning(s): %3").arg(path).arg(warnings).arg(firstWarning)
                 : tr("Opened %1. Drag on the roll to choose the seed bars.").arg(path),
        0);
    return true;
}

void SeedController::fillRecordMenu()
{
    // One entry per input port, and a virtual port that other programs can connect to; when no
    // MIDI API can be used, one disabled entry that says why.
    m_recordMenu->clear();
    QStringList problems;
    for (const std::string &api : midiApis()) {
        const MidiPortList list = listMidiPorts(api);
        if (!list.isAvailable()) {
            problems << qs(list.problem);
            continue;
        }
        for (const std::string &port : list.inputs)
            m_recordMenu->addAction(qs(api + ": " + port), this, [this, api, port] {
                startRecording(MidiPortChoice { api, port });
            });
        m_recordMenu->addAction(tr("%1: virtual port \u201cContinuo in\u201d").arg(qs(api)), this,
                                [this, api] {
                                    startRecording(MidiPortChoice { api, "" });
                                });
    }
    if (m_recordMenu->isEmpty()) {
        QAction *none = m_recordMenu->addAction(tr("No MIDI input can be used"));
        none->setEnabled(false);
        m_recordMenu->setToolTip(problems.join(QLatin1Char(' ')));
    }
    m_recordMenu->setEnabled(!m_recorder);
}

bool SeedController::startRecording(const MidiPortChoice &choice)
{
    if (m_recorder)
        return false;
    m_playback->stop();
    try {
        m_recorder = std::make_unique<MidiRecorder>(choice);
        m_recorder->start();
    } catch (const Error &error) {
        m_recorder.reset();
        Q_EMIT failed(tr("Recording could not start."), errorDetail(error));
        return false;
    }
    m_recordMenu->setEnabled(false);
    m_stopRecordingAction->setEnabled(true);
    Q_EMIT statusMessage(tr("Recording from %1: play, then Stop Recording (Ctrl+R).")
                             .arg(qs(m_recorder->api() + ": " + m_recorder->portName())),
                         0);
    return true;
}

bool SeedController::stopRecording()
{
    if (!m_recorder)
        return false;
    Score recorded = m_recorder->stop();
    m_recorder.reset();
    m_recordMenu->setEnabled(true);
    m_stopRecordingAction->setEnabled(false);
    if (recorded.notes.empty()) {
        Q_EMIT statusMessage(tr("Nothing was recorded: no notes arrived."), 8000);
        return false;
    }
    const std::size_t notes = recorded.notes.size();
    m_document->setSeedFile(std::move(recorded), tr("Recording"));
    Q_EMIT statusMessage(tr("Recorded %n note(s): select the bars to use as the seed.", "", int(notes)),
                         8000);
    return true;
}

std::size_t SeedController::recordedMessageCount() const
{
    return m_recorder ? m_recorder->messageCount() : 0;
}

void SeedController::chooseCorpusFolder()
{
    QSettings settings;
    const QString folder =
        QFileDialog::getExistingDirectory(m_dialogParent, tr("Random Seed from Corpus"),
                                          settings.value(QStringLiteral("folders/corpus")).toString());
    if (folder.isEmpty())
        return;
    settings.setValue(QStringLiteral("folders/corpus"), folder);
    randomSeedFromFolder(folder);
}

void SeedController::randomSeedFromFolder(const QString &folder)
{
    if (m_seedRunner.isRunning())
        return;
    const std::uint64_t rng = std::uint64_t(QDateTime::currentMSecsSinceEpoch());
    Q_EMIT statusMessage(tr("Looking for a seed in %1\u2026").arg(folder), 0);
    JobCallbacks<CorpusSeed> callbacks;
    callbacks.finished = [this](CorpusSeed picked) {
        const QString title = tr("%1, bars %2\u2013%3")
                                  .arg(qs(picked.file.filename().string()))
                                  .arg(picked.firstBar)
                                  .arg(picked.firstBar + picked.bars - 1);
        const TickRange whole { 0, picked.seed.endTick };
        m_document->setSeedFile(std::move(picked.seed), title, whole);
        Q_EMIT statusMessage(tr("Seed: %1").arg(title), 0);
    };
    callbacks.failed = [this](const JobFailure &failure) {
        Q_EMIT failed(tr("No seed could be picked from this folder."), errorDetail(failure));
    };
    callbacks.cancelled = [this] { Q_EMIT statusMessage(tr("Looking for a seed was cancelled."), 0); };
    m_seedRunner.start<CorpusSeed>(
        [folder = fsPath(folder), rng](JobContext &context) {
            return randomSeedFromCorpus(folder, 4, rng, context);
        },
        std::move(callbacks));
}

} // namespace continuo::ui
