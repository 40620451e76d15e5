// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/document/scoredocument.h"

#include "generate/generator.h"
#include "generate/seed.h"

#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>

namespace continuo::ui {

/// Undoable choice of what is shown (the seed file or a variation).
class ChooseRowCommand : public QUndoCommand
{
public:
    ChooseRowCommand(ScoreDocument *document, int before, int after)
        : QUndoCommand(ScoreDocument::tr("Choose Variation"))
        , m_document(document)
        , m_before(before)
        , m_after(after)
    { }
    void undo() override { m_document->show(m_before); }
    void redo() override { m_document->show(m_after); }

private:
    ScoreDocument *m_document;
    int m_before, m_after;
};

/// Undoable edit of the selection on what was shown at the time.
class SelectionCommand : public QUndoCommand
{
public:
    SelectionCommand(ScoreDocument *document, int variation, TickRange before, TickRange after)
        : QUndoCommand(ScoreDocument::tr("Select"))
        , m_document(document)
        , m_variation(variation)
        , m_before(before)
        , m_after(after)
    { }
    void undo() override { apply(m_before); }
    void redo() override { apply(m_after); }

private:
    void apply(TickRange range)
    {
        if (m_document->m_current != m_variation)
            m_document->show(m_variation);
        if (m_variation < 0)
            m_document->m_seedSelection = range;
        Q_EMIT m_document->selectionRestored(range);
    }
    ScoreDocument *m_document;
    int m_variation;
    TickRange m_before, m_after;
};

/// A fill, undoable: the rows before it and after it. Pushed when it is done, so its first redo
/// changes nothing.
class RowsCommand : public QUndoCommand
{
public:
    RowsCommand(ScoreDocument *document, ScoreDocument::Rows before, ScoreDocument::Rows after)
        : QUndoCommand(ScoreDocument::tr("Regenerate Selection"))
        , m_document(document)
        , m_before(std::move(before))
        , m_after(std::move(after))
    { }
    void undo() override { m_document->restore(m_before); }
    void redo() override
    {
        if (m_pushed)
            m_document->restore(m_after);
        m_pushed = true;
    }

private:
    ScoreDocument *m_document;
    ScoreDocument::Rows m_before, m_after;
    bool m_pushed = false;
};

TickRange defaultSeedRange(const Score &score)
{
    const std::vector<std::int64_t> bars = barStartTicks(score, score.endTick);
    if (bars.size() > 5 && bars[4] < score.endTick)
        return { 0, bars[4] };
    return { 0, score.endTick };
}

ScoreDocument::ScoreDocument(QObject *parent) : QObject(parent), m_undo(new QUndoStack(this)) { }

void ScoreDocument::setSeedFile(Score score, const QString &title, TickRange seed)
{
    m_seedFile = std::move(score);
    m_seedTitle = title;
    m_seedSelection = seed.isEmpty() ? defaultSeedRange(m_seedFile) : seed;
    m_variations.clear();
    m_undo->clear();
    Q_EMIT rowsChanged();
    show(-1);
    Q_EMIT seedFileChanged(title);
}

Score ScoreDocument::seedToGenerateFrom() const
{
    if (m_current >= 0 && !m_variations.empty())
        return seedFromRange(m_variations[std::size_t(m_current)], 0, m_seedEndTick);
    const TickRange range = m_seedSelection.isEmpty() ? defaultSeedRange(m_seedFile) : m_seedSelection;
    return seedFromRange(m_seedFile, range.startTick, range.endTick);
}

void ScoreDocument::beginGeneration(const Score &seed, int count)
{
    m_variations.assign(std::size_t(count), generationScore(seed, {}));
    m_seedEndTick = seed.endTick;
    m_undo->clear();
    Q_EMIT rowsChanged();
    show(0);
}

void ScoreDocument::appendStreamed(std::vector<std::pair<int, Note>> notes)
{
    bool shownGrew = false;
    for (auto &[variation, note] : notes) {
        if (variation < 0 || variation >= variationCount())
            continue;
        Score &score = m_variations[std::size_t(variation)];
        note.part = kContinuationPart;
        score.notes.push_back(note);
        score.endTick = std::max(score.endTick, note.endTick);
        shownGrew |= variation == m_current;
    }
    for (Score &score : m_variations)
        std::sort(score.notes.begin(), score.notes.end(), noteOrder);
    if (shownGrew) {
        m_displayed = m_variations[std::size_t(m_current)];
        Q_EMIT displayedGrew();
    }
}

void ScoreDocument::finishGeneration(std::vector<Score> variations, std::int64_t seedEndTick)
{
    const int shown = std::max(0, m_current);
    m_variations = std::move(variations);
    m_seedEndTick = seedEndTick;
    Q_EMIT rowsChanged();
    if (!m_variations.empty())
        show(std::min(shown, variationCount() - 1));
}

void ScoreDocument::beginFill(const Score &base, int count, std::int64_t seedEndTick)
{
    m_beforeFill = { m_variations, m_seedEndTick, m_current };
    m_variations.assign(std::size_t(count), base);
    m_seedEndTick = seedEndTick;
    Q_EMIT rowsChanged();
    show(0);
}

void ScoreDocument::finishFill(std::vector<Score> variations)
{
    const int shown = std::max(0, m_current);
    m_variations = std::move(variations);
    Q_EMIT rowsChanged();
    if (!m_variations.empty())
        show(std::min(shown, variationCount() - 1));
    m_undo->push(new RowsCommand(this, std::move(m_beforeFill), { m_variations, m_seedEndTick, m_current }));
    m_beforeFill = {};
}

void ScoreDocument::abandonFill()
{
    restore(m_beforeFill);
    m_beforeFill = {};
}

void ScoreDocument::restore(const Rows &rows)
{
    m_variations = rows.variations;
    m_seedEndTick = rows.seedEndTick;
    Q_EMIT rowsChanged();
    show(rows.current < variationCount() ? rows.current : -1);
}

void ScoreDocument::choose(int variation)
{
    if (variation == m_current || variation < -1 || variation >= variationCount())
        return;
    m_undo->push(new ChooseRowCommand(this, m_current, variation));
}

void ScoreDocument::editSelection(TickRange before, TickRange after)
{
    if (m_current < 0)
        m_seedSelection = after;
    m_undo->push(new SelectionCommand(this, m_current, before, after));
}

void ScoreDocument::show(int variation)
{
    const bool wasSeedFile = m_current < 0;
    m_current = variation;
    m_displayed = variation < 0 ? m_seedFile : m_variations[std::size_t(variation)];
    Q_EMIT shownChanged(variation, wasSeedFile);
}

} // namespace continuo::ui
