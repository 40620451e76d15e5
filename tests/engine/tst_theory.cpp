// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the theory notes: bars and beats, key estimation (constructed and real pieces), notes
// outside the key, chord labels on constructed chords.
#include "analysis/meter.h"
#include "analysis/theory.h"
#include "analysistestutil.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QtTest>

using namespace continuo;

namespace {
/// A scale up and down in eighths, then the tonic triad held for a bar: a passage whose key is plain.
Score cadence(int tonic, bool minor)
{
    // Harmonic minor: its leading tone is what the ear expects at a cadence.
    const std::vector<int> steps =
        minor ? std::vector<int> { 0, 2, 3, 5, 7, 8, 11, 12 } : std::vector<int> { 0, 2, 4, 5, 7, 9, 11, 12 };
    std::vector<test::QNote> notes;
    double at = 0;
    for (const int step : steps) {
        notes.push_back({ 60 + tonic + step, at, 0.5 });
        at += 0.5;
    }
    for (auto it = steps.rbegin() + 1; it != steps.rend(); ++it) {
        notes.push_back({ 60 + tonic + *it, at, 0.5 });
        at += 0.5;
    }
    for (const int step : { 0, minor ? 3 : 4, 7 })
        notes.push_back({ 48 + tonic + step, at, 4 });
    return test::makeScore(notes);
}

std::vector<std::string> names(const std::vector<ChordLabel> &labels)
{
    std::vector<std::string> result;
    for (const ChordLabel &label : labels)
        result.push_back(label.name);
    return result;
}
} // namespace

