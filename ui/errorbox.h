// SPDX-License-Identifier: GPL-3.0-or-later
// How the UI reports a failure: one sentence, the technical detail under "Show Details", and the log.
#pragma once

#include <QString>

#include <exception>

class QWidget;

namespace continuo {
struct JobFailure;
}

namespace continuo::ui {

/// The technical detail of an exception: its message, then, for a continuo::Error, its detail.
QString errorDetail(const std::exception &error);
/// The technical detail of a failed job: its message, then its detail.
QString errorDetail(const JobFailure &failure);

/// Logs a failure and opens a warning box over `parent` (window-modal, not waited for) that says
/// `message` and shows `detail` under "Show Details". GUI thread.
void showErrorBox(QWidget *parent, const QString &message, const QString &detail);

} // namespace continuo::ui
