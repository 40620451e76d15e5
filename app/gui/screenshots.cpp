// SPDX-License-Identifier: GPL-3.0-or-later
#include "screenshots.h"

#include "ui/insight/evaluationdialog.h"
#include "ui/mainwindow.h"
#include "ui/pianoroll/pianorollview.h"
#include "ui/train/traindialog.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <functional>

namespace continuo::ui {

namespace {

/// Runs the event loop until `done` or the time limit; false on timeout.
bool waitFor(const std::function<bool()> &done, int seconds)
{
    QDeadlineTimer deadline(seconds * 1000);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    return true;
}

void settle(int ms)
{
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired())
        QApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool save(QWidget &widget, const QString &folder, const QString &name)
{
    const QString path = QDir(folder).filePath(name);
    const bool ok = widget.grab().save(path);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "could not write", qPrintable(path));
    return ok;
}

/// The Evaluate Model dialog on the bundled model and its baseline: on the model's held-out files
/// when its training corpus is on this machine, else on every file of `corpus`.
int evaluationScreenshot(MainWindow &window, const QString &folder, const QString &corpus)
{
    window.openEvaluationDialog();
    EvaluationDialog *dialog = window.evaluationDialog();
    bool suggested = false;
    QObject::connect(dialog, &EvaluationDialog::suggestionsReady, dialog, [&] { suggested = true; });
    waitFor([&] { return suggested; }, 60);
    // Without the model's own corpus here, the field shows the folder the Train dialog used.
    const QString shown = QDir::cleanPath(QDir::fromNativeSeparators(dialog->corpusFolder()));
    if (shown.isEmpty() || shown == QDir::cleanPath(corpus) || !QDir(shown).exists()) {
        dialog->setCorpusFolder(corpus);
        dialog->setSplit(EvaluationSplit::All);
    }
    dialog->resize(900, 600);
    dialog->evaluate();
    if (!waitFor([&] { return !dialog->isBusy(); }, 600) || dialog->resultTable()->rowCount() == 0) {
        std::fprintf(stderr, "screenshots: the evaluation did not finish\n");
        return 1;
    }
    settle(300);
    save(*dialog, folder, QStringLiteral("evaluation.png"));
    return 0;
}

int run(MainWindow &window, const QString &folder, const QString &corpus, const QString &wav)
{
    QDir().mkpath(folder);
    window.resize(1600, 1000);
    if (!waitFor([&] { return window.isModelLoaded() && !window.displayedScore().notes.empty(); }, 120)) {
        std::fprintf(stderr, "screenshots: the bundled model and seed did not open\n");
        return 1;
    }
    settle(500);
    save(window, folder, QStringLiteral("first-run.png"));

    window.generate();
    if (!waitFor([&] { return window.variationCount() > 0 && !window.isGenerating(); }, 120)) {
        std::fprintf(stderr, "screenshots: the generation did not finish\n");
        return 1;
    }
    settle(1500); // the insight analysis and its marks on the roll
    save(window, folder, QStringLiteral("generated-1600.png"));
    if (!wav.isEmpty()) { // the first-run proof: Generate, then Export WAV
        if (!window.exportWav(wav) || !waitFor([&] { return !window.isRendering(); }, 120)) {
            std::fprintf(stderr, "screenshots: the WAV export did not finish\n");
            return 1;
        }
        std::fprintf(stderr, "wrote %s\n", qPrintable(wav));
    }
    window.resize(1280, 800);
    settle(300);
    window.pianoRoll()->fitToWindow();
    settle(300);
    save(window, folder, QStringLiteral("generated-1280.png"));

    Q_EMIT window.trainRequested();
    TrainDialog *dialog = window.trainDialog();
    if (!dialog)
        return 1;
    dialog->resize(1180, 760);
    TrainingRunOptions options = dialog->runOptions();
    options.corpus = corpus.toStdString();
    options.preset = "tiny";
    options.train.epochs = 6;
    options.train.stepsPerEpoch = 20;
    options.train.sequenceLength = 64;
    // A fresh folder, so the dialog has no earlier model to ask about replacing.
    QTemporaryDir models;
    options.out = models.filePath(QStringLiteral("screenshot.ckpt")).toStdString();
    dialog->setRunOptions(options);
    dialog->setCorpusFolder(corpus);
    dialog->scan();
    waitFor([&] { return !dialog->isScanning(); }, 120);
    int epochs = 0;
    QObject::connect(dialog, &TrainDialog::epochFinished, dialog, [&](int epoch) { epochs = epoch; });
    dialog->train();
    if (!waitFor([&] { return epochs >= 2; }, 300)) {
        std::fprintf(stderr, "screenshots: training did not reach its second epoch\n");
        return 1;
    }
    settle(300);
    save(*dialog, folder, QStringLiteral("training.png"));
    dialog->cancel();
    waitFor([&] { return !dialog->isTraining(); }, 60);
    dialog->close();
    return evaluationScreenshot(window, folder, corpus);
}

} // namespace

void takeScreenshots(MainWindow &window, const QString &folder, const QString &corpus, const QString &wav)
{
    QApplication::exit(run(window, folder, corpus, wav));
}

} // namespace continuo::ui
