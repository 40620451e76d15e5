// SPDX-License-Identifier: GPL-3.0-or-later
// continuo: the desktop app's composition root.
#include "ui/mainwindow.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Continuo"));
    QApplication::setApplicationName(QStringLiteral("Continuo"));
    QApplication::setApplicationVersion(QStringLiteral(CONTINUO_VERSION));
    continuo::ui::MainWindow window;
    window.show();
    const QStringList args = QApplication::arguments();
    if (args.size() > 1)
        window.openMidiFile(args.at(1));
    return QApplication::exec();
}
