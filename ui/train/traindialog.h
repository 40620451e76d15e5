// SPDX-License-Identifier: GPL-3.0-or-later
// The Train dialog: corpus scan report, model and training settings, live curves, cancel and resume.
#pragma once

#include "train/trainer.h"
#include "train/trainingrun.h"
#include "ui/jobs/queuedjobrunner.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QString>

#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QToolButton;
class QWidget;

namespace continuo::ui {

class StartModelChooser;

/// One file of a corpus scan, as the report table shows it.
struct CorpusReportRow
{
    QString file; ///< relative to the scanned folder
    QString status; ///< corpusFileStatusText()
    QString problem; ///< empty for usable files
    bool usable = false;
};

/// A corpus scan reduced to what the dialog shows (a copyable value made on the worker thread).
struct CorpusReport
{
    QString folder;
    std::vector<CorpusReportRow> rows;
    int usable = 0;
    int skipped = 0;
};

/// Non-modal dialog to train a model: choose a corpus folder and scan it (every file with its
/// problem, if any), choose representation, size preset and advanced settings, then train with a
/// progress bar, ETA, tokens/s and live loss and accuracy curves. Training can be cancelled (the
/// best checkpoint so far is kept) and resumed from a NAME.last.ckpt. Scans, training and
/// checkpoint reading run on JobRunners; their outcomes reach the GUI thread as queued calls.
/// Errors go through showError() (one sentence and details), which emits errorOccurred().
class TrainDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TrainDialog(QWidget *parent = nullptr);
    ~TrainDialog() override;

    /// The form as run settings: `out` is the output folder joined with NAME.ckpt.
    TrainingRunOptions runOptions() const;
    /// Fills the form from `options` (corpus, the model to start from or the representation, network
    /// and preset, output, advanced settings).
    void setRunOptions(const TrainingRunOptions &options);

    QString corpusFolder() const;
    void setCorpusFolder(const QString &folder);
    /// Where the best checkpoint of the next run goes (NAME.ckpt in the output folder).
    QString outputPath() const;

    bool isScanning() const;
    bool isTraining() const;
    /// The last checkpoint of the run cancelled last, if it can be resumed; else empty.
    QString resumableCheckpoint() const { return m_resumable; }

    QString statusText() const; ///< the outcome line under the progress bar
    QString scanSummary() const; ///< "290 files usable, 6 skipped"
    QChart *lossChart() const { return m_lossChart; }
    QChart *accuracyChart() const { return m_accuracyChart; }
    QTableWidget *reportTable() const { return m_report; }

public Q_SLOTS:
    /// Scans the corpus folder on a job and fills the report table.
    void scan();
    /// Starts a new training run with the form's settings.
    void train();
    /// Asks the running job to stop; a training run keeps its best checkpoint.
    void cancel();
    /// Goes on with the run of `lastCheckpoint` (NAME.last.ckpt) up to the form's epochs, on the
    /// form's device, with every other setting from the checkpoint.
    void resumeFrom(const QString &lastCheckpoint);
    /// Resumes the run cancelled last (resumableCheckpoint()).
    void resumeCancelledRun();
    /// Shows the curves a checkpoint recorded (read on a job).
    void openCurves(const QString &checkpointPath);

Q_SIGNALS:
    void scanFinished(int usable, int skipped);
    void trainingStarted();
    void epochFinished(int epoch);
    /// A run finished; `checkpointPath` is its best model, ready for generation.
    void modelTrained(const QString &checkpointPath);
    /// A run was cancelled; `bestCheckpointPath` is the best model kept, empty if none was written.
    void trainingCancelled(const QString &bestCheckpointPath);
    void curvesOpened(const QString &checkpointPath);
    void errorOccurred(const QString &message, const QString &details);

protected:
    /// Reports a failure: emits errorOccurred() and shows a non-blocking message box. Override to
    /// report elsewhere.
    virtual void showError(const QString &message, const QString &details);
    /// Asks whether a new run may replace the model at `checkpointPath` (and its NAME.last.ckpt).
    /// The default asks with a message box; override to answer otherwise.
    virtual bool confirmOverwrite(const QString &checkpointPath);

private:
    QWidget *createCorpusGroup();
    QWidget *createModelGroup();
    QWidget *createAdvancedGroup();
    QWidget *createChartsAndProgress();
    bool checkCorpusFolder(); ///< shows an error unless the corpus folder is a folder
    void setProgress(std::int64_t done, std::int64_t total); ///< total <= 0: busy
    void chooseCorpusFolder();
    void chooseOutputFolder();
    void chooseResumeCheckpoint();
    void chooseCurvesCheckpoint();
    void startTraining(const TrainingRunOptions &options);
    void showReport(const CorpusReport &report);
    void clearCurves();
    void addEpoch(const EpochMetrics &metrics);
    void onTrainingProgress(std::int64_t done, std::int64_t total, const QString &stage);
    void onPrepared(const TrainingRunOptions &settings, const CorpusReport &report,
                    const std::vector<EpochMetrics> &history, const QString &device, qint64 parameters);
    void onTrainingFinished(const TrainingRunResult &run);
    void onTrainingCancelled();
    /// Fine-tuning `path` (empty: a new model): its representation and network, fine-tuning's settings.
    void onStartModelChanged(const QString &path);
    /// The replay check of a fine-tuning run in a sentence or two.
    static QString replaysText(const ReplayCheck &check);
    void setNetwork(const TrainingRunOptions &options); ///< representation, network and size
    void setTrainingSettings(const TrainingRunOptions &options); ///< the advanced settings
    void setStatus(const QString &text);
    void updateButtons();
    void rememberFolders();

