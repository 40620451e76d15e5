// SPDX-License-Identifier: GPL-3.0-or-later
// The Generate panel: model picker, length and sampling controls, constraints, variations list.
#pragma once

#include "generate/fill.h"
#include "generate/generator.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QLayout;
class QSettings;
class QSlider;
class QSpinBox;

namespace continuo::ui {

/// The controls of a generation, laid out in groups, plus the Generate / Stop / Continue buttons,
/// Regenerate Selection with what it keeps,
/// and the list of variations. Holds no engine objects: the main window reads settings() and
/// reacts to the signals. GUI thread only.
class GeneratePanel : public QWidget
{
    Q_OBJECT
public:
    explicit GeneratePanel(QWidget *parent = nullptr);

    /// The settings as entered (without modelName). @throws GenerationError with one sentence for
    /// a key, range or value the engine refuses.
    GenerationSettings settings() const;
    /// What Regenerate Selection keeps of the selection: nothing, the melody (notes at or above the
    /// split pitch), the accompaniment (below it) or the top voice. @throws GenerationError for a
    /// split pitch that is no note name.
    KeepChoice keepChoice() const;
    /// Shows `settings` in the controls (the model is chosen separately).
    void applySettings(const GenerationSettings &settings);

    /// Model choices: every path is listed once, as "name (architecture, representation)"; the
    /// current one is what generation uses.
    void addModel(const QString &path, bool makeCurrent);
    /// "default-notes (LSTM, notes)", or the name alone when the file is no readable model.
    static QString modelLabel(const QString &path);
    QString currentModel() const;
    QStringList models() const;
    /// The model to blend with (one of the listed models); empty: none.
    QString blendModel() const;
    void setBlendModel(const QString &path);
    /// What the panel says about the current model ("notes, 12 345 parameters" or a problem).
    void setModelInfo(const QString &text);

    void setGenerating(bool generating);
    /// Enables Generate (and Continue) and says why not in its tooltip when disabled.
    void setCanGenerate(bool canGenerate, const QString &whyNot = {});
    void setCanContinue(bool canContinue);
    /// Enables Regenerate Selection (a model that can fill, and a selection on the roll).
    void setCanRegenerate(bool canRegenerate, const QString &whyNot = {});

    /// The variations list: "Seed file" (row 0, when `hasSource`) then "Variation 1..count".
    void setVariationCount(int count, bool hasSource);
    void setCurrentVariationRow(int row);

    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

    QListWidget *variationList() const { return m_variations; }
    QPushButton *generateButton() const { return m_generate; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *regenerateButton() const { return m_regenerate; }
    QComboBox *keepBox() const { return m_keep; }

Q_SIGNALS:
    void generateRequested();
    void stopRequested();
    void continueRequested();
    void regenerateRequested();
    void openModelRequested();
    void modelChanged(const QString &path);
    /// The user clicked a row of the variations list (not emitted by setCurrentVariationRow).
    void variationClicked(int row);

private:
    QWidget *createModelGroup();
    QLayout *createBlendRows();
    QWidget *createLengthGroup();
    QWidget *createConstraintsGroup();
    QWidget *createActionsGroup();
    QLayout *createRegenerateRow();

    QComboBox *m_model = nullptr;
    QComboBox *m_blend = nullptr;
    QSlider *m_blendWeight = nullptr;
    QComboBox *m_blendHeads = nullptr;
    QLabel *m_modelInfo = nullptr;
    QDoubleSpinBox *m_length = nullptr;
    QComboBox *m_unit = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_topK = nullptr;
    QDoubleSpinBox *m_topP = nullptr;
    QDoubleSpinBox *m_stayClose = nullptr;
    QDoubleSpinBox *m_followSeed = nullptr;
    QDoubleSpinBox *m_holdRegister = nullptr;
    QDoubleSpinBox *m_holdKey = nullptr;
    QDoubleSpinBox *m_holdRhythm = nullptr;
    QSpinBox *m_variationCount = nullptr;
    QSpinBox *m_rngSeed = nullptr;
    QComboBox *m_scale = nullptr;
    QLineEdit *m_lowest = nullptr;
    QLineEdit *m_highest = nullptr;
    QSpinBox *m_polyphony = nullptr;
    QPushButton *m_generate = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_continue = nullptr;
    QPushButton *m_regenerate = nullptr;
    QComboBox *m_keep = nullptr;
    QLineEdit *m_split = nullptr;
    QListWidget *m_variations = nullptr;
    bool m_canGenerate = false;
    bool m_canContinue = false;
    bool m_canRegenerate = false;
    bool m_generating = false;
};

} // namespace continuo::ui
