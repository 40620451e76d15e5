// SPDX-License-Identifier: GPL-3.0-or-later
// What `bench continuation` rests on: a seed and its continuation read as the model reads the whole
// piece, and the network's likelihood of a continuation equal to that of its steps one by one.
#include "core/error.h"
#include "core/fileio.h"
#include "generate/generator.h"
#include "generate/seed.h"
#include "jobs/jobcontext.h"
#include "nn/model.h"
#include "nn/piecememory.h"
#include "repr/compound.h"
#include "repr/notes.h"
#include "repr/performance.h"
#include "score/scoreparts.h"
#include "score/smfconvert.h"
#include "train/continuationbench.h"
#include "train/evaluation.h"

#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <tuple>

using namespace continuo;

namespace {

constexpr int kBarTicks = 1920; ///< 4/4 at 480 ticks per quarter

/// Eight bars of legato quarter notes (a scale up and down) over a chord held through each bar, so
/// that no note crosses a bar line.
Score eightBars()
{
    Score score;
    score.tempoMap = TempoMap(480, { { 0, 500000 } });
    score.timeSignatures = { { 0, 4, 4 } };
    score.parts = { Part { "Piano", {}, 0, false } };
    const int scale[] = { 60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 59 };
    for (int i = 0; i < 32; ++i) {
        Note note;
        note.pitch = scale[i % 16];
        note.velocity = 80;
        note.startTick = i * 480;
        note.endTick = (i + 1) * 480;
        score.notes.push_back(note);
        if (i % 4 == 0)
            for (int low : { 48, 52 }) {
                note.pitch = low;
                note.endTick = note.startTick + kBarTicks;
                score.notes.push_back(note);
            }
    }
    score.endTick = 8 * kBarTicks;
    score.updateSeconds();
    score.sortEvents();
    return score;
}

ModelSpec notesSpec()
{
    std::vector<std::string> vocabulary;
    for (int pitch = 36; pitch <= 96; ++pitch)
        vocabulary.push_back(std::to_string(pitch));
    vocabulary.push_back("48.52");
    ModelSpec spec = ModelSpec::preset(
        "tiny", Representation::Notes,
        { int(vocabulary.size()) + 1, notesrepr::kOffsetClasses, notesrepr::kDurationClasses });
    spec.vocabulary = vocabulary;
    return spec;
}

ModelSpec performanceSpec()
{
    return ModelSpec::preset("tiny", Representation::Performance, { performance::kVocabularySize });
}

ModelSpec compoundSpec()
{
    using namespace compoundrepr;
    return ModelSpec::preset("tiny", Representation::Compound,
                             { kTimeClasses, kPitchClasses, kDurationClasses, kVelocityClasses },
                             Architecture::Transformer);
}

ModelSpec specNamed(const QString &representation)
{
    if (representation == "notes")
        return notesSpec();
    if (representation == "compound")
        return compoundSpec();
    return performanceSpec();
}

/// The steps of the whole piece as the model reads it.
std::vector<std::int64_t> wholeSteps(const ModelSpec &spec, const Score &score)
{
    std::vector<std::int64_t> steps;
    if (spec.representation == Representation::Performance) {
        for (int token : encodePerformance(score))
            steps.push_back(token);
        return steps;
    }
    if (spec.representation == Representation::Compound) {
        for (const std::int32_t token : flattenCompoundSteps(compoundSteps(score)))
            steps.push_back(token);
        return steps;
    }
    const NotesVocabulary vocabulary = NotesVocabulary::fromPitchSetsText(spec.vocabulary);
    for (const NoteStep &step : tokenizeNotes(chordSteps(score), vocabulary))
        steps.insert(steps.end(), { step.pitchSet, step.offset, step.duration });
    return steps;
}

} // namespace

