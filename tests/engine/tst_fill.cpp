// SPDX-License-Identifier: GPL-3.0-or-later
// Filling a span: the notes outside it and the kept ones stay bit for bit, the new notes lie in the
// span and keep every constraint, the same settings give the same notes, and bad requests are one
// sentence.
#include "core/error.h"
#include "generate/fill.h"
#include "generate/generator.h"
#include "generate/seed.h"
#include "jobs/jobcontext.h"
#include "nn/model.h"
#include "repr/compound.h"
#include "train/evaluation.h"

#include <QtTest>

#include <algorithm>

using namespace continuo;

namespace {

constexpr std::int64_t kBar = 1920; ///< 4/4 at 480 ticks per quarter

/// An untrained compound Transformer: arbitrary scores test the masks hard.
Model compoundModel(bool beatPhase = false)
{
    using namespace compoundrepr;
    ModelSpec spec = ModelSpec::preset("tiny", Representation::Compound,
                                       { kTimeClasses, kPitchClasses, kDurationClasses, kVelocityClasses },
                                       Architecture::Transformer);
    spec.beatPhase = beatPhase;
    return Model(spec, 3);
}

Note noteOf(int pitch, std::int64_t start, std::int64_t end, int part)
{
    Note note;
    note.pitch = pitch;
    note.velocity = 80;
    note.startTick = start;
    note.endTick = end;
    note.part = part;
    note.channel = part;
    return note;
}

/// Six bars: eighths of a C major scale in the right hand (part 0), a fifth held through every half
/// bar in the left (part 1).
Score sixBars()
{
    Score score;
    score.tempoMap = TempoMap(480, { { 0, 500000 } });
    score.timeSignatures = { { 0, 4, 4 } };
    score.parts = { Part { "Right", {}, 0, false }, Part { "Left", {}, 1, false } };
    const int scale[] = { 60, 62, 64, 65, 67, 69, 71, 72 };
    for (int eighth = 0; eighth < 48; ++eighth)
        score.notes.push_back(noteOf(scale[eighth % 8], eighth * 240, eighth * 240 + 220, 0));
    for (int half = 0; half < 12; ++half)
        for (const int pitch : { 48, 55 })
            score.notes.push_back(noteOf(pitch, half * 960, half * 960 + 960, 1));
    score.endTick = 6 * kBar;
    score.updateSeconds();
    score.sortEvents();
    return score;
}

FillRequest barsThreeAndFour(KeepChoice keep = {}) { return { 2 * kBar, 4 * kBar, keep }; }

std::vector<Note> sorted(std::vector<Note> notes)
{
    std::sort(notes.begin(), notes.end(), noteOrder);
    return notes;
}

/// The notes of a variation that are not in its fill part, and those that are.
std::pair<std::vector<Note>, std::vector<Note>> splitFill(const Score &variation)
{
    const int fillPart = int(variation.parts.size()) - 1;
    std::vector<Note> others, fill;
    for (const Note &note : variation.notes)
        (note.part == fillPart ? fill : others).push_back(note);
    return { others, fill };
}

/// The pitches of the new notes of four variations filling `request` in `score`, held to the
/// register at `holdRegister`.
std::vector<int> filledPitches(Model &model, const Score &score, const FillRequest &request,
                               double holdRegister)
{
    GenerationSettings settings;
    settings.variations = 4;
    settings.fillCandidates = 1; // each variation as drawn: the hold is what is looked at
    settings.holdRegister = holdRegister;
    PlainJobContext context;
    std::vector<int> pitches;
    for (const Score &variation : fillSpan(model, score, request, settings, context).variations)
        for (const Note &note : splitFill(variation).second)
            pitches.push_back(note.pitch);
    return pitches;
}

} // namespace

