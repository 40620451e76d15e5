// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/playback/playbackcontroller.h"

#include "audio/soundfontlocator.h"
#include "audio/synthplayer.h"
#include "core/error.h"
#include "midiio/midiportplayer.h"
#include "midiio/midiports.h"
#include "score/playback.h"
#include "ui/document/scoredocument.h"
#include "ui/gmprograms.h"
#include "ui/pianoroll/pianorollview.h"
#include "ui/theme.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLoggingCategory>
#include <QSettings>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

Q_LOGGING_CATEGORY(lcPlayback, "continuo.ui.playback")

namespace continuo::ui {

namespace {

constexpr int kPlayheadIntervalMs = 33;
const QString kSynthOutput = QStringLiteral("synth");

QString qs(const std::string &text) { return QString::fromStdString(text); }

} // namespace

PlaybackController::PlaybackController(ScoreDocument *document, PianoRollView *roll, QObject *parent)
    : QObject(parent), m_document(document), m_roll(roll)
{
    m_playheadTimer = new QTimer(this);
    m_playheadTimer->setInterval(kPlayheadIntervalMs);
    connect(m_playheadTimer, &QTimer::timeout, this, &PlaybackController::pollPlayhead);
    createActions();

    m_output = new QComboBox;
    m_output->setObjectName(QStringLiteral("output"));
    m_output->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_output->setToolTip(tr("Where playback goes: the built-in synth or an external MIDI port"));
    refreshOutputs();
    connect(m_output, &QComboBox::currentIndexChanged, this, [this] {
        stop();
        Q_EMIT availabilityChanged();
    });
    m_instrument = new QComboBox;
    m_instrument->setObjectName(QStringLiteral("instrument"));
    m_instrument->setToolTip(tr("The General MIDI instrument that plays and renders every part"));
    m_instrument->addItem(tr("As in the file"), -1);
    const auto &programs = generalMidiProgramNames();
    for (int program = 0; program < int(programs.size()); ++program)
        m_instrument->addItem(
            QStringLiteral("%1 %2").arg(program + 1).arg(tr(programs[std::size_t(program)])), program);
    connect(m_instrument, &QComboBox::currentIndexChanged, this, [this] { stop(); });
}

PlaybackController::~PlaybackController()
{
    m_playerRunner.cancel();
    if (m_player)
        m_player->stop();
}

void PlaybackController::createActions()
{
    m_playAction = new QAction(symbolIcon(Symbol::Play), tr("Play"), this);
    m_playAction->setShortcut(QKeySequence(Qt::Key_Space));
    m_playAction->setToolTip(tr("Play or stop (Space)"));
    connect(m_playAction, &QAction::triggered, this, &PlaybackController::toggle);
    m_loopAction = new QAction(tr("Loop"), this);
    m_loopAction->setCheckable(true);
    m_loopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_loopAction->setToolTip(tr("Loop the selection, or the whole piece (Ctrl+L)"));
    m_followAction = new QAction(tr("Follow"), this);
    m_followAction->setCheckable(true);
    m_followAction->setChecked(true);
    m_followAction->setToolTip(tr("Scroll the roll to keep the playhead in view"));
    connect(m_followAction, &QAction::toggled, m_roll, &PianoRollView::setFollowPlayhead);
}

void PlaybackController::addToToolBar(QToolBar *bar)
{
    bar->addAction(m_playAction);
    bar->addAction(m_loopAction);
    bar->addAction(m_followAction);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Output ")));
    bar->addWidget(m_output);
    bar->addWidget(new QLabel(tr(" Instrument ")));
    bar->addWidget(m_instrument);
}

void PlaybackController::updateActions(bool hasScore)
{
    const bool outputUsable =
        m_output->currentIndex() >= 0
        && (m_output->currentData().toString() != kSynthOutput || m_soundFontProblem.isEmpty());
    m_playAction->setEnabled(hasScore && outputUsable);
}

void PlaybackController::refreshOutputs()
{
    const QSignalBlocker blocker(m_output);
    m_output->clear();
    m_output->addItem(tr("Built-in synth"), kSynthOutput);
    int ports = 0;
    for (const std::string &api : midiApis()) {
        const MidiPortList list = listMidiPorts(api);
        for (const std::string &port : list.outputs) {
            m_output->addItem(qs(api + ": " + port), qs(api + "\n" + port));
            ++ports;
        }
    }
    if (ports == 0) {
        m_output->addItem(tr("No MIDI output ports"));
        const int last = m_output->count() - 1;
        m_output->setItemData(last, 0, Qt::UserRole - 1); // disabled item
    }
    try {
        m_soundFont = qs(findSoundFont(m_soundFont.toStdString()).string());
        m_soundFontProblem.clear();
    } catch (const Error &error) {
        m_soundFontProblem = qs(error.what());
    }
}

void PlaybackController::restoreSettings(const QSettings &settings)
{
    m_loopAction->setChecked(settings.value(QStringLiteral("playback/loop"), false).toBool());
    m_followAction->setChecked(settings.value(QStringLiteral("playback/follow"), true).toBool());
    const QString soundFont = settings.value(QStringLiteral("playback/soundFont")).toString();
    if (!soundFont.isEmpty() && QFileInfo::exists(soundFont))
        setSoundFont(soundFont);
    const int output = m_output->findData(settings.value(QStringLiteral("playback/output"), kSynthOutput));
    if (output >= 0)
        m_output->setCurrentIndex(output);
    const int instrument = m_instrument->findData(settings.value(QStringLiteral("playback/program"), -1));
    if (instrument >= 0)
        m_instrument->setCurrentIndex(instrument);
}

void PlaybackController::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("playback/loop"), m_loopAction->isChecked());
    settings.setValue(QStringLiteral("playback/follow"), m_followAction->isChecked());
    settings.setValue(QStringLiteral("playback/output"), m_output->currentData());
    settings.setValue(QStringLiteral("playback/program"), m_instrument->currentData());
}

