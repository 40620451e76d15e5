// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/train/startmodelchooser.h"

#include "core/resources.h"
#include "ui/generatepanel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>

namespace continuo::ui {

namespace {
const QString kAnother = QStringLiteral("another"); ///< the data of the "Another Model…" item
}

StartModelChooser::StartModelChooser(QWidget *parent) : QWidget(parent)
{
    m_choice = new QComboBox;
    m_choice->setObjectName(QStringLiteral("startFrom"));
    m_choice->setToolTip(tr("Fine-tune: start from a model that already knows music, and adapt it to your "
                            "pieces in minutes; or train a new model from nothing"));
    m_choice->addItem(tr("Nothing (a new model)"), QString());
    const QString bundled = QString::fromStdString(defaultModelPath().string());
    if (!bundled.isEmpty() && QFileInfo::exists(bundled))
        m_choice->addItem(tr("The bundled model: %1").arg(GeneratePanel::modelLabel(bundled)), bundled);
    m_choice->addItem(tr("Another Model…"), kAnother);
    connect(m_choice, &QComboBox::activated, this, &StartModelChooser::onActivated);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_choice);
}

QString StartModelChooser::modelPath() const
{
    const QString data = m_choice->currentData().toString();
    return data == kAnother ? QString() : data;
}

void StartModelChooser::setModelPath(const QString &path)
{
    const int index = path.isEmpty() ? 0 : indexOf(path);
    if (index == m_choice->currentIndex())
        return;
    m_choice->setCurrentIndex(index);
    m_previous = index;
    Q_EMIT modelPathChanged(modelPath());
}

int StartModelChooser::indexOf(const QString &path)
{
    const QString clean = QDir::cleanPath(path);
    for (int i = 0; i < m_choice->count(); ++i)
        if (m_choice->itemData(i).toString() == clean)
            return i;
    const int another = m_choice->count() - 1;
    m_choice->insertItem(another, GeneratePanel::modelLabel(clean), clean);
    return another;
}

void StartModelChooser::onActivated(int index)
{
    if (m_choice->itemData(index).toString() != kAnother) {
        m_previous = index;
        Q_EMIT modelPathChanged(modelPath());
        return;
    }
    const QString path = QFileDialog::getOpenFileName(this, tr("Start from a Model"), QString(),
                                                      tr("Continuo models (*.ckpt)"));
    if (path.isEmpty()) {
        m_choice->setCurrentIndex(m_previous);
        return;
    }
    m_choice->setCurrentIndex(m_previous); // setModelPath() compares with the choice before
    setModelPath(path);
}

} // namespace continuo::ui