class TestContinuationBench : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedAndContinuationJoinLikeTheWholePiece_data()
    {
        QTest::addColumn<QString>("representation");
        QTest::newRow("notes") << "notes";
        QTest::newRow("performance") << "performance";
        QTest::newRow("compound") << "compound";
    }

    void seedAndContinuationJoinLikeTheWholePiece()
    {
        QFETCH(QString, representation);
        const ModelSpec spec = specNamed(representation);
        const Score piece = eightBars();
        const Score seed = seedFromRange(piece, 0, 4 * kBarTicks);
        const Score truth = seedFromRange(piece, 4 * kBarTicks, 8 * kBarTicks);
        const SeedAndContinuationSteps steps = modelSteps(spec, seed, truth);
        QVERIFY(!steps.continuation.empty());
        std::vector<std::int64_t> joined = steps.seed;
        joined.insert(joined.end(), steps.continuation.begin(), steps.continuation.end());
        QCOMPARE(joined, wholeSteps(spec, piece));
    }

    void natsAreTheSumOverEachStep_data()
    {
        // (The compound Transformer's later heads read the true earlier heads when it scores, but
        // their argmax in nextStepLogProbabilities, so that sum is not this one.)
        QTest::addColumn<QString>("representation");
        QTest::newRow("notes") << "notes";
        QTest::newRow("performance") << "performance";
    }

    void aHumanizedSeedIsPlayedNearItsScore()
    {
        const Score seed = seedFromRange(eightBars(), 0, 4 * kBarTicks);
        const Score played = humanizeSeed(seed, 3);
        QCOMPARE(humanizeSeed(seed, 3).notes, played.notes);
        QVERIFY(humanizeSeed(seed, 4).notes != played.notes);
        QCOMPARE(played.notes.size(), seed.notes.size());
        const double length = seed.durationSec();
        std::vector<Note> before = seed.notes, after = played.notes;
        const auto byPitchAndOnset = [](const Note &a, const Note &b) {
            return std::tie(a.pitch, a.startTick) < std::tie(b.pitch, b.startTick);
        };
        std::sort(before.begin(), before.end(), byPitchAndOnset);
        std::sort(after.begin(), after.end(), byPitchAndOnset);
        bool anyMoved = false;
        for (std::size_t i = 0; i < before.size(); ++i) {
            const double t = before[i].startSec, drift = 0.02 * t * t / length;
            QCOMPARE(after[i].pitch, before[i].pitch);
            QVERIFY2(std::abs(after[i].startSec - (t + drift)) <= 0.0251,
                     qPrintable(QString::number(after[i].startSec - t)));
            QVERIFY(std::abs(after[i].velocity - before[i].velocity) <= 12);
            anyMoved = anyMoved || after[i].startTick % 40 != 0; // off the 1/12-quarter grid
        }
        QVERIFY(anyMoved);
        QVERIFY(played.durationSec() > length * 1.015);
    }

    void natsAreTheSumOverEachStep()
    {
        QFETCH(QString, representation);
        Model model(specNamed(representation), 5);
        const Score piece = eightBars();
        const SeedAndContinuationSteps steps =
            modelSteps(model.spec(), seedFromRange(piece, 0, 2 * kBarTicks),
                       seedFromRange(piece, 2 * kBarTicks, 3 * kBarTicks));
        const std::size_t heads = model.spec().headSizes.size();
        std::vector<std::int32_t> read(steps.seed.begin(), steps.seed.end());
        double expected = 0.0;
        for (std::size_t i = 0; i < steps.continuation.size(); i += heads) {
            const std::vector<std::vector<float>> next = model.nextStepLogProbabilities(read);
            for (std::size_t h = 0; h < heads; ++h)
                expected -= next[h][std::size_t(steps.continuation[i + h])];
            read.insert(read.end(), steps.continuation.begin() + std::ptrdiff_t(i),
                        steps.continuation.begin() + std::ptrdiff_t(i + heads));
        }
        const double nats = continuationNats(model, steps.seed, steps.continuation);
        QVERIFY2(std::abs(nats - expected) < 1e-3 * expected,
                 qPrintable(QString("%1 against %2").arg(nats).arg(expected)));
        QVERIFY(nats > 0);
        double sum = 0.0;
        for (const double headNats : continuationNatsByHead(model, steps.seed, steps.continuation))
            sum += headNats;
        QVERIFY(std::abs(sum - nats) < 1e-9 * nats);
        QCOMPARE(continuationNats(model, steps.seed, {}), 0.0);
        QVERIFY_THROWS_EXCEPTION(ModelError, continuationNats(model, {}, steps.continuation));
    }

    void noNoteInsideTheSeedIsScoredAsGenerationDrawsIt()
    {
        // A seed that ends a bar after its last onset: a compound continuation draws no note before
        // the seed's end, and its likelihood as generated renormalises the first step over the times
        // that reach it (so the real music, which starts there, is likelier); other models read as
        // they draw.
        const Score piece = eightBars();
        Score seed = seedFromRange(piece, 0, 2 * kBarTicks);
        seed.notes.erase(std::remove_if(seed.notes.begin(), seed.notes.end(),
                                        [](const Note &note) { return note.startTick >= kBarTicks; }),
                         seed.notes.end());
        for (Note &note : seed.notes)
            note.endTick = std::min<std::int64_t>(note.endTick, kBarTicks);
        const Score next = seedFromRange(piece, 2 * kBarTicks, 3 * kBarTicks);
        Model compound(specNamed("compound"), 5);
        const SeedAndContinuationSteps steps = modelSteps(compound.spec(), seed, next);
        QVERIFY(steps.unitsToSeedEnd > 12); // over a quarter (12 grid units) of rest
        const double free = continuationNats(compound, steps.seed, steps.continuation);
        DrawShaping shaping;
        shaping.unitsToSeedEnd = steps.unitsToSeedEnd;
        const double masked = continuationNats(compound, steps.seed, steps.continuation, shaping);
        QVERIFY2(masked < free, qPrintable(QString("%1 against %2").arg(masked).arg(free)));
        Model notes(specNamed("notes"), 5);
        QCOMPARE(modelSteps(notes.spec(), seed, next).unitsToSeedEnd, std::int64_t(0));
        GenerationSettings settings;
        settings.variations = 8;
        settings.holdRhythm = 0; // an untrained model draws short steps as often as long ones
        PlainJobContext context;
        for (const Score &variation : generateContinuations(compound, seed, settings, context).variations)
            for (const Note &note : variation.notes)
                if (note.part == kContinuationPart)
                    QVERIFY2(note.startTick >= seed.endTick, qPrintable(QString::number(note.startTick)));
    }

    void stayingCloseScoresARepeatAsGenerationDrawsIt_data() { natsAreTheSumOverEachStep_data(); }

    void stayingCloseScoresARepeatAsGenerationDrawsIt()
    {
        QFETCH(QString, representation);
        Model model(specNamed(representation), 5);
        PieceMemory memory;
        memory.trust.assign(model.spec().headSizes.size(),
                            std::vector<double>(PieceMatcher::kMaxMatch + 1, 0.9));
        model.setPieceMemory(memory);
        // The continuation plays the seed's first bar again: the piece memory recalls it.
        const Score piece = eightBars();
        const SeedAndContinuationSteps steps = modelSteps(
            model.spec(), seedFromRange(piece, 0, 2 * kBarTicks), seedFromRange(piece, 0, kBarTicks));
        const double alone = continuationNats(model, steps.seed, steps.continuation);
        const double half = continuationNats(model, steps.seed, steps.continuation, { 0.5 });
        const double close = continuationNats(model, steps.seed, steps.continuation, { 1.0 });
        qInfo("nats of a repeated bar: %.2f alone, %.2f at 0.5, %.2f at 1", alone, half, close);
        QCOMPARE(continuationNats(model, steps.seed, steps.continuation, { 0.0 }), alone);
        QVERIFY(close < half && half < alone);
        QVERIFY(close < 0.6 * alone);
        // Following the seed changes the distribution of a Transformer only (a finite NLL).
        const double following = continuationNats(model, steps.seed, steps.continuation, { 0.5, 2.0 });
        QVERIFY(std::isfinite(following) && following > 0);
        if (model.spec().architecture == Architecture::Transformer)
            QVERIFY(std::abs(following - half) > 1e-3);
        else
            QCOMPARE(following, half);
    }

    void holdingScoresAsGenerationDraws()
    {
        // A compound model held to the seed's register: a continuation inside its range gains
        // likelihood, one that leaves it loses; the register and key holds change the pitch head
        // alone, the rhythm hold the time head alone.
        Model model(specNamed("compound"), 5);
        const Score piece = eightBars();
        const Score seed = seedFromRange(piece, 0, 2 * kBarTicks);
        const Score inside = seedFromRange(piece, 0, kBarTicks);
        Score above = inside;
        for (Note &note : above.notes)
            note.pitch += 24;
        const auto nats = [&](const Score &continuation, double DrawShaping::*hold, double strength) {
            DrawShaping shaping;
            shaping.*hold = strength;
            const SeedAndContinuationSteps steps = modelSteps(model.spec(), seed, continuation);
            return continuationNatsByHead(model, steps.seed, steps.continuation, shaping);
        };
        const std::vector<double> free = nats(inside, &DrawShaping::holdRegister, 0.0);
        const std::vector<double> held = nats(inside, &DrawShaping::holdRegister, 1.0);
        QVERIFY(held[1] < free[1]);
        QVERIFY(nats(above, &DrawShaping::holdRegister, 1.0)[1]
                > nats(above, &DrawShaping::holdRegister, 0.0)[1] + 10.0);
        const std::vector<double> keyed = nats(inside, &DrawShaping::holdKey, 1.0);
        const std::vector<double> paced = nats(inside, &DrawShaping::holdRhythm, 1.0);
        for (const std::size_t head : { 0, 2, 3 }) {
            QCOMPARE(held[head], free[head]);
            QCOMPARE(keyed[head], free[head]);
        }
        QVERIFY(std::abs(keyed[1] - free[1]) > 1e-6);
        QVERIFY(std::abs(paced[0] - free[0]) > 1e-6);
        for (const std::size_t head : { 1, 2, 3 })
            QCOMPARE(paced[head], free[head]);
        // The floor under the holds: the network's own distribution, held to the range reached, at
        // a tenth: a continuation that leaves the register costs less, and at most ln 10 nats per
        // step more than under the floor alone (share 1).
        const auto floored = [&](const Score &continuation, double share) {
            DrawShaping shaping;
            shaping.holdRegister = 1.0;
            shaping.followSeed = 2.0;
            shaping.floorShare = share;
            const SeedAndContinuationSteps steps = modelSteps(model.spec(), seed, continuation);
            return continuationNatsByHead(model, steps.seed, steps.continuation, shaping);
        };
        const std::vector<double> under = floored(above, 0.1), floorAlone = floored(above, 1.0);
        const double abovePitch = floored(above, 0.0)[1];
        QVERIFY2(under[1] < abovePitch, qPrintable(QString("%1 against %2").arg(under[1]).arg(abovePitch)));
        const auto aboveSteps = double(modelSteps(model.spec(), seed, above).continuation.size() / 4);
        for (const std::size_t head : { 0, 1 })
            QVERIFY(under[head] <= floorAlone[head] + std::log(10.0) * aboveSteps + 1e-6);
        QCOMPARE(under[2], floored(above, 0.0)[2]); // duration and velocity have no floor
        // Models that do not read compound notes are not held.
        Model notes(specNamed("notes"), 5);
        const SeedAndContinuationSteps steps = modelSteps(notes.spec(), seed, inside);
        QCOMPARE(continuationNats(notes, steps.seed, steps.continuation, { 0.0, 0.0, 1.0, 1.0, 1.0 }),
                 continuationNats(notes, steps.seed, steps.continuation));
    }

    void statisticsCountEveryContinuationAndEveryTruth()
    {
        // Two pieces of eight bars (16 s); the seed is 2 s to 6 s and the truth 6 s to 10 s.
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        std::filesystem::create_directories(root / "corpus");
        for (const char *name : { "a.mid", "b.mid" })
            writeFileAtomically(root / "corpus" / name, scoreToSmfBytes(eightBars()));
        Model(compoundSpec(), 5).save(root / "model.ckpt");
        ContinuationBenchOptions options;
        options.model = root / "model.ckpt";
        options.corpus = root / "corpus";
        options.atSec = 2.0;
        options.windowSec = 4.0;
        options.settings.variations = 2;
        PlainJobContext context;
        const ContinuationBenchResult result = benchContinuation(options, context);
        QCOMPARE(int(result.files.size()), 2);
        std::size_t truthNotes = 0;
        for (const ContinuationBenchFile &file : result.files)
            truthNotes += std::size_t(file.truthNotes);
        QCOMPARE(result.truthStatistics.noteCount, truthNotes);
        QCOMPARE(result.truthStatistics.scoreCount, std::size_t(2));
        QCOMPARE(result.continuationStatistics.scoreCount, std::size_t(4)); // 2 files, 2 variations
        QVERIFY(result.continuationStatistics.noteCount > 0);
        // The truth is the scale of the file: its pitch classes are those of C major alone.
        const std::vector<double> classes =
            result.truthStatistics.histogram(Feature::PitchClass).normalised();
        for (const int black : { 1, 3, 6, 8, 10 })
            QCOMPARE(classes[std::size_t(black)], 0.0);
    }
};

QTEST_APPLESS_MAIN(TestContinuationBench)
#include "tst_continuationbench.moc"
