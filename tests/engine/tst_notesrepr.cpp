// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the notes representation: grid steps, chords, vocabulary, round trips on real files.
#include "core/error.h"
#include "midi/midifiles.h"
#include "repr/notes.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QtTest>

#include <map>

using namespace continuo;
using namespace continuo::notesrepr;

namespace {
using test::quarterNote;
using test::scoreOfNotes;

/// (pitch, onset, duration) in grid units, as a sorted multiset.
using GridNotes = std::vector<std::tuple<int, std::int64_t, std::int64_t>>;

/// What the decoded score must hold: every non-drum note on the grid, rests longer than the
/// largest offset shortened, durations clamped to 1..kMaxDurationUnits, repeats of one pitch at
/// one onset and duration merged.
GridNotes expectedGrid(const Score &score)
{
    const int tpq = score.ticksPerQuarter();
    std::map<std::int64_t, std::int64_t> shifted; // quantized onset -> onset after clamping rests
    for (const Note &n : score.notes)
        if (!n.isDrum())
            shifted[std::llround(double(n.startTick) * 12 / tpq)] = 0;
    std::int64_t previous = shifted.empty() ? 0 : shifted.begin()->first, now = 0;
    for (auto &[onset, mapped] : shifted) {
        now += std::min<std::int64_t>(onset - previous, kMaxOffsetUnits);
        mapped = now;
        previous = onset;
    }
    GridNotes grid;
    for (const Note &n : score.notes) {
        if (n.isDrum())
            continue;
        const std::int64_t onset = std::llround(double(n.startTick) * 12 / tpq);
        const std::int64_t duration = std::clamp<std::int64_t>(
            std::llround(double(n.endTick) * 12 / tpq) - onset, 1, kMaxDurationUnits);
        grid.emplace_back(n.pitch, shifted[onset], duration);
    }
    std::sort(grid.begin(), grid.end());
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    return grid;
}

GridNotes decodedGrid(const Score &decoded)
{
    GridNotes grid;
    for (const Note &n : decoded.notes)
        grid.emplace_back(n.pitch, n.startTick / 40, (n.endTick - n.startTick) / 40);
    std::sort(grid.begin(), grid.end());
    return grid;
}
} // namespace

