// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the real app through a few states and saves a PNG of each (packaging/screenshots).
#pragma once

#include <QString>

namespace continuo::ui {
class MainWindow;

/// Once the bundled model and seed are on screen: saves first-run.png; generates and saves
/// generated-1600.png (and, when `wav` is not empty, exports the result there as WAV) and
/// generated-1280.png; opens the Train dialog, trains a Tiny model on
/// `corpus` and saves training.png after its second epoch; then quits the application with status
/// 0, or 1 when a step did not happen within its time limit. Window sizes are 1600x1000, then
/// 1280x800.
void takeScreenshots(MainWindow &window, const QString &folder, const QString &corpus, const QString &wav);
} // namespace continuo::ui