class TestFill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void notesOutsideTheSpanAndKeptNotesStay_data()
    {
        QTest::addColumn<QString>("keep");
        QTest::addColumn<bool>("beatPhase");
        QTest::newRow("nothing") << "nothing" << false;
        QTest::newRow("melody") << "above:C4" << false;
        QTest::newRow("left hand") << "track:2" << false;
        QTest::newRow("top voice") << "top-voice" << false;
        QTest::newRow("nothing, positions in the beat") << "nothing" << true;
        QTest::newRow("melody, positions in the beat") << "above:C4" << true;
    }

    void notesOutsideTheSpanAndKeptNotesStay()
    {
        QFETCH(QString, keep);
        QFETCH(bool, beatPhase);
        Model model = compoundModel(beatPhase);
        const Score score = sixBars();
        const FillRequest request = barsThreeAndFour(KeepChoice::parse(keep.toStdString()));
        std::vector<Note> staying;
        for (const Note &note : score.notes)
            if (note.startTick < request.startTick || note.startTick >= request.endTick
                || staysInSpan(note, request.keep, score.notes))
                staying.push_back(note);
        QVERIFY(staying.size() < score.notes.size());
        GenerationSettings settings;
        settings.variations = 3;
        settings.rngSeed = 5;
        PlainJobContext context;
        const Generation generation = fillSpan(model, score, request, settings, context);
        QCOMPARE(int(generation.variations.size()), 3);
        QCOMPARE(generation.seedEndTick, request.startTick);
        for (const Score &variation : generation.variations) {
            QCOMPARE(int(variation.parts.size()), 3);
            QCOMPARE(variation.parts.back().name, std::string(kFillPartName));
            QCOMPARE(variation.tempoMap.ticksPerQuarter(), score.tempoMap.ticksPerQuarter());
            const auto [others, fill] = splitFill(variation);
            QCOMPARE(sorted(others), sorted(staying)); // bit for bit
            for (const Note &note : fill) {
                QVERIFY(note.startTick >= request.startTick && note.startTick < request.endTick);
                // Under a kept melody, over a kept accompaniment.
                if (request.keep.rule == KeepRule::Above)
                    QVERIFY(note.pitch < request.keep.pitch);
                QVERIFY(note.endTick <= request.endTick && note.endTick > note.startTick);
                // No new note strikes a key that a staying note holds.
                for (const Note &other : staying)
                    if (other.pitch == note.pitch)
                        QVERIFY(other.endTick <= note.startTick || other.startTick >= note.endTick);
            }
        }
    }

    void newNotesKeepTheConstraintsAndStream()
    {
        Model model = compoundModel();
        GenerationSettings settings;
        settings.variations = 4;
        settings.sampling.temperature = 1.3;
        settings.constraints.setScale("A minor pentatonic");
        settings.constraints.setRange("C3-C6");
        settings.constraints.maxPolyphony = 3;
        std::vector<int> streamed(4, 0);
        PlainJobContext context;
        const Generation generation =
            fillSpan(model, sixBars(), barsThreeAndFour(), settings, context,
                     [&](int variation, const Note &) { ++streamed[std::size_t(variation)]; });
        int notes = 0;
        for (std::size_t v = 0; v < generation.variations.size(); ++v) {
            const auto [others, fill] = splitFill(generation.variations[v]);
            QCOMPARE(streamed[v], int(fill.size()));
            notes += int(fill.size());
            for (const Note &note : fill) {
                QVERIFY2(settings.constraints.allows(note.pitch), qPrintable(QString::number(note.pitch)));
                int sounding = 0;
                for (const Note &other : generation.variations[v].notes)
                    sounding += other.startTick <= note.startTick && other.endTick > note.startTick ? 1 : 0;
                QVERIFY(sounding <= 3 + 2); // the left hand's fifth stays; new notes add at most 3 - (held)
            }
        }
        QVERIFY(notes > 0);
    }

    void fillsHoldTheRegisterAroundTheGap()
    {
        // The notes to replace lie three octaves above those around them (C3 to C5): the register a
        // fill is held to is that of the notes the model reads, not of the notes it replaces.
        Score score = sixBars();
        for (Note &note : score.notes)
            if (note.startTick >= 2 * kBar && note.startTick < 4 * kBar && note.part == 0)
                note.pitch += 36;
        Model model = compoundModel();
        const auto outside = [](const std::vector<int> &pitches, int margin) {
            return std::count_if(pitches.begin(), pitches.end(),
                                 [margin](int p) { return p < 48 - margin || p > 72 + margin; });
        };
        const std::vector<int> free = filledPitches(model, score, barsThreeAndFour(), 0.0);
        const std::vector<int> held = filledPitches(model, score, barsThreeAndFour(), 4.0);
        QVERIFY(!held.empty());
        QVERIFY2(outside(free, 0) > std::ptrdiff_t(free.size() / 2), "an untrained model plays anywhere");
        QCOMPARE(outside(held, 2), std::ptrdiff_t(0));
    }

    void aFillIsHeldToTheBarsNextToIt()
    {
        // Bars 1 and 2 of the right hand lie two octaves up (up to C7); filling bar 4, the register
        // is that of bars 3 and 5, within a bar of it (C3 to C5), not of everything the model reads.
        Score score = sixBars();
        for (Note &note : score.notes)
            if (note.startTick < 2 * kBar && note.part == 0)
                note.pitch += 24;
        Model model = compoundModel();
        const std::vector<int> pitches = filledPitches(model, score, { 3 * kBar, 4 * kBar, {} }, 4.0);
        QVERIFY(!pitches.empty());
        for (const int pitch : pitches)
            QVERIFY2(pitch >= 46 && pitch <= 74, qPrintable(QString::number(pitch)));
    }

    void aNewAccompanimentIsHeldToTheAccompanimentsRegister()
    {
        // Keeping the right hand (C4 and up), the new notes go under it, held to the left hand's
        // C3-G3, not to the register of both hands.
        Model model = compoundModel();
        const std::vector<int> pitches =
            filledPitches(model, sixBars(), barsThreeAndFour(KeepChoice::parse("above:C4")), 4.0);
        QVERIFY(!pitches.empty());
        for (const int pitch : pitches)
            QVERIFY2(pitch >= 46 && pitch <= 57, qPrintable(QString::number(pitch)));
    }

    void everyFillWritesANote()
    {
        // An untrained model draws nearly any time: most of them past a one-beat span, which would
        // end the fill before its first note.
        Model model = compoundModel();
        GenerationSettings settings;
        settings.variations = 8;
        PlainJobContext context;
        const FillRequest oneBeat { 2 * kBar, 2 * kBar + 480, {} };
        const Generation generation = fillSpan(model, sixBars(), oneBeat, settings, context);
        for (const Score &variation : generation.variations) {
            const auto fill = splitFill(variation).second;
            QVERIFY(!fill.empty());
            for (const Note &note : fill)
                QVERIFY(note.startTick >= oneBeat.startTick && note.startTick < oneBeat.endTick);
        }
    }

    void aNoteHeldForDaysIsReadWithinTheWindow()
    {
        // A damaged file's note held for ten days before the span reads as some 36,000 hold steps:
        // the fill reads their latest TransformerStepper::kMaxRead (attending over all of them
        // would ask for tens of gigabytes) and still writes the span.
        Model model = compoundModel();
        Score score = sixBars();
        score.notes.push_back(noteOf(36, 0, 10LL * 24 * 3600 * 2 * 480, 1));
        score.sortEvents();
        score.updateSeconds();
        GenerationSettings settings;
        settings.variations = 2;
        PlainJobContext context;
        QVERIFY(fillSteps(score, barsThreeAndFour()).prompt.size() / compoundrepr::kHeads > 30000);
        for (const Score &variation :
             fillSpan(model, score, barsThreeAndFour(), settings, context).variations)
            QVERIFY(!splitFill(variation).second.empty());
    }

    void ofTwoFillsTheOneThatLeadsOnIsKept()
    {
        // The two fills drawn for one variation are those drawn as two variations of one fill each
        // (the same random streams); the one kept is one of them, streamed once chosen, and it is
        // the one after which bars 5 and 6 are likelier, read left to right.
        Model model = compoundModel();
        const Score score = sixBars();
        PlainJobContext context;
        GenerationSettings each;
        each.variations = 2;
        each.fillCandidates = 1;
        std::vector<std::vector<Note>> drawn;
        for (const Score &variation : fillSpan(model, score, barsThreeAndFour(), each, context).variations)
            drawn.push_back(sorted(splitFill(variation).second));
        QVERIFY(drawn[0] != drawn[1]);
        GenerationSettings chosen;
        chosen.variations = 1;
        chosen.fillCandidates = 2;
        std::vector<Note> streamed;
        const Generation generation = fillSpan(model, score, barsThreeAndFour(), chosen, context,
                                               [&](int, const Note &note) { streamed.push_back(note); });
        const std::vector<Note> kept = sorted(splitFill(generation.variations[0]).second);
        QVERIFY(kept == drawn[0] || kept == drawn[1]);
        QCOMPARE(streamed.size(), kept.size());
        for (const Note &note : sorted(streamed)) // in the walker's part until placed in the fill's
            QVERIFY(std::any_of(kept.begin(), kept.end(), [&note](const Note &k) {
                return k.pitch == note.pitch && k.startTick == note.startTick && k.endTick == note.endTick;
            }));
        QVERIFY(generation.settingsText.find("candidates=2") != std::string::npos);
        const auto leadIn = [&](const std::vector<Note> &fill) {
            Score context = withoutReplacedNotes(score, barsThreeAndFour());
            context.notes.insert(context.notes.end(), fill.begin(), fill.end());
            context.sortEvents();
            context.updateSeconds();
            const SeedAndContinuationSteps steps = modelSteps(
                model.spec(), seedFromRange(context, 0, 4 * kBar), seedFromRange(score, 4 * kBar, 6 * kBar));
            return continuationNats(model, steps.seed, steps.continuation, { chosen.stayClose });
        };
        const double other = leadIn(kept == drawn[0] ? drawn[1] : drawn[0]);
        QVERIFY2(leadIn(kept) <= other, qPrintable(QString("%1 against %2").arg(leadIn(kept)).arg(other)));
        chosen.fillCandidates = 5;
        QVERIFY_THROWS_EXCEPTION(GenerationError,
                                 fillSpan(model, score, barsThreeAndFour(), chosen, context));
    }

    void aFillInThirtySecondsIsOnTheirGrid()
    {
        // Six bars of thirty-second notes (60 ticks: 1.5 units of the 1/12-quarter grid): the fill
        // reads them, and writes, on 20 ticks, some between the grid's units of 40 ticks.
        Score score = sixBars();
        score.notes.clear();
        for (int note = 0; note < 6 * kBar / 60; ++note)
            score.notes.push_back(noteOf(60 + note % 8, note * 60, note * 60 + 60, 0));
        score.updateSeconds();
        Model model = compoundModel();
        GenerationSettings settings;
        settings.variations = 4;
        PlainJobContext context;
        int offTheGrid = 0, notes = 0;
        for (const Score &variation :
             fillSpan(model, score, barsThreeAndFour(), settings, context).variations)
            for (const Note &note : splitFill(variation).second) {
                QCOMPARE(note.startTick % 20, std::int64_t(0));
                offTheGrid += note.startTick % 40 != 0 ? 1 : 0;
                ++notes;
            }
        QVERIFY(notes > 0);
        QVERIFY(offTheGrid > 0);
    }

    void theSameSettingsGiveTheSameNotes()
    {
        Model model = compoundModel();
        GenerationSettings settings;
        settings.variations = 2;
        settings.rngSeed = 11;
        PlainJobContext context;
        const Score score = sixBars();
        const Generation a = fillSpan(model, score, barsThreeAndFour(), settings, context);
        const Generation b = fillSpan(model, score, barsThreeAndFour(), settings, context);
        settings.rngSeed = 12;
        const Generation c = fillSpan(model, score, barsThreeAndFour(), settings, context);
        QCOMPARE(a.variations[0].notes, b.variations[0].notes);
        QCOMPARE(a.variations[1].notes, b.variations[1].notes);
        QVERIFY(a.variations[0].notes != c.variations[0].notes);
    }

    void aCancelledFillStopsAndChangesNothingElse()
    {
        // Cancelled once its first steps are drawn: it stops early, and the notes outside the span
        // are still those of the score.
        struct CancelledSoon : JobContext
        {
            mutable int asked = 0;
            void reportProgress(std::int64_t, std::int64_t, const std::string &) override { }
            bool isCancelled() const override { return ++asked > 3; }
        };
        Model model = compoundModel();
        GenerationSettings settings;
        settings.variations = 2;
        const Score score = sixBars();
        const FillRequest request { kBar, 5 * kBar, {} };
        PlainJobContext whole;
        const Generation full = fillSpan(model, score, request, settings, whole);
        CancelledSoon soon;
        const Generation cancelled = fillSpan(model, score, request, settings, soon);
        QVERIFY2(cancelled.steps < full.steps,
                 qPrintable(QStringLiteral("%1 of %2").arg(cancelled.steps).arg(full.steps)));
        const std::vector<Note> outside = sorted(withoutReplacedNotes(score, request).notes);
        for (const Score &variation : cancelled.variations)
            QCOMPARE(sorted(splitFill(variation).first), outside);
    }

    void badRequestsAreOneSentence()
    {
        Model model = compoundModel();
        const Score score = sixBars();
        GenerationSettings settings;
        PlainJobContext context;
        QVERIFY_THROWS_EXCEPTION(GenerationError,
                                 fillSpan(model, score, { kBar, kBar, {} }, settings, context));
        QVERIFY_THROWS_EXCEPTION(GenerationError,
                                 fillSpan(model, score, { 7 * kBar, 8 * kBar, {} }, settings, context));
        // Keep the left hand, at most two notes at once: its fifth leaves no room.
        settings.constraints.maxPolyphony = 2;
        const FillRequest leftHand = barsThreeAndFour(KeepChoice::parse("track:2"));
        QVERIFY_THROWS_EXCEPTION(GenerationError, fillSpan(model, score, leftHand, settings, context));
        Model performance(ModelSpec::preset("tiny", Representation::Performance, { 388 }), 3);
        QVERIFY_THROWS_EXCEPTION(GenerationError,
                                 fillSpan(performance, score, barsThreeAndFour(), {}, context));
        // A range above the split leaves nothing under a kept melody.
        GenerationSettings high;
        high.constraints.setRange("C5-C6");
        QVERIFY_THROWS_EXCEPTION(
            GenerationError,
            fillSpan(model, score, barsThreeAndFour(KeepChoice::parse("above:C4")), high, context));
        for (const char *bad : { "sideways", "above:", "track:0", "track:x", "above:H9" })
            QVERIFY_THROWS_EXCEPTION(GenerationError, KeepChoice::parse(bad));
        QCOMPARE(KeepChoice::parse("Above:C4").describe(), std::string("above:C4"));
        QCOMPARE(KeepChoice::parse("below:60").pitch, 60);
        QCOMPARE(KeepChoice::parse("track:2").part, 1);
    }
};

QTEST_APPLESS_MAIN(TestFill)
#include "tst_fill.moc"
