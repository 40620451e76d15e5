// SPDX-License-Identifier: GPL-3.0-or-later
// continuo: the desktop app's composition root.
#include "screenshots.h"
#include "ui/mainwindow.h"
#include "ui/theme.h"

#include "core/resources.h"

#include <QApplication>
#include <QDir>
#include <QSettings>
#include <QTimer>

namespace {

/// First run: the bundled default model and the first bundled seed, when there are any.
void openBundled(continuo::ui::MainWindow &window, bool openSeed)
{
    if (QSettings().value(QStringLiteral("generate/model")).toString().isEmpty()) {
        try {
            window.addModel(QString::fromStdString(continuo::defaultModelPath().string()));
        } catch (const std::exception &) {
            // No bundled model yet: the Generate button says to train or open one.
        }
    }
    if (!openSeed)
        return;
    for (const std::filesystem::path &folder : continuo::resourceFolders("seeds")) {
        const QStringList seeds =
            QDir(QString::fromStdString(folder.string()))
                .entryList({ QStringLiteral("*.mid"), QStringLiteral("*.midi") }, QDir::Files, QDir::Name);
        if (!seeds.isEmpty()) {
            window.openMidiFile(QDir(QString::fromStdString(folder.string())).filePath(seeds.front()));
            return;
        }
    }
}

} // namespace

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
    const bool fileGiven = args.size() > 1;
    const bool firstRun = QSettings().value(QStringLiteral("recentFiles")).toStringList().isEmpty();
    openBundled(window, firstRun && !fileGiven);
    if (fileGiven)
        window.openMidiFile(args.at(1));
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
