// SPDX-License-Identifier: GPL-3.0-or-later
// continuo: the desktop app's composition root.
#include "screenshots.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include <QApplication>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Continuo"));
    QApplication::setApplicationName(QStringLiteral("Continuo"));
    QApplication::setApplicationVersion(QStringLiteral(CONTINUO_VERSION));
    continuo::ui::applyDarkTheme();

    continuo::ui::MainWindow window;
    window.show();
    const QStringList args = QApplication::arguments();
    window.openAtStartup(args.size() > 1 ? args.at(1) : QString());
    // packaging/screenshots: CONTINUO_SCREENSHOTS=DIR drives the window through a few states.
    const QString screenshots = qEnvironmentVariable("CONTINUO_SCREENSHOTS");
    if (!screenshots.isEmpty())
        QTimer::singleShot(0, &window, [&window, screenshots] {
            continuo::ui::takeScreenshots(window, screenshots,
                                          qEnvironmentVariable("CONTINUO_SCREENSHOTS_CORPUS"),
                                          qEnvironmentVariable("CONTINUO_SCREENSHOTS_WAV"));
        });
    return QApplication::exec();
}
