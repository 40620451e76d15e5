// SPDX-License-Identifier: GPL-3.0-or-later
// The Evaluate Model dialog: a model and its logistic-regression baseline on the same held-out
// files, side by side.
#pragma once

#include "train/evaluation.h"
#include "ui/jobs/queuedjobrunner.h"

#include <QDialog>
#include <QString>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace continuo::ui {

/// What reading a model's header suggests for its evaluation (made on the worker thread).
struct EvaluationSuggestion
{
    QString representation;
    QString baseline; ///< a bundled baseline that reads music as the model does; empty if none
    QString corpus; ///< the folder the model was trained on, when it exists here; else empty
};

/// Non-modal dialog that evaluates a model on held-out files (or every file of a folder) and shows
/// loss, perplexity and top-1/top-5 accuracy per head for the network alone and with its piece
/// memory, with a baseline's figures beside them, so that a student sees what the LSTM adds.
/// Choosing a model reads its header on a job and fills in the bundled baseline that matches it
/// and the corpus it was trained on (when that folder is here), unless the user chose those. The evaluation
/// runs on a JobRunner with progress and cancel. Errors go through showError(), which emits errorOccurred().
class EvaluationDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EvaluationDialog(QWidget *parent = nullptr);
    ~EvaluationDialog() override;

    QString modelPath() const;
    /// Sets the model and reads its header for suggestions (suggestionsReady() when done).
    void setModelPath(const QString &path);
    QString baselinePath() const; ///< empty: no baseline
    void setBaselinePath(const QString &path);
    QString corpusFolder() const;
    /// Sets the corpus folder as the user's choice: a model's training corpus no longer replaces it.
    void setCorpusFolder(const QString &folder);
    EvaluationSplit split() const;
    void setSplit(EvaluationSplit split);

    bool isBusy() const { return m_busy; }
    QTableWidget *resultTable() const { return m_table; }
    QString summaryText() const; ///< the sentence under the table
    QString stageText() const; ///< the line over the progress bar: what runs now
    QString statusText() const; ///< the line under the progress bar

public Q_SLOTS:
    /// Evaluates with the form's settings.
    void evaluate();
    /// Asks a running evaluation to stop.
    void cancel();

Q_SIGNALS:
    void suggestionsReady();
    void evaluationFinished();
    void evaluationCancelled();
    void errorOccurred(const QString &message, const QString &details);

protected:
    /// Reports a failure: emits errorOccurred() and shows a non-blocking message box.
    virtual void showError(const QString &message, const QString &details);

private:
    QWidget *createForm();
    QLineEdit *pathRow(const QString &placeholder, const std::function<void()> &browse, QWidget *&row);
    void chooseModel();
    void chooseBaseline();
    void chooseCorpus();
    void applySuggestion(const EvaluationSuggestion &suggestion);
    void showResult(const CorpusEvaluation &result, const QString &modelName, const QString &baselineName);
    void setBusy(bool busy);
    void setStatus(const QString &text);
    void rememberSettings();

    QLineEdit *m_model = nullptr;
    QLineEdit *m_baseline = nullptr;
    QLineEdit *m_corpus = nullptr;
    QComboBox *m_split = nullptr;
    QWidget *m_form = nullptr; ///< disabled while busy
    QTableWidget *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_stage = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_evaluateButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    /// The baseline field as the last suggestion filled it: while it shows that, the next model's
    /// suggestion replaces it.
    QString m_suggestedBaseline;
    /// The user chose the corpus folder (typed, browsed or setCorpusFolder()): suggestions leave it.
    bool m_corpusChosen = false;
    bool m_busy = false; ///< an evaluation runs, until its outcome arrives

    // declared last: destroyed first, so no job outlives the widgets it reports to
    QueuedJobRunner m_inspectRunner; ///< reads model headers
    QueuedJobRunner m_runner; ///< evaluations
};

} // namespace continuo::ui
