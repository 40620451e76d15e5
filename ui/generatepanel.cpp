// SPDX-License-Identifier: GPL-3.0-or-later
// The Generate panel: form groups for the model, length and sampling, constraints; buttons; variations.
#include "ui/generatepanel.h"

#include "core/error.h"
#include "generate/pitchconstraints.h"
#include "nn/model.h"
#include "ui/theme.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuo::ui {

namespace {

/// The engine's scales, for the scale box.
QStringList scaleChoices()
{
    QStringList choices;
    for (const std::string &scale : continuo::scaleChoices())
        choices << QString::fromStdString(scale);
    return choices;
}

QGroupBox *group(const QString &title, QLayout *layout)
{
    auto *box = new QGroupBox(title);
    box->setLayout(layout);
    return box;
}

/// A strength from 0 ("off") to `highest`, starting at `value`; `tip` begins with its name and a colon
/// ("Hold the rhythm: ..."), which is also its accessible name, as it shares its row with another.
QDoubleSpinBox *strengthBox(const char *name, double highest, double step, double value, const QString &tip)
{
    auto *box = new QDoubleSpinBox;
    box->setObjectName(QLatin1String(name));
    box->setAccessibleName(tip.section(QLatin1Char(':'), 0, 0));
    box->setRange(0.0, highest);
    box->setSingleStep(step);
    box->setValue(value);
    box->setSpecialValueText(GeneratePanel::tr("off"));
    box->setToolTip(tip);
    return box;
}

/// Two controls sharing one row of a form, half its width each.
QHBoxLayout *sideBySide(QWidget *first, QWidget *second)
{
    auto *row = new QHBoxLayout;
    row->addWidget(first, 1);
    row->addWidget(second, 1);
    return row;
}

QFormLayout *formLayout()
{
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return form;
}

} // namespace

GeneratePanel::GeneratePanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 8);
    layout->setSpacing(6);
    layout->addWidget(createModelGroup());
    layout->addWidget(createLengthGroup());
    layout->addWidget(createConstraintsGroup());
    layout->addWidget(createActionsGroup());
    auto *variations = new QVBoxLayout;
    m_variations = new QListWidget;
    m_variations->setObjectName(QStringLiteral("variations"));
    m_variations->setMinimumHeight(64);
    variations->addWidget(m_variations);
    layout->addWidget(group(tr("Variations"), variations), 1);
    connect(m_variations, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { Q_EMIT variationClicked(m_variations->row(item)); });
    setCanGenerate(false);
}

