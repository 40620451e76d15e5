// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/queuedjobrunner.h"

namespace continuo::ui {

QueuedJobRunner::QueuedJobRunner(QObject *parent) : QObject(parent) { }

QueuedJobRunner::~QueuedJobRunner() { m_runner.cancel(); }

} // namespace continuo::ui
