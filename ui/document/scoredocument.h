// SPDX-License-Identifier: GPL-3.0-or-later
// The document the main window edits: the seed file, the seed chosen on it, the variations of the
// last generation, which one is shown, and the undo stack of those choices.
#pragma once

#include "score/score.h"
#include "ui/pianoroll/pianorollview.h" // TickRange

#include <QObject>

#include <vector>

class QUndoStack;

namespace continuo::ui {

/// What the student works on. Row -1 is the seed file (opened, recorded or picked from a corpus;
/// the selection on it is the seed); rows 0.. are the variations of the last generation (seed in
/// part kSeedPart, continuation in kContinuationPart). Choosing what is shown and editing the
/// selection are undoable; a new seed file or a new generation clears the undo stack. The views
/// follow its signals. GUI thread only.
class ScoreDocument : public QObject
{
    Q_OBJECT
public:
    explicit ScoreDocument(QObject *parent = nullptr);

    QUndoStack *undoStack() const { return m_undo; }

    /// Replaces the seed file, selects `seed` on it (when empty, its default seed:
    /// defaultSeedRange), drops the variations and the undo history, and shows it.
    void setSeedFile(Score score, const QString &title, TickRange seed = {});
    const Score &seedFile() const { return m_seedFile; }
    bool hasSeedFile() const { return !m_seedFile.notes.empty(); }
    const QString &seedTitle() const { return m_seedTitle; }
    /// The seed range on the seed file (not undoable: the roll's edits go through editSelection).
    TickRange seedSelection() const { return m_seedSelection; }
    void setSeedSelection(TickRange range) { m_seedSelection = range; }
    /// Something to generate from: a seed file or a generation.
    bool hasSeed() const { return hasSeedFile() || !m_variations.empty(); }
    /// The seed a new generation starts from: the seed part of the shown variation, else the
    /// selection on the seed file (its default seed when nothing is selected). @throws Error when
    /// the range holds nothing to use.
    Score seedToGenerateFrom() const;

    /// Starts a generation of `count` variations of `seed`: each is the seed alone until notes
    /// stream in (appendStreamed). Clears the undo history and shows variation 0.
    void beginGeneration(const Score &seed, int count);
    /// Adds streamed continuation notes (variation, note) and keeps each variation in note order;
    /// emits displayedGrew() when the shown one changed.
    void appendStreamed(std::vector<std::pair<int, Note>> notes);
    /// The finished generation; keeps the shown row where it can.
    void finishGeneration(std::vector<Score> variations, std::int64_t seedEndTick);
    /// Starts regenerating a span of what is shown: `base` (the shown score without the notes that
    /// go, in parts kSeedPart and kContinuationPart) becomes `count` variations that streamed notes
    /// go into (appendStreamed); shows variation 0. `seedEndTick` is where their seed ends.
    void beginFill(const Score &base, int count, std::int64_t seedEndTick);
    /// The finished (or stopped) fill, as one undoable step: undo brings back the rows before it.
    void finishFill(std::vector<Score> variations);
    /// The fill failed: the rows before it come back.
    void abandonFill();

    int variationCount() const { return int(m_variations.size()); }
    const Score &variation(int index) const { return m_variations[std::size_t(index)]; }
    std::int64_t seedEndTick() const { return m_seedEndTick; }

    /// -1: the seed file; else the variation shown.
    int current() const { return m_current; }
    /// What is shown: the seed file or the current variation.
    const Score &displayed() const { return m_displayed; }
    /// Shows a row, undoably; nothing when it is shown already or out of range.
    void choose(int variation);
    /// The roll's selection went from `before` to `after` on what is shown: undoable.
    void editSelection(TickRange before, TickRange after);

Q_SIGNALS:
    /// The shown row changed (or its score was replaced): show `displayed()`.
    void shownChanged(int variation, bool wasSeedFile);
    /// Notes streamed into the shown variation.
    void displayedGrew();
    /// Undo or redo put this selection back on what is shown.
    void selectionRestored(TickRange range);
    /// A new seed file, a new generation, or its end: the list of rows changed.
    void rowsChanged();
    /// A new seed file is shown.
    void seedFileChanged(const QString &title);

private:
    friend class ChooseRowCommand;
    friend class SelectionCommand;
    friend class RowsCommand;
    /// The rows and what is shown, as a fill replaces them.
    struct Rows
    {
        std::vector<Score> variations;
        std::int64_t seedEndTick = 0;
        int current = -1;
    };
    void restore(const Rows &rows);
    /// Shows a row without an undo step.
    void show(int variation);

    QUndoStack *m_undo = nullptr;
    Score m_seedFile; ///< the opened file, or the corpus seed, as read
    QString m_seedTitle;
    TickRange m_seedSelection;
    std::vector<Score> m_variations;
    std::int64_t m_seedEndTick = 0;
    int m_current = -1;
    Score m_displayed;
    Rows m_beforeFill; ///< the rows a fill under way replaced
};

/// The first four bars of `score`, or all of it when it is shorter.
TickRange defaultSeedRange(const Score &score);

} // namespace continuo::ui