class TestNotesRepr : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stepsOfASmallPiece()
    {
        // C major triad for a quarter, then D for an eighth a quarter later; a triplet E after it.
        NotesEncodingStats stats;
        const auto steps =
            chordSteps(scoreOfNotes({ quarterNote(60, 0, 1), quarterNote(64, 0, 1), quarterNote(67, 0, 1),
                                      quarterNote(62, 1, 1.5), quarterNote(64, 1.5, 1.5 + 1.0 / 3) }),
                       &stats);
        QCOMPARE(int(steps.size()), 3);
        QCOMPARE(steps[0].pitches, (PitchSet { 60, 64, 67 }));
        QCOMPARE(steps[0].offsetUnits, 0);
        QCOMPARE(steps[0].durationUnits, 12);
        QCOMPARE(steps[1].pitches, (PitchSet { 62 }));
        QCOMPARE(steps[1].offsetUnits, 12);
        QCOMPARE(steps[1].durationUnits, 6);
        QCOMPARE(steps[2].offsetUnits, 6);
        QCOMPARE(steps[2].durationUnits, 4);
        QCOMPARE(stats.notes, std::size_t(5));
        QCOMPARE(pitchSetText(steps[0].pitches), std::string("60.64.67"));
    }

    void chordWithTwoDurationsIsTwoSteps()
    {
        const auto steps =
            chordSteps(scoreOfNotes({ quarterNote(48, 0, 2), quarterNote(64, 0, 1), quarterNote(67, 0, 1),
                                      quarterNote(36, 0, 0.1, 80, kDrumChannel) }));
        QCOMPARE(int(steps.size()), 2);
        QCOMPARE(steps[0].pitches, (PitchSet { 64, 67 })); // shorter first
        QCOMPARE(steps[1].pitches, (PitchSet { 48 }));
        QCOMPARE(steps[1].offsetUnits, 0);
        QCOMPARE(steps[1].durationUnits, 24);
    }

    void longRestsAndNotesAreClampedAndCounted()
    {
        NotesEncodingStats stats;
        const auto steps =
            chordSteps(scoreOfNotes({ quarterNote(60, 0, 20), quarterNote(62, 30, 30.01) }), &stats);
        QCOMPARE(steps[0].durationUnits, kMaxDurationUnits);
        QCOMPARE(steps[1].offsetUnits, kMaxOffsetUnits);
        QCOMPARE(steps[1].durationUnits, 1);
        QCOMPARE(stats.clampedDurations, std::size_t(1));
        QCOMPARE(stats.clampedOffsets, std::size_t(1));
        QCOMPARE(stats.lengthenedNotes, std::size_t(1));
    }

    void vocabularyIsDeterministicAndSurvivesText()
    {
        const std::vector<std::vector<ChordStep>> corpus = {
            { { { 60 }, 0, 12 }, { { 60, 64 }, 12, 12 }, { { 62 }, 12, 12 } },
            { { { 62 }, 0, 12 }, { { 60 }, 12, 12 }, { { 62 }, 12, 12 }, { { 55, 59 }, 12, 12 } }
        };
        const NotesVocabulary vocabulary = NotesVocabulary::build(corpus, 2);
        QCOMPARE(vocabulary.size(), 3); // unknown, 62 (three times), 60 (twice)
        QCOMPARE(vocabulary.tokenOf({ 62 }), 1);
        QCOMPARE(vocabulary.tokenOf({ 60 }), 2);
        QCOMPARE(vocabulary.tokenOf({ 60, 64 }), kUnknownToken);
        QVERIFY(vocabulary.pitchSetOf(kUnknownToken).empty());
        const NotesVocabulary copy = NotesVocabulary::fromPitchSetsText(vocabulary.pitchSetsText());
        QCOMPARE(copy.pitchSetsText(), vocabulary.pitchSetsText());
        QCOMPARE(copy.tokenOf({ 60 }), 2);

        NotesEncodingStats stats;
        const auto tokens = tokenizeNotes(corpus[1], vocabulary, &stats);
        QCOMPARE(tokens[3].pitchSet, kUnknownToken);
        QCOMPARE(stats.unknownNotes, std::size_t(2));
        const Score decoded = decodeNotes(tokens, vocabulary);
        QCOMPARE(int(decoded.notes.size()), 3); // the unknown chord sounds nothing
    }

    void damagedVocabularyTextIsRefused_data()
    {
        QTest::addColumn<QString>("entry");
        for (const char *bad : { "", "60.", "a", "60.60", "64.60", "128", "-1", "1234" })
            QTest::newRow(bad) << bad;
    }
    void damagedVocabularyTextIsRefused()
    {
        QFETCH(QString, entry);
        QVERIFY_THROWS_EXCEPTION(ModelError,
                                 NotesVocabulary::fromPitchSetsText({ "60", entry.toStdString() }));
    }

    void corpusRoundTrip()
    {
        const auto root = test::sharedCorpus("piano-classical");
        if (root.empty())
            QSKIP("the shared piano corpus is absent");
        std::vector<Score> scores;
        std::vector<std::vector<ChordStep>> steps;
        NotesEncodingStats total;
        for (const auto &path : findMidiFiles(root)) {
            scores.push_back(readScoreFile(path));
            NotesEncodingStats stats;
            steps.push_back(chordSteps(scores.back(), &stats));
            total.notes += stats.notes;
            total.clampedOffsets += stats.clampedOffsets;
            total.clampedDurations += stats.clampedDurations;
            total.lengthenedNotes += stats.lengthenedNotes;
        }
        // Every pitch set in the vocabulary: the round trip is exact on the grid.
        const NotesVocabulary full = NotesVocabulary::build(steps, 1);
        for (std::size_t i = 0; i < scores.size(); ++i) {
            const Score decoded = decodeNotes(tokenizeNotes(steps[i], full), full);
            QVERIFY2(decodedGrid(decoded) == expectedGrid(scores[i]), qPrintable(QString("file %1").arg(i)));
        }
        // A training-style vocabulary (minimum count 3): unknown notes are counted and reported.
        const NotesVocabulary trimmed = NotesVocabulary::build(steps, 3);
        NotesEncodingStats unknown;
        std::size_t stepCount = 0;
        for (const auto &file : steps) {
            tokenizeNotes(file, trimmed, &unknown);
            stepCount += file.size();
        }
        qInfo("notes round trip: %zu notes in %zu steps; vocabulary %d pitch sets (all) / %d (min count 3), "
              "%zu notes unknown with min count 3 (%.2f%%); %zu rests, %zu durations clamped, %zu lengthened",
              total.notes, stepCount, full.size() - 1, trimmed.size() - 1, unknown.unknownNotes,
              100.0 * double(unknown.unknownNotes) / double(total.notes), total.clampedOffsets,
              total.clampedDurations, total.lengthenedNotes);
        QVERIFY(unknown.unknownNotes > 0 && unknown.unknownNotes < total.notes / 10);
    }
};

QTEST_APPLESS_MAIN(TestNotesRepr)
#include "tst_notesrepr.moc"