class TestTheory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void barsFollowTimeSignatures()
    {
        // 3/4 for two bars, then 4/4; a 2/4 that starts in the middle of a 4/4 bar starts a new bar.
        const std::vector<TimeSignature> signatures = { { 0, 3, 4 },
                                                        { 2 * 1440, 4, 4 },
                                                        { 2 * 1440 + 1920 + 960, 2, 4 } };
        QCOMPARE(barAt(signatures, 480, 0).bar, 1);
        QCOMPARE(barAt(signatures, 480, 1439).bar, 1);
        QCOMPARE(barAt(signatures, 480, 1440).bar, 2);
        QCOMPARE(barAt(signatures, 480, 2880).bar, 3);
        QCOMPARE(barAt(signatures, 480, 2880).lengthTicks, std::int64_t(1920));
        QCOMPARE(barAt(signatures, 480, 4800 + 959).bar, 4);
        const BarPosition afterChange = barAt(signatures, 480, 5760 + 100);
        QCOMPARE(afterChange.bar, 5);
        QCOMPARE(afterChange.startTick, std::int64_t(5760));
        QCOMPARE(barAt(signatures, 480, 5760 + 960).bar, 6);
        QCOMPARE(barAt({}, 96, 4 * 96 * 7).bar, 8); // none: 4/4
        QCOMPARE(barAt({ { 0, 6, 8 } }, 480, 0).beatTicks(), std::int64_t(240));
    }

    void namesKeys()
    {
        QCOMPARE((KeyEstimate { 2, true, 1.0 }.name()), std::string("D minor"));
        QCOMPARE((KeyEstimate { 10, false, 1.0 }.name()), std::string("Bb major"));
        QCOMPARE((KeyEstimate { 6, false, 1.0 }.name()), std::string("F# major"));
        QCOMPARE((KeyEstimate { 9, true, 1.0 }.keySignature().sharps), 0);
        QCOMPARE((KeyEstimate { 4, true, 1.0 }.name()), std::string("E minor"));
    }

    void estimatesEveryKeyOfAConstructedCadence()
    {
        for (int tonic = 0; tonic < 12; ++tonic)
            for (const bool minor : { false, true }) {
                const KeyEstimate key = estimateKey(cadence(tonic, minor));
                const std::string expected = KeyEstimate { tonic, minor, 0 }.name();
                QVERIFY2(key.tonic == tonic && key.isMinor == minor,
                         (expected + " estimated as " + key.name()).c_str());
                QVERIFY(key.correlation > 0.7);
            }
        QCOMPARE(estimateKey(Score()).correlation, 0.0);
    }

    void estimatesKnownPieces()
    {
        const auto root = test::sharedCorpus("piano-classical");
        if (root.empty())
            QSKIP("the shared piano corpus is absent");
        const std::pair<const char *, const char *> pieces[] = {
            { "Bach/bach_846.mid", "C major" }, // WTC I, prelude and fugue in C major
            { "Bach/bach_847.mid", "C minor" }, // in C minor
            { "Bach/bach_850.mid", "D major" }, // in D major
            { "Mozart/mz_545_1.mid", "C major" }, // sonata facile
            { "Mozart/mz_570_1.mid", "Bb major" },
        };
        for (const auto &[file, expected] : pieces) {
            const KeyEstimate key = estimateKey(readScoreFile(root / file));
            qInfo("%s: %s (r = %.2f)", file, key.name().c_str(), key.correlation);
            QVERIFY2(key.name() == expected, (std::string(file) + ": " + key.name()).c_str());
        }
        // The first eight bars of the C minor prelude alone.
        const Score prelude = readScoreFile(root / "Bach/bach_847.mid");
        QCOMPARE(estimateKey(prelude, 0, test::barStartTick(prelude, 9)).name(), std::string("C minor"));
    }

    void findsNotesOutsideTheKey()
    {
        // C major scale with an F# and a Bb among its notes.
        const Score score = test::melody({ 60, 62, 64, 66, 67, 69, 70, 72 });
        const KeyEstimate cMajor { 0, false, 1.0 };
        const std::vector<std::size_t> outside = notesOutsideKey(score, cMajor);
        QCOMPARE(outside.size(), std::size_t(2));
        QCOMPARE(score.notes[outside[0]].pitch, 66);
        QCOMPARE(score.notes[outside[1]].pitch, 70);
        // A minor admits G# and F# (melodic and harmonic forms) but not Bb; the range limits the notes.
        const Score minor = test::melody({ 69, 71, 72, 74, 76, 77, 78, 80, 81, 70 });
        const std::vector<std::size_t> outsideMinor = notesOutsideKey(minor, { 9, true, 1.0 });
        QCOMPARE(outsideMinor.size(), std::size_t(1));
        QCOMPARE(minor.notes[outsideMinor[0]].pitch, 70);
        QVERIFY(notesOutsideKey(minor, { 9, true, 1.0 }, 0, 9 * 480).empty());
    }

    void labelsConstructedChords()
    {
        // One chord a beat, in various voicings and inversions; drums are ignored.
        const std::vector<std::vector<int>> chords = {
            { 48, 64, 67, 72 }, // C
            { 57, 60, 64, 69 }, // Am
            { 43, 59, 62, 65 }, // G7
            { 59, 62, 65 }, // Bdim
            { 53, 57, 60, 64 }, // Fmaj7
            { 50, 57, 60, 65 }, // Dm7
            { 59, 62, 65, 69 }, // Bm7b5
            { 61, 64, 67, 70 }, // C#dim7
            { 52, 55, 60 }, // C/E: first inversion of C
        };
        std::vector<test::QNote> notes;
        for (std::size_t beat = 0; beat < chords.size(); ++beat)
            for (const int pitch : chords[beat])
                notes.push_back({ pitch, double(beat), 1.0 });
        Score score = test::makeScore(notes);
        Note drum;
        drum.channel = kDrumChannel;
        drum.pitch = 38;
        drum.endTick = 8 * 480;
        score.notes.push_back(drum);
        score.sortEvents();
        const std::vector<ChordLabel> labels = chordLabels(score);
        const std::vector<std::string> expected = { "C",   "Am",    "G7",     "Bdim", "Fmaj7",
                                                    "Dm7", "Bm7b5", "C#dim7", "C" };
        QCOMPARE(names(labels), expected);
        QCOMPARE(labels[2].root, 7);
        QCOMPARE(labels[2].quality, ChordQuality::Dominant7);
        QCOMPARE(labels[3].startTick, std::int64_t(3 * 480));
        QCOMPARE(labels[3].endTick, std::int64_t(4 * 480));
    }

    void labelsBrokenChordsAndLeavesUnclearBeatsOut()
    {
        std::vector<test::QNote> notes = {
            // Beat 1: an Alberti bass on C (C G E G in sixteenths) under a held E: C.
            { 48, 0, 0.25 },
            { 55, 0.25, 0.25 },
            { 52, 0.5, 0.25 },
            { 55, 0.75, 0.25 },
            { 76, 0, 1 },
            // Beat 2: a single note: no chord.
            { 67, 1, 1 },
            // Beat 3: a cluster C D E F: no chord.
            { 60, 2, 1 },
            { 62, 2, 1 },
            { 64, 2, 1 },
            { 65, 2, 1 },
            // Beat 4: a G major triad with a short passing A: still G.
            { 55, 3, 1 },
            { 59, 3, 1 },
            { 62, 3, 1 },
            { 69, 3.75, 0.25 },
            // Beat 5: a bare fifth: no chord.
            { 48, 4, 1 },
            { 55, 4, 1 },
        };
        const std::vector<ChordLabel> labels = chordLabels(test::makeScore(notes));
        QCOMPARE(names(labels), (std::vector<std::string> { "C", "G" }));
        QCOMPARE(labels[1].startTick, std::int64_t(3 * 480));
        // In 6/8 a beat is a quaver.
        const Score compound = test::makeScore({ { 60, 0, 0.5 },
                                                 { 64, 0, 0.5 },
                                                 { 67, 0, 0.5 },
                                                 { 62, 0.5, 0.5 },
                                                 { 65, 0.5, 0.5 },
                                                 { 71, 0.5, 0.5 } },
                                               6, 8);
        QCOMPARE(names(chordLabels(compound)), (std::vector<std::string> { "C", "Bdim" }));
    }
};

QTEST_APPLESS_MAIN(TestTheory)
#include "tst_theory.moc"
