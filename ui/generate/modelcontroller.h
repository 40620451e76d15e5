// SPDX-License-Identifier: GPL-3.0-or-later
// The model that generates: chosen in the Generate panel, opened from a file or trained, loaded on
// a job with the memorization index beside it.
#pragma once

#include "ui/jobs/queuedjobrunner.h"

#include <QObject>
#include <QString>

#include <memory>

class QWidget;

namespace continuo {
class MemorizationIndex;
class Model;
} // namespace continuo

namespace continuo::ui {

class GeneratePanel;

/// Loads the model chosen in the Generate panel's picker (on a job; a newer choice supersedes a
/// load under way) and keeps it for generation. GUI thread only.
class ModelController : public QObject
{
    Q_OBJECT
public:
    /// Follows `panel`'s model picker; `dialogParent` owns the file dialog.
    ModelController(GeneratePanel *panel, QWidget *dialogParent);
    ~ModelController() override;

    /// Adds a model file to the picker, makes it current and loads it; failed() when it fails.
    void addModel(const QString &path);
    /// Asks for a model file and adds it.
    void chooseModelFile();
    /// Loads `path` (empty: none) unless it is loaded already.
    void load(const QString &path);

    /// The loaded model; null while none is loaded.
    const std::shared_ptr<Model> &model() const { return m_model; }
    const QString &modelPath() const { return m_modelPath; }
    bool isLoaded() const { return m_model != nullptr; }
    bool isLoading() const { return !m_loadingModelPath.isEmpty(); }

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);
    /// One sentence for the student, and the technical detail.
    void failed(const QString &message, const QString &detail);
    /// A load started, ended or failed.
    void stateChanged();
    /// The memorization index beside the loaded model (NAME.memo); null when it has none.
    void indexLoaded(std::shared_ptr<const MemorizationIndex> index);

private:
    GeneratePanel *m_panel;
    QWidget *m_dialogParent;
    QueuedJobRunner m_modelRunner;
    std::shared_ptr<Model> m_model;
    QString m_modelPath;
    QString m_loadingModelPath;
};

} // namespace continuo::ui
