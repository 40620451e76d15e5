// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/generate/modelcontroller.h"

#include "analysis/memorization.h"
#include "core/error.h"
#include "nn/model.h"
#include "ui/errorbox.h"
#include "ui/generatepanel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QSettings>

namespace continuo::ui {

namespace {

std::filesystem::path fsPath(const QString &path) { return std::filesystem::path(path.toStdString()); }

struct LoadedModel
{
    std::shared_ptr<Model> model;
    QString info;
    std::shared_ptr<const MemorizationIndex> index; ///< NAME.memo beside it; null when none or unreadable
};

} // namespace

ModelController::ModelController(GeneratePanel *panel, QWidget *dialogParent)
    : QObject(dialogParent), m_panel(panel), m_dialogParent(dialogParent)
{
    connect(m_panel, &GeneratePanel::modelChanged, this, &ModelController::load);
}

ModelController::~ModelController() { m_modelRunner.cancel(); }

void ModelController::chooseModelFile()
{
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(
        m_dialogParent, tr("Open Model"), settings.value(QStringLiteral("folders/model")).toString(),
        tr("Continuo models (*.ckpt);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("folders/model"), QFileInfo(path).absolutePath());
    addModel(path);
}

void ModelController::addModel(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (m_panel->currentModel() == absolute && !m_model && m_loadingModelPath.isEmpty())
        load(absolute); // chosen before but not loaded (it failed): try again
    m_panel->addModel(absolute, true); // emits modelChanged -> loadModel when it changes
}

void ModelController::load(const QString &path)
{
    if (path == m_modelPath && m_model)
        return;
    m_model.reset();
    m_modelPath.clear();
    if (path.isEmpty()) {
        Q_EMIT stateChanged();
        return;
    }
    // A load cannot stop half way: one under way finishes as cancelled and is passed over, one
    // still queued is skipped, and this one starts after them.
    m_modelRunner.cancel();
    m_loadingModelPath = path;
    m_panel->setModelInfo(tr("Loading\u2026"));
    JobCallbacks<LoadedModel> callbacks;
    callbacks.finished = [this, path](LoadedModel loaded) {
        m_loadingModelPath.clear();
        m_model = std::move(loaded.model);
        m_modelPath = path;
        Q_EMIT indexLoaded(loaded.index);
        m_panel->setModelInfo(loaded.info);
        Q_EMIT statusMessage(tr("Model %1 is ready.").arg(QFileInfo(path).fileName()), 0);
        Q_EMIT stateChanged();
    };
    callbacks.failed = [this, path](const JobFailure &failure) {
        m_loadingModelPath.clear();
        m_panel->setModelInfo(tr("This model could not be loaded."));
        Q_EMIT stateChanged();
        Q_EMIT failed(tr("The model %1 could not be opened.").arg(QFileInfo(path).fileName()),
                      errorDetail(failure));
    };
    m_modelRunner.start<LoadedModel>(
        [file = fsPath(path)](JobContext &) {
            auto model = std::make_shared<Model>(Model::load(file));
            const ModelSpec &spec = model->spec();
            const QString info = tr("%1, %2, %3 parameters")
                                     .arg(QLatin1String(representationName(spec.representation)),
                                          QLatin1String(architectureTitle(spec.architecture)),
                                          QLocale().toString(qulonglong(model->parameterCount())));
            // The memorization index travels beside the checkpoint; a model without one still works.
            std::shared_ptr<const MemorizationIndex> index;
            const std::filesystem::path memo = memorizationIndexPathFor(file);
            std::error_code ec;
            if (std::filesystem::exists(memo, ec)) {
                try {
                    index = std::make_shared<const MemorizationIndex>(MemorizationIndex::load(memo));
                } catch (const Error &) {
                    index.reset(); // the insight panel then says it has no corpus statistics
                }
            }
            return LoadedModel { std::move(model), info, std::move(index) };
        },
        std::move(callbacks));
    Q_EMIT stateChanged();
}

} // namespace continuo::ui