QWidget *GeneratePanel::createModelGroup()
{
    m_model = new QComboBox;
    m_model->setObjectName(QStringLiteral("model"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setMinimumContentsLength(12);
    m_model->setPlaceholderText(tr("No model"));
    auto *open = new QToolButton;
    open->setText(tr("Open\u2026"));
    open->setToolTip(tr("Add a model file (.ckpt) to the list"));
    connect(open, &QToolButton::clicked, this, &GeneratePanel::openModelRequested);
    auto *row = new QHBoxLayout;
    row->addWidget(m_model, 1);
    row->addWidget(open);
    m_modelInfo = new QLabel(tr("Train a model or open one."));
    m_modelInfo->setObjectName(QStringLiteral("modelInfo"));
    m_modelInfo->setForegroundRole(QPalette::PlaceholderText);
    auto *column = new QVBoxLayout;
    column->addLayout(row);
    column->addWidget(m_modelInfo);
    connect(m_model, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT modelChanged(currentModel()); });
    column->addLayout(createBlendRows());
    return group(tr("Model"), column);
}

QLayout *GeneratePanel::createBlendRows()
{
    m_blend = new QComboBox;
    m_blend->setObjectName(QStringLiteral("blend"));
    m_blend->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_blend->setMinimumContentsLength(12);
    m_blend->addItem(tr("nothing"), QString());
    m_blend->setToolTip(tr("Sample a second model together with the first, to mix two styles: it must read "
                           "music as the first does (one fine-tuned from it, for example)"));
    m_blendWeight = new QSlider(Qt::Horizontal);
    m_blendWeight->setObjectName(QStringLiteral("blendWeight"));
    m_blendWeight->setRange(0, 100);
    m_blendWeight->setValue(int(std::lround(GenerationSettings().blendWeight * 100)));
    m_blendWeight->setToolTip(tr("From the first model alone (left) to the second alone (right)"));
    m_blendHeads = new QComboBox;
    m_blendHeads->setObjectName(QStringLiteral("blendHeads"));
    m_blendHeads->addItem(tr("everything"), int(BlendHeads::All));
    m_blendHeads->addItem(tr("pitch only"), int(BlendHeads::Pitch));
    m_blendHeads->addItem(tr("timing only"), int(BlendHeads::Timing));
    m_blendHeads->setToolTip(tr("What the blend mixes; the rest is the first model's"));
    const auto enable = [this] {
        const bool blending = !blendModel().isEmpty();
        m_blendWeight->setEnabled(blending);
        m_blendHeads->setEnabled(blending);
    };
    connect(m_blend, &QComboBox::currentIndexChanged, this, enable);
    enable();
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Blend with")));
    row->addWidget(m_blend, 2);
    row->addWidget(m_blendWeight, 1);
    row->addWidget(m_blendHeads);
    return row;
}

QWidget *GeneratePanel::createLengthGroup()
{
    auto *form = formLayout();
    m_length = new QDoubleSpinBox;
    m_length->setRange(1, 10000);
    m_length->setDecimals(0);
    m_length->setValue(32);
    m_unit = new QComboBox;
    m_unit->addItem(tr("notes"), int(LengthUnit::Notes));
    m_unit->addItem(tr("bars"), int(LengthUnit::Bars));
    m_unit->addItem(tr("seconds"), int(LengthUnit::Seconds));
    auto *row = new QHBoxLayout;
    row->addWidget(m_length, 1);
    row->addWidget(m_unit, 1);
    form->addRow(tr("Length"), row);

    m_temperature = new QDoubleSpinBox;
    m_temperature->setRange(0.05, 3.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setValue(1.0);
    m_temperature->setToolTip(tr("Temperature: lower is safer, higher more surprising"));
    form->addRow(tr("Diversity"), m_temperature);
    m_topK = new QSpinBox;
    m_topK->setRange(0, 500);
    m_topK->setSpecialValueText(tr("off"));
    m_topK->setToolTip(tr("Top-k: draw only from the k likeliest choices (0: off)"));
    m_topP = new QDoubleSpinBox;
    m_topP->setRange(0.05, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setValue(1.0);
    m_topP->setToolTip(tr("Top-p: draw only from the likeliest choices that together reach p (1: off)"));
    form->addRow(tr("Top-k, top-p"), sideBySide(m_topK, m_topP));
    m_stayClose =
        strengthBox("stayClose", 1.0, 0.25, GenerationSettings().stayClose,
                    tr("Stay close to the seed: how much the seed's own figures and motifs come back: "
                       "what followed the same passage earlier in the piece is mixed into each choice "
                       "(0: off, 1: as much as the model learned to trust it)"));
    m_followSeed =
        strengthBox("followSeed", 4.0, 0.5, GenerationSettings().followSeed,
                    tr("Follow the seed: how much more the whole seed counts than the last few notes, "
                       "so that the music keeps the seed's key and register instead of drifting with "
                       "its latest notes (Transformer models; 0: off)"));
    form->addRow(tr("Stay close, follow the seed"), sideBySide(m_stayClose, m_followSeed));
    m_holdRegister =
        strengthBox("holdRegister", 4.0, 0.25, GenerationSettings().holdRegister,
                    tr("Hold the register: how firmly new notes keep the seed's register: each "
                       "semitone beyond its lowest and highest notes makes a note less likely (until "
                       "the music has been there), notes toward them that the music has not reached "
                       "yet more likely, and music that drifts above or below its centre is drawn "
                       "back (compound models; 0: off)"));
    m_holdKey = strengthBox("holdKey", 4.0, 0.5, GenerationSettings().holdKey,
                            tr("Hold the key: how firmly new notes keep the seed's pitch classes, each "
                               "about as often as the seed plays it (its rarer ones a little more): a "
                               "note the music has played more often becomes less likely, one it has "
                               "played less more likely (compound models; 0: off)"));
    m_holdRhythm = strengthBox("holdRhythm", 4.0, 0.5, GenerationSettings().holdRhythm,
                               tr("Hold the rhythm: how firmly new notes keep the seed's rhythm: the "
                                  "steps it takes between notes are likelier, and ahead of its notes per "
                                  "beat longer steps are, behind them shorter ones (compound models; "
                                  "0: off)"));
    auto *holds = sideBySide(m_holdRegister, m_holdKey);
    holds->addWidget(m_holdRhythm, 1);
    form->addRow(tr("Hold the register, key, rhythm"), holds);
    m_variationCount = new QSpinBox;
    m_variationCount->setRange(1, 8);
    m_variationCount->setValue(3);
    form->addRow(tr("Variations"), m_variationCount);
    m_rngSeed = new QSpinBox;
    m_rngSeed->setRange(0, std::numeric_limits<int>::max());
    m_rngSeed->setValue(1);
    m_rngSeed->setToolTip(tr("The same seed and settings give the same music"));
    auto *dice = new QToolButton;
    dice->setIcon(symbolIcon(Symbol::Dice));
    dice->setToolTip(tr("New random seed"));
    connect(dice, &QToolButton::clicked, this,
            [this] { m_rngSeed->setValue(int(QRandomGenerator::global()->bounded(1, 1000000))); });
    auto *seedRow = new QHBoxLayout;
    seedRow->addWidget(m_rngSeed, 1);
    seedRow->addWidget(dice);
    form->addRow(tr("Random seed"), seedRow);
    return group(tr("Length and sampling"), form);
}

QWidget *GeneratePanel::createConstraintsGroup()
{
    auto *form = formLayout();
    m_scale = new QComboBox;
    m_scale->setEditable(true);
    m_scale->addItems(scaleChoices());
    m_scale->setInsertPolicy(QComboBox::NoInsert);
    m_scale->setToolTip(tr("A scale by name, or your own pitch classes, e.g. \"C D Eb G A\""));
    form->addRow(tr("Key / scale"), m_scale);
    const QRegularExpression noteName(QStringLiteral("[A-Ga-g][#b]?-?[0-9]"));
    m_lowest = new QLineEdit(QStringLiteral("A0"));
    m_highest = new QLineEdit(QStringLiteral("C8"));
    for (QLineEdit *edit : { m_lowest, m_highest }) {
        edit->setValidator(new QRegularExpressionValidator(noteName, edit));
        edit->setMaximumWidth(70);
    }
    auto *range = new QHBoxLayout;
    range->addWidget(m_lowest);
    range->addWidget(new QLabel(tr("to")));
    range->addWidget(m_highest);
    range->addStretch();
    form->addRow(tr("Range"), range);
    m_polyphony = new QSpinBox;
    m_polyphony->setRange(0, 16);
    m_polyphony->setSpecialValueText(tr("no limit"));
    form->addRow(tr("Max polyphony"), m_polyphony);
    return group(tr("Constraints"), form);
}

QWidget *GeneratePanel::createActionsGroup()
{
    m_generate = new QPushButton(tr("Generate"));
    m_generate->setObjectName(QStringLiteral("generate"));
    m_generate->setDefault(true);
    m_stop = new QPushButton(tr("Stop"));
    m_continue = new QPushButton(tr("Continue from here"));
    m_continue->setToolTip(tr("Use the result up to the playhead (or the selection's end) as the new seed"));
    connect(m_generate, &QPushButton::clicked, this, &GeneratePanel::generateRequested);
    connect(m_stop, &QPushButton::clicked, this, &GeneratePanel::stopRequested);
    connect(m_continue, &QPushButton::clicked, this, &GeneratePanel::continueRequested);
    auto *widget = new QWidget;
    auto *layout = new QHBoxLayout(widget);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_generate, 2);
    layout->addWidget(m_stop, 1);
    auto *column = new QWidget;
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(widget);
    QLayout *row = createRegenerateRow();
    static_cast<QHBoxLayout *>(row)->insertWidget(0, m_continue, 1);
    columnLayout->addLayout(row);
    return column;
}

QLayout *GeneratePanel::createRegenerateRow()
{
    m_regenerate = new QPushButton(tr("Regenerate"));
    m_regenerate->setObjectName(QStringLiteral("regenerate"));
    connect(m_regenerate, &QPushButton::clicked, this, &GeneratePanel::regenerateRequested);
    m_keep = new QComboBox;
    m_keep->setObjectName(QStringLiteral("keep"));
    m_keep->addItem(tr("keep nothing"), int(KeepRule::Nothing));
    m_keep->addItem(tr("keep melody"), int(KeepRule::Above));
    m_keep->addItem(tr("keep accomp."), int(KeepRule::Below));
    m_keep->addItem(tr("keep top voice"), int(KeepRule::TopVoice));
    m_keep->setToolTip(tr("What Regenerate keeps of the selection: the melody is every note at or above the "
                          "split, the accompaniment every note below it"));
    m_split = new QLineEdit(QStringLiteral("C4"));
    m_split->setObjectName(QStringLiteral("split"));
    m_split->setMaximumWidth(40);
    m_split->setToolTip(tr("The split between melody and accompaniment (C4 is middle C)"));
    const auto updateSplit = [this] {
        const auto rule = KeepRule(m_keep->currentData().toInt());
        m_split->setEnabled(rule == KeepRule::Above || rule == KeepRule::Below);
    };
    connect(m_keep, &QComboBox::currentIndexChanged, this, updateSplit);
    updateSplit();
    auto *row = new QHBoxLayout;
    row->addWidget(m_regenerate);
    row->addWidget(m_keep);
    row->addWidget(m_split);
    return row;
}

KeepChoice GeneratePanel::keepChoice() const
{
    KeepChoice keep;
    keep.rule = KeepRule(m_keep->currentData().toInt());
    if (keep.rule == KeepRule::Above || keep.rule == KeepRule::Below)
        keep.pitch = parseNoteName(m_split->text().trimmed().toStdString());
    return keep;
}

GenerationSettings GeneratePanel::settings() const
{
    GenerationSettings s;
    s.length = m_length->value();
    s.unit = LengthUnit(m_unit->currentData().toInt());
    s.sampling.temperature = m_temperature->value();
    s.sampling.topK = m_topK->value();
    s.sampling.topP = m_topP->value();
    s.stayClose = m_stayClose->value();
    s.followSeed = m_followSeed->value();
    s.holdRegister = m_holdRegister->value();
    s.holdKey = m_holdKey->value();
    s.holdRhythm = m_holdRhythm->value();
    s.blendWeight = m_blendWeight->value() / 100.0;
    s.blendHeads = BlendHeads(m_blendHeads->currentData().toInt());
    if (!blendModel().isEmpty())
        s.blendModelName = QFileInfo(blendModel()).fileName().toStdString();
    s.variations = m_variationCount->value();
    s.rngSeed = std::uint64_t(m_rngSeed->value());
    s.constraints.setScale(m_scale->currentText().trimmed().toStdString());
    s.constraints.setRange(
        (m_lowest->text().trimmed() + QLatin1Char('-') + m_highest->text().trimmed()).toStdString());
    s.constraints.maxPolyphony = m_polyphony->value();
    s.validate();
    return s;
}

void GeneratePanel::applySettings(const GenerationSettings &s)
{
    m_length->setValue(s.length);
    m_unit->setCurrentIndex(std::max(0, m_unit->findData(int(s.unit))));
    m_temperature->setValue(s.sampling.temperature);
    m_topK->setValue(s.sampling.topK);
    m_topP->setValue(s.sampling.topP);
    m_stayClose->setValue(s.stayClose);
    m_followSeed->setValue(s.followSeed);
    m_holdRegister->setValue(s.holdRegister);
    m_holdKey->setValue(s.holdKey);
    m_holdRhythm->setValue(s.holdRhythm);
    m_blendWeight->setValue(int(std::lround(s.blendWeight * 100)));
    m_blendHeads->setCurrentIndex(std::max(0, m_blendHeads->findData(int(s.blendHeads))));
    m_variationCount->setValue(s.variations);
    m_rngSeed->setValue(int(s.rngSeed));
    m_scale->setCurrentText(QString::fromStdString(s.constraints.scaleName));
    m_lowest->setText(QString::fromStdString(noteName(s.constraints.lowest)));
    m_highest->setText(QString::fromStdString(noteName(s.constraints.highest)));
    m_polyphony->setValue(s.constraints.maxPolyphony);
}

QString GeneratePanel::modelLabel(const QString &path)
{
    const QString name = QFileInfo(path).completeBaseName();
    try {
        const ModelSpec spec = Model::readSpec(path.toStdString());
        return tr("%1 (%2, %3)")
            .arg(name, QLatin1String(architectureTitle(spec.architecture)),
                 QLatin1String(representationName(spec.representation)));
    } catch (const Error &) {
        return name; // loading it says what is wrong
    }
}

void GeneratePanel::addModel(const QString &path, bool makeCurrent)
{
    int index = m_model->findData(path);
    if (index < 0) {
        m_model->addItem(modelLabel(path), path);
        index = m_model->count() - 1;
        m_model->setItemData(index, path, Qt::ToolTipRole);
    }
    if (m_blend->findData(path) < 0)
        m_blend->addItem(modelLabel(path), path);
    if (makeCurrent)
        m_model->setCurrentIndex(index);
}

QString GeneratePanel::blendModel() const { return m_blend->currentData().toString(); }

void GeneratePanel::setBlendModel(const QString &path)
{
    if (!path.isEmpty() && m_blend->findData(path) < 0)
        m_blend->addItem(modelLabel(path), path);
    m_blend->setCurrentIndex(std::max(0, m_blend->findData(path)));
}

QString GeneratePanel::currentModel() const { return m_model->currentData().toString(); }

QStringList GeneratePanel::models() const
{
    QStringList paths;
    for (int i = 0; i < m_model->count(); ++i)
        paths << m_model->itemData(i).toString();
    return paths;
}

void GeneratePanel::setModelInfo(const QString &text) { m_modelInfo->setText(text); }

void GeneratePanel::setGenerating(bool generating)
{
    m_generating = generating;
    setCanGenerate(m_canGenerate, m_generate->toolTip());
}

void GeneratePanel::setCanGenerate(bool canGenerate, const QString &whyNot)
{
    m_canGenerate = canGenerate;
    m_generate->setEnabled(canGenerate && !m_generating);
    m_generate->setToolTip(canGenerate ? tr("Generate a continuation of the seed (Ctrl+G)") : whyNot);
    m_continue->setEnabled(canGenerate && m_canContinue && !m_generating);
    m_regenerate->setEnabled(canGenerate && m_canRegenerate && !m_generating);
    m_stop->setEnabled(m_generating);
}

void GeneratePanel::setCanRegenerate(bool canRegenerate, const QString &whyNot)
{
    m_canRegenerate = canRegenerate;
    m_regenerate->setToolTip(canRegenerate
                                 ? tr("Write the selected bars anew, from what comes before and after "
                                      "them (Ctrl+Shift+G); with the default model chosen, fill-compound, "
                                      "the default taught to fill gaps, writes them")
                                 : whyNot);
    setCanGenerate(m_canGenerate, m_generate->toolTip());
}

void GeneratePanel::setCanContinue(bool canContinue)
{
    m_canContinue = canContinue;
    setCanGenerate(m_canGenerate, m_generate->toolTip());
}

void GeneratePanel::setVariationCount(int count, bool hasSource)
{
    const QSignalBlocker blocker(m_variations);
    m_variations->clear();
    if (hasSource)
        m_variations->addItem(tr("Seed file"));
    for (int v = 0; v < count; ++v)
        m_variations->addItem(tr("Variation %1").arg(v + 1));
}

void GeneratePanel::setCurrentVariationRow(int row)
{
    const QSignalBlocker blocker(m_variations);
    m_variations->setCurrentRow(row);
}

void GeneratePanel::saveSettings(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("generate"));
    settings.setValue(QStringLiteral("models"), models());
    settings.setValue(QStringLiteral("model"), currentModel());
    settings.setValue(QStringLiteral("length"), m_length->value());
    settings.setValue(QStringLiteral("unit"), m_unit->currentIndex());
    settings.setValue(QStringLiteral("temperature"), m_temperature->value());
    settings.setValue(QStringLiteral("topK"), m_topK->value());
    settings.setValue(QStringLiteral("topP"), m_topP->value());
    settings.setValue(QStringLiteral("stayClose"), m_stayClose->value());
    settings.setValue(QStringLiteral("followSeed"), m_followSeed->value());
    settings.setValue(QStringLiteral("holdRegister"), m_holdRegister->value());
    settings.setValue(QStringLiteral("holdKey"), m_holdKey->value());
    settings.setValue(QStringLiteral("holdRhythm"), m_holdRhythm->value());
    settings.setValue(QStringLiteral("blendModel"), blendModel());
    settings.setValue(QStringLiteral("blendWeight"), m_blendWeight->value());
    settings.setValue(QStringLiteral("blendHeads"), m_blendHeads->currentIndex());
    settings.setValue(QStringLiteral("variations"), m_variationCount->value());
    settings.setValue(QStringLiteral("rngSeed"), m_rngSeed->value());
    settings.setValue(QStringLiteral("scale"), m_scale->currentText());
    settings.setValue(QStringLiteral("keep"), m_keep->currentIndex());
    settings.setValue(QStringLiteral("split"), m_split->text());
    settings.setValue(QStringLiteral("lowest"), m_lowest->text());
    settings.setValue(QStringLiteral("highest"), m_highest->text());
    settings.setValue(QStringLiteral("maxPolyphony"), m_polyphony->value());
    settings.endGroup();
}

void GeneratePanel::restoreSettings(const QSettings &settings)
{
    const auto value = [&settings](const char *key, const QVariant &fallback) {
        return settings.value(QStringLiteral("generate/") + QLatin1String(key), fallback);
    };
    const QStringList paths = value("models", QStringList()).toStringList();
    for (const QString &path : paths)
        if (QFileInfo::exists(path))
            addModel(path, false);
    const QString current = value("model", QString()).toString();
    if (!current.isEmpty() && QFileInfo::exists(current))
        addModel(current, true);
    m_length->setValue(value("length", m_length->value()).toDouble());
    m_unit->setCurrentIndex(value("unit", m_unit->currentIndex()).toInt());
    m_temperature->setValue(value("temperature", m_temperature->value()).toDouble());
    m_topK->setValue(value("topK", m_topK->value()).toInt());
    m_topP->setValue(value("topP", m_topP->value()).toDouble());
    m_stayClose->setValue(value("stayClose", m_stayClose->value()).toDouble());
    m_followSeed->setValue(value("followSeed", m_followSeed->value()).toDouble());
    m_holdRegister->setValue(value("holdRegister", m_holdRegister->value()).toDouble());
    m_holdKey->setValue(value("holdKey", m_holdKey->value()).toDouble());
    m_holdRhythm->setValue(value("holdRhythm", m_holdRhythm->value()).toDouble());
    if (const QString blend = value("blendModel", QString()).toString(); QFileInfo::exists(blend))
        setBlendModel(blend);
    m_blendWeight->setValue(value("blendWeight", m_blendWeight->value()).toInt());
    m_blendHeads->setCurrentIndex(value("blendHeads", m_blendHeads->currentIndex()).toInt());
    m_variationCount->setValue(value("variations", m_variationCount->value()).toInt());
    m_rngSeed->setValue(value("rngSeed", m_rngSeed->value()).toInt());
    m_scale->setCurrentText(value("scale", m_scale->currentText()).toString());
    m_lowest->setText(value("lowest", m_lowest->text()).toString());
    m_highest->setText(value("highest", m_highest->text()).toString());
    m_polyphony->setValue(value("maxPolyphony", m_polyphony->value()).toInt());
    m_keep->setCurrentIndex(value("keep", m_keep->currentIndex()).toInt());
    m_split->setText(value("split", m_split->text()).toString());
}

} // namespace continuo::ui