    // form
    QLineEdit *m_corpusEdit = nullptr;
    QPushButton *m_corpusBrowse = nullptr;
    QPushButton *m_scanButton = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_report = nullptr;
    StartModelChooser *m_startFrom = nullptr;
    QComboBox *m_representation = nullptr;
    QComboBox *m_architecture = nullptr;
    QComboBox *m_preset = nullptr;
    QLineEdit *m_outputFolder = nullptr;
    QLineEdit *m_modelName = nullptr;
    QToolButton *m_advancedToggle = nullptr;
    QWidget *m_advanced = nullptr;
    QSpinBox *m_epochs = nullptr;
    QSpinBox *m_sequenceLength = nullptr;
    QSpinBox *m_batch = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QDoubleSpinBox *m_validation = nullptr;
    QSpinBox *m_transpose = nullptr;
    QSpinBox *m_stepsPerEpoch = nullptr;
    QSpinBox *m_patience = nullptr;
    QSpinBox *m_seed = nullptr;
    QComboBox *m_device = nullptr;
    QWidget *m_settings = nullptr; ///< everything disabled while training
    // progress and curves
    QChart *m_lossChart = nullptr;
    QChart *m_accuracyChart = nullptr;
    QLineSeries *m_trainLoss = nullptr;
    QLineSeries *m_validLoss = nullptr;
    std::vector<QLineSeries *> m_accuracy; ///< one per head, made at the first epoch
    QProgressBar *m_progress = nullptr;
    QLabel *m_stage = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_trainButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_resumeButton = nullptr;
    QPushButton *m_curvesButton = nullptr;

    // the run
    TrainingRunOptions m_running; ///< the settings of the run in progress
    Representation m_representationShown = Representation::Performance; ///< names the accuracy heads
    QString m_bestPath;
    QString m_lastPath;
    QString m_resumable;
    double m_maxLoss = 0.0;
    int m_epochsShown = 0;
    QElapsedTimer m_trainClock; ///< since the first batch of the run
    std::int64_t m_firstDone = -1;
    bool m_scanning = false; ///< a scan or checkpoint read, until its outcome arrives
    bool m_training = false; ///< until the run's outcome arrives

    // declared last: destroyed first, so no job outlives the widgets it reports to
    QueuedJobRunner m_scanRunner; ///< scans and checkpoint reading
    QueuedJobRunner m_trainRunner;
};

} // namespace continuo::ui