PlaybackOptions PlaybackController::playbackOptions() const
{
    PlaybackOptions options;
    const int program = m_instrument->currentData().toInt();
    if (program >= 0)
        options.partPrograms.assign(std::max<std::size_t>(1, m_document->displayed().parts.size()), program);
    return options;
}

void PlaybackController::setInstrument(int program)
{
    const int index = m_instrument->findData(program);
    if (index >= 0)
        m_instrument->setCurrentIndex(index);
}

void PlaybackController::chooseSoundFont(QWidget *parent)
{
    const QString path =
        QFileDialog::getOpenFileName(parent, tr("Choose a SoundFont"), QFileInfo(m_soundFont).path(),
                                     tr("SoundFonts (*.sf2 *.sf3);;All files (*)"));
    if (path.isEmpty())
        return;
    stop();
    setSoundFont(path);
    Q_EMIT statusMessage(tr("Playing and rendering with %1.").arg(QFileInfo(path).fileName()), 8000);
}

void PlaybackController::setSoundFont(const QString &path)
{
    m_soundFont = path;
    QSettings().setValue(QStringLiteral("playback/soundFont"), path);
    m_player.reset();
    refreshOutputs();
    Q_EMIT availabilityChanged();
}

bool PlaybackController::isPlaying() const { return m_player && m_player->isPlaying(); }

void PlaybackController::toggle()
{
    if (isPlaying()) {
        stop();
        return;
    }
    if (m_document->displayed().notes.empty())
        return;
    const QString output = m_output->currentData().toString();
    if (m_player && m_playerOutput == output) {
        start();
        return;
    }
    if (!m_playerRunner.isRunning()) // else still opening: it starts playing when ready
        openPlayerAndPlay(output);
}

void PlaybackController::openPlayerAndPlay(const QString &output)
{
    m_player.reset();
    m_playerOutput.clear();
    const bool synth = output == kSynthOutput;
    Q_EMIT statusMessage(synth ? tr("Starting the built-in synth\u2026") : tr("Opening the MIDI port\u2026"),
                         0);
    // Loading a SoundFont or opening a port can take a while: done on a job, like every slow step.
    JobCallbacks<std::shared_ptr<ScorePlayer>> callbacks;
    callbacks.finished = [this, output](std::shared_ptr<ScorePlayer> player) {
        if (output != m_output->currentData().toString())
            return; // the user chose another output meanwhile
        m_player = std::move(player);
        m_playerOutput = output;
        Q_EMIT statusMessage(QString(), 0);
        start();
    };
    callbacks.failed = [this, synth](const JobFailure &failure) {
        qCWarning(lcPlayback) << failure.message.c_str() << failure.detail.c_str();
        Q_EMIT statusMessage(tr("Cannot play: %1").arg(qs(failure.message)), 0);
        if (synth)
            m_soundFontProblem = qs(failure.message);
        Q_EMIT availabilityChanged();
    };
    m_playerRunner.start<std::shared_ptr<ScorePlayer>>(
        [output, soundFont = std::filesystem::path(m_soundFont.toStdString()),
         synth](JobContext &) -> std::shared_ptr<ScorePlayer> {
            if (synth) {
                SynthPlayerOptions options;
                options.soundFont = soundFont;
                return std::make_shared<SynthPlayer>(options);
            }
            const QStringList apiAndPort = output.split(QLatin1Char('\n'));
            if (apiAndPort.size() != 2)
                throw AudioError("No MIDI output port is chosen.");
            return std::make_shared<MidiPortPlayer>(
                MidiPortChoice { apiAndPort[0].toStdString(), apiAndPort[1].toStdString() });
        },
        std::move(callbacks));
}

void PlaybackController::start()
{
    const Score &shown = m_document->displayed();
    ScorePlayer *p = m_player.get();
    p->setScore(shown, playbackOptions());
    const TickRange selection = m_roll->selection();
    const TempoMap &tempo = shown.tempoMap;
    const bool loopSelection = m_loopAction->isChecked() && !selection.isEmpty();
    if (loopSelection)
        p->setLoop(true, tempo.tickToSeconds(selection.startTick), tempo.tickToSeconds(selection.endTick));
    else
        p->setLoop(m_loopAction->isChecked());
    double from = 0.0;
    const std::int64_t playhead = m_roll->playheadTick();
    if (loopSelection)
        from = tempo.tickToSeconds(selection.startTick);
    else if (playhead > 0 && playhead < shown.endTick)
        from = tempo.tickToSeconds(playhead);
    p->play(from);
    m_playAction->setIcon(symbolIcon(Symbol::Stop));
    m_playAction->setText(tr("Stop"));
    m_playheadTimer->start();
}

void PlaybackController::stop()
{
    if (m_player)
        m_player->stop();
    m_playheadTimer->stop();
    m_playAction->setIcon(symbolIcon(Symbol::Play));
    m_playAction->setText(tr("Play"));
}

void PlaybackController::pollPlayhead()
{
    if (!m_player)
        return;
    m_roll->setPlayheadTick(
        std::int64_t(m_document->displayed().tempoMap.secondsToTick(m_player->positionSec())));
    if (!m_player->isPlaying())
        stop();
}

} // namespace continuo::ui
