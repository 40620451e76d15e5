// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/errorbox.h"

#include "core/error.h"
#include "jobs/jobrunner.h"

#include <QLoggingCategory>
#include <QMessageBox>

namespace continuo::ui {

Q_LOGGING_CATEGORY(lcErrors, "continuo.errors")

namespace {

QString joined(const std::string &message, const std::string &detail)
{
    const QString text = QString::fromStdString(message);
    return detail.empty() ? text : text + QLatin1Char('\n') + QString::fromStdString(detail);
}

} // namespace

QString errorDetail(const std::exception &error)
{
    const auto *ours = dynamic_cast<const Error *>(&error);
    return joined(error.what(), ours ? ours->detail() : std::string());
}

QString errorDetail(const JobFailure &failure) { return joined(failure.message, failure.detail); }

void showErrorBox(QWidget *parent, const QString &message, const QString &detail)
{
    qCWarning(lcErrors) << message << detail;
    const QString title =
        parent && !parent->windowTitle().isEmpty() ? parent->windowTitle() : QStringLiteral("Continuo");
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
    box->setDetailedText(detail.trimmed());
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace continuo::ui
