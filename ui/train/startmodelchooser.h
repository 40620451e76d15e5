// SPDX-License-Identifier: GPL-3.0-or-later
// The Train dialog's "Start from" choice: a new model, the bundled default, or another model.
#pragma once

#include <QWidget>

class QComboBox;

namespace continuo::ui {

/// Chooses the model a training run starts from (fine-tuning) or none (a new model). Lists nothing,
/// the bundled default model and, once chosen with "Another Model…" (a file dialog), other models.
class StartModelChooser : public QWidget
{
    Q_OBJECT
public:
    explicit StartModelChooser(QWidget *parent = nullptr);

    /// The model to start from; empty: a new model.
    QString modelPath() const;
    /// Chooses `path` (adding it to the list); empty: a new model.
    void setModelPath(const QString &path);

Q_SIGNALS:
    void modelPathChanged(const QString &path);

private:
    void onActivated(int index);
    int indexOf(const QString &path);

    QComboBox *m_choice = nullptr;
    int m_previous = 0; ///< the choice before "Another Model…", restored if its file dialog is cancelled
};

} // namespace continuo::ui
