// SPDX-License-Identifier: GPL-3.0-or-later
// The app's look: Fusion with a dark palette in the piano roll's colours.
#pragma once

#include <QIcon>
#include <QPalette>

namespace continuo::ui {

/// The dark palette the app uses.
QPalette darkPalette();
/// Sets the Fusion style and darkPalette() on the running QApplication.
void applyDarkTheme();

/// Simple symbols drawn in the palette's text colour, so they read on the dark theme.
enum class Symbol { Play, Stop, Dice };
QIcon symbolIcon(Symbol symbol);

} // namespace continuo::ui
