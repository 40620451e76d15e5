// SPDX-License-Identifier: GPL-3.0-or-later
// The main window of the desktop app.
#pragma once

#include <QMainWindow>

class QLabel;

namespace continuo::ui {

/// Top-level window: menus, status bar and (for now) a description of the open MIDI file.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    /// Opens a MIDI file and shows what it holds; reports problems in a dialog. GUI thread.
    bool openMidiFile(const QString &path);

private:
    void createMenus();
    void chooseMidiFile();

    QLabel *m_fileInfo = nullptr;
};

} // namespace continuo::ui
