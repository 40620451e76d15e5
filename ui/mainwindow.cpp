// SPDX-License-Identifier: GPL-3.0-or-later
// Main window: File menu, status bar, file description.
#include "ui/mainwindow.h"

#include "core/error.h"
#include "midi/smfreader.h"
#include "score/smfconvert.h"
#include "score/summary.h"

#include <QApplication>
#include <QFileDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace continuo::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("Continuo"));
    resize(1280, 800);
    m_fileInfo = new QLabel(tr("Open a MIDI file to begin (File \u2192 Open, Ctrl+O)."), this);
    m_fileInfo->setAlignment(Qt::AlignCenter);
    m_fileInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    setCentralWidget(m_fileInfo);
    createMenus();
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open MIDI File\u2026"), QKeySequence::Open, this, &MainWindow::chooseMidiFile);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Continuo"), this, [this] {
        QMessageBox::about(this, tr("About Continuo"),
                           tr("Continuo %1\nA composer assistant for music students.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::chooseMidiFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open MIDI File"), QString(), tr("MIDI files (*.mid *.midi *.kar *.rmi);;All files (*)"));
    if (!path.isEmpty())
        openMidiFile(path);
}

bool MainWindow::openMidiFile(const QString &path)
{
    try {
        const SmfFile file = readSmfFile(path.toStdString());
        const FileSummary s = summarize(file, scoreFromSmf(file));
        QString text = tr("<b>%1</b><br>Format %2, %3 track(s), %4 note(s), %5 s")
                           .arg(path.toHtmlEscaped())
                           .arg(s.format)
                           .arg(s.trackCount)
                           .arg(qulonglong(s.noteCount))
                           .arg(s.durationSec, 0, 'f', 1);
        if (s.noteCount)
            text += tr("<br>Pitch range %1 to %2")
                        .arg(QString::fromStdString(pitchName(s.lowestPitch)),
                             QString::fromStdString(pitchName(s.highestPitch)));
        m_fileInfo->setText(text);
        statusBar()->showMessage(s.warnings.empty() ? tr("Opened %1").arg(path)
                                                    : tr("Opened %1 with %2 warning(s): %3")
                                                          .arg(path)
                                                          .arg(s.warnings.size())
                                                          .arg(QString::fromStdString(s.warnings.front())));
        return true;
    } catch (const Error &error) {
        QMessageBox box(QMessageBox::Warning, tr("Cannot open the file"),
                        tr("This file isn't a Standard MIDI File, or it is damaged."), QMessageBox::Ok, this);
        box.setDetailedText(QString::fromStdString(error.what()));
        box.exec();
        return false;
    }
}

} // namespace continuo::ui
