// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's document: the seed file and its seed, variations streamed in and finished, what
// is shown, and the undo of those choices.
#include "ui/document/scoredocument.h"

#include "generate/generator.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

using namespace continuo;
using namespace continuo::ui;

namespace {

constexpr int kTpq = 480;
constexpr std::int64_t kBar = 4 * kTpq;

/// `bars` bars of 4/4 quarter notes climbing from middle C.
Score climb(int bars)
{
    Score score;
    score.division.ticksPerQuarter = kTpq;
    score.parts.resize(1);
    for (int beat = 0; beat < 4 * bars; ++beat) {
        Note note;
        note.pitch = 60 + beat % 12;
        note.velocity = 80;
        note.startTick = beat * kTpq;
        note.endTick = note.startTick + kTpq;
        score.notes.push_back(note);
    }
    score.endTick = bars * kBar;
    score.updateSeconds();
    return score;
}

Note noteAt(int pitch, std::int64_t tick)
{
    Note note;
    note.pitch = pitch;
    note.velocity = 70;
    note.startTick = tick;
    note.endTick = tick + kTpq;
    return note;
}

} // namespace

class TestScoreDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aSeedFileIsShownWithItsFirstFourBarsAsTheSeed()
    {
        ScoreDocument document;
        QSignalSpy shown(&document, &ScoreDocument::shownChanged);
        document.setSeedFile(climb(8), QStringLiteral("climb.mid"));
        QCOMPARE(document.current(), -1);
        QCOMPARE(document.seedSelection(), (TickRange { 0, 4 * kBar }));
        QCOMPARE(document.displayed().notes, climb(8).notes);
        QCOMPARE(shown.count(), 1);
        QVERIFY(document.hasSeed());
        QCOMPARE(int(document.seedToGenerateFrom().notes.size()), 16);
        // A short file is its own seed.
        document.setSeedFile(climb(2), QStringLiteral("short.mid"));
        QCOMPARE(document.seedSelection(), (TickRange { 0, 2 * kBar }));
    }

    void streamedNotesGoToTheirVariationInOrder()
    {
        ScoreDocument document;
        document.setSeedFile(climb(8), QStringLiteral("climb.mid"));
        const Score seed = document.seedToGenerateFrom();
        document.beginGeneration(seed, 2);
        QCOMPARE(document.variationCount(), 2);
        QCOMPARE(document.current(), 0);
        QCOMPARE(document.seedEndTick(), seed.endTick);
        QCOMPARE(document.undoStack()->count(), 0);

        QSignalSpy grew(&document, &ScoreDocument::displayedGrew);
        document.appendStreamed({ { 1, noteAt(70, 4 * kBar) } }); // not the shown variation
        QCOMPARE(grew.count(), 0);
        document.appendStreamed({ { 0, noteAt(72, 4 * kBar + kTpq) },
                                  { 0, noteAt(71, 4 * kBar) },
                                  { 5, noteAt(50, 0) } }); // variation 5 does not exist
        QCOMPARE(grew.count(), 1);
        const std::vector<Note> &notes = document.displayed().notes;
        QCOMPARE(int(notes.size()), 18);
        QCOMPARE(notes[16].pitch, 71); // sorted by onset
        QCOMPARE(notes[17].pitch, 72);
        QCOMPARE(notes[17].part, kContinuationPart);
        QCOMPARE(document.displayed().endTick, 4 * kBar + 2 * kTpq);
        QCOMPARE(int(document.variation(1).notes.size()), 17);
    }

    void choosingAndSelectingAreUndone()
    {
        ScoreDocument document;
        document.setSeedFile(climb(8), QStringLiteral("climb.mid"));
        const Score seed = document.seedToGenerateFrom();
        document.beginGeneration(seed, 3);
        std::vector<Score> variations;
        for (int v = 0; v < 3; ++v)
            variations.push_back(generationScore(seed, { noteAt(60 + v, 4 * kBar) }));
        document.finishGeneration(variations, seed.endTick);
        QCOMPARE(document.current(), 0);

        document.choose(2);
        QCOMPARE(document.current(), 2);
        QCOMPARE(document.displayed().notes, variations[2].notes);
        document.choose(2); // already shown: no undo step
        QCOMPARE(document.undoStack()->count(), 1);
        document.choose(7); // no such variation
        QCOMPARE(document.undoStack()->count(), 1);

        // A selection edited on variation 2, then the seed file shown: undoing the selection shows
        // variation 2 again and puts the selection back.
        QSignalSpy restored(&document, &ScoreDocument::selectionRestored);
        document.editSelection({}, { kBar, 2 * kBar });
        document.choose(-1);
        document.undoStack()->undo();
        QCOMPARE(document.current(), 2);
        document.undoStack()->undo();
        QCOMPARE(document.current(), 2);
        QCOMPARE(restored.count(), 2); // done when pushed, then undone
        QCOMPARE(restored.first().at(0).value<TickRange>(), (TickRange { kBar, 2 * kBar }));
        QCOMPARE(restored.last().at(0).value<TickRange>(), TickRange {});
        document.undoStack()->undo();
        QCOMPARE(document.current(), 0);

        // A new generation from the shown variation starts from its seed part.
        document.choose(1);
        QCOMPARE(document.seedToGenerateFrom().notes.size(), seed.notes.size());
        // A selection edited on the seed file is its seed.
        document.choose(-1);
        document.editSelection(document.seedSelection(), { 0, 2 * kBar });
        QCOMPARE(document.seedSelection(), (TickRange { 0, 2 * kBar }));
        QCOMPARE(int(document.seedToGenerateFrom().notes.size()), 8);
        // A new seed file drops the variations and the history.
        document.setSeedFile(climb(4), QStringLiteral("other.mid"));
        QCOMPARE(document.variationCount(), 0);
        QCOMPARE(document.undoStack()->count(), 0);
    }
};

QTEST_MAIN(TestScoreDocument)
#include "tst_scoredocument.moc"
