// SPDX-License-Identifier: GPL-3.0-or-later
// Generation: constraints hold on every note, lengths, reproducibility, streaming, cancel, the seed read
// once.
#include "core/error.h"
#include "generate/generator.h"
#include "generate/internal/stepsource.h"
#include "generate/internal/walker.h"
#include "generate/internal/walkloop.h"
#include "generate/seed.h"
#include "jobs/jobrunner.h"
#include "nn/computeinfo.h"
#include "nn/internal/modelimpl.h"
#include "nn/internal/transformernet.h"
#include "nn/model.h"
#include "nn/piecememory.h"
#include "repr/beatphase.h"
#include "repr/compound.h"
#include "repr/infilling.h"
#include "repr/notes.h"

#include <QtTest>

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <random>

using namespace continuo;

namespace {

/// An untrained model: its scores are arbitrary, which tests the masks harder than a trained one.
Model performanceModel(const std::string &preset = "tiny")
{
    return Model(ModelSpec::preset(preset, Representation::Performance, { 388 }), 3);
}

/// A notes model over single notes C2..C7 and the major and minor triads on C3..B4.
Model notesModel(const std::string &preset = "tiny")
{
    std::vector<std::string> vocabulary;
    for (int pitch = 36; pitch <= 96; ++pitch)
        vocabulary.push_back(std::to_string(pitch));
    for (int root = 48; root < 72; ++root)
        for (int third : { 3, 4 })
            vocabulary.push_back(notesrepr::pitchSetText({ root, root + third, root + 7 }));
    ModelSpec spec = ModelSpec::preset(
        preset, Representation::Notes,
        { int(vocabulary.size()) + 1, notesrepr::kOffsetClasses, notesrepr::kDurationClasses });
    spec.vocabulary = vocabulary;
    return Model(spec, 3);
}

nn::TransformerNetImpl &transformerOf(Model &model)
{
    return dynamic_cast<nn::TransformerNetImpl &>(*nn::ModelAccess::impl(model).net);
}

/// A compound Transformer, reading positions in the beat or not.
Model compoundModel(const std::string &preset = "tiny", bool beatPhase = false)
{
    using namespace compoundrepr;
    ModelSpec spec = ModelSpec::preset(preset, Representation::Compound,
                                       { kTimeClasses, kPitchClasses, kDurationClasses, kVelocityClasses },
                                       Architecture::Transformer);
    spec.beatPhase = beatPhase;
    return Model(spec, 3);
}

/// The model of a representation: "performance", "notes" or "compound" (a Transformer).
Model modelNamed(const std::string &representation, const std::string &preset = "tiny")
{
    if (representation == "notes")
        return notesModel(preset);
    if (representation == "compound")
        return compoundModel(preset);
    return performanceModel(preset);
}

Note noteOf(int pitch, int velocity, std::int64_t startTick, std::int64_t endTick)
{
    Note note;
    note.pitch = pitch;
    note.velocity = velocity;
    note.startTick = startTick;
    note.endTick = endTick;
    return note;
}

/// Two bars of 4/4 at 480 ticks per quarter and 90 bpm in D minor: a melody over held chords.
Score seedScore()
{
    Score score;
    score.tempoMap = TempoMap(480, { { 0, 666667 } });
    score.timeSignatures = { { 0, 4, 4 } };
    score.keySignatures = { { 0, -1, true } };
    score.parts = { Part { "Piano", {}, 0, false } };
    const int melody[] = { 62, 64, 65, 67, 69, 67, 65, 64, 62, 61, 62, 64, 65, 64, 62, 57 };
    for (int i = 0; i < 16; ++i)
        score.notes.push_back(noteOf(melody[i], 90, i * 240, i * 240 + 200));
    for (int bar = 0; bar < 2; ++bar)
        for (int pitch : { 50, 53, 57 })
            score.notes.push_back(noteOf(pitch, 60, bar * 1920, bar * 1920 + 1920));
    score.endTick = 3840;
    score.updateSeconds();
    score.sortEvents();
    return score;
}

/// The phrase of phraseSeed().
constexpr int kPhrase[] = { 62, 65, 69, 74, 72, 69, 67, 64 };

/// Four bars of 4/4 at 480 ticks per quarter: a phrase of eight quarter notes played twice.
Score phraseSeed()
{
    Score score = seedScore();
    score.notes.clear();
    for (int i = 0; i < 16; ++i)
        score.notes.push_back(noteOf(kPhrase[i % 8], 70 + 3 * i, i * 480, i * 480 + 400));
    score.endTick = 7680;
    score.updateSeconds();
    score.sortEvents();
    return score;
}

/// A piece memory that trusts every match of every head this much.
PieceMemory trustingMemory(std::size_t heads, double trust)
{
    PieceMemory memory;
    memory.trust.assign(heads, std::vector<double>(PieceMatcher::kMaxMatch + 1, trust));
    for (std::vector<double> &table : memory.trust)
        table[0] = 0;
    return memory;
}

std::vector<Note> continuation(const Score &score)
{
    std::vector<Note> notes;
    for (const Note &note : score.notes)
        if (note.part == kContinuationPart)
            notes.push_back(note);
    return notes;
}

/// Checks that an LSTM notes model continues the seed alike with `field` at 0 and at `on`.
void notesModelIgnores(GenerationSettings s, double GenerationSettings::*field, double on)
{
    PlainJobContext context;
    Model lstm = notesModel();
    s.*field = 0;
    const Generation off = generateContinuations(lstm, seedScore(), s, context);
    s.*field = on;
    QCOMPARE(continuation(generateContinuations(lstm, seedScore(), s, context).variations[0]),
             continuation(off.variations[0]));
}

/// Checks that settings with `field` outside 0..4 are refused.
void refusesOutsideZeroToFour(GenerationSettings s, double GenerationSettings::*field)
{
    s.*field = 4.5;
    QVERIFY_THROWS_EXCEPTION(GenerationError, s.validate());
    s.*field = -1;
    QVERIFY_THROWS_EXCEPTION(GenerationError, s.validate());
}

/// Every note of the continuations of seedScore() by `model` with `s` (4 variations, rng 3) and, of
/// the three holds, only `hold` on, at `strength`.
std::vector<Note> heldContinuations(Model &model, GenerationSettings s, double GenerationSettings::*hold,
                                    double strength)
{
    s.variations = 4;
    s.rngSeed = 3;
    s.holdRegister = s.holdKey = s.holdRhythm = 0;
    s.*hold = strength;
    PlainJobContext context;
    std::vector<Note> notes;
    for (const Score &variation : generateContinuations(model, seedScore(), s, context).variations)
        for (const Note &note : continuation(variation))
            notes.push_back(note);
    return notes;
}

/// Checks a hold's setting: the settings text names it as `name`, an LSTM notes model ignores it,
/// and values outside 0..4 are refused.
void checkHoldSetting(double GenerationSettings::*hold, const std::string &name)
{
    GenerationSettings s;
    s.*hold = 1.5;
    QVERIFY(s.describe(Representation::Compound).find(name + "=1.5") != std::string::npos);
    notesModelIgnores(s, hold, 2.0);
    refusesOutsideZeroToFour(s, hold);
}

/// The most notes of `notes` sounding at any instant.
int maxPolyphony(const std::vector<Note> &notes)
{
    std::vector<std::pair<std::int64_t, int>> edges;
    for (const Note &note : notes) {
        edges.push_back({ note.startTick, 1 });
        edges.push_back({ note.endTick, -1 });
    }
    std::sort(edges.begin(), edges.end()); // an end (-1) sorts before a start at the same tick
    int sounding = 0, most = 0;
    for (const auto &edge : edges)
        most = std::max(most, sounding += edge.second);
    return most;
}

GenerationSettings constrainedSettings()
{
    GenerationSettings settings;
    settings.length = 150;
    settings.unit = LengthUnit::Notes;
    settings.variations = 4;
    settings.sampling.temperature = 1.3;
    settings.constraints.setScale("D minor");
    settings.constraints.setRange("C3-C6");
    settings.constraints.maxPolyphony = 3;
    settings.constraints.maxNoteSeconds = 1.0;
    return settings;
}

void checkConstraints(const Generation &generation, const GenerationSettings &settings, bool checkLength)
{
    const PitchConstraints &limits = settings.constraints;
    QCOMPARE(int(generation.variations.size()), settings.variations);
    for (const Score &score : generation.variations) {
        const std::vector<Note> notes = continuation(score);
        if (checkLength)
            QCOMPARE(std::int64_t(notes.size()), std::int64_t(settings.length));
        for (const Note &note : notes) {
            if (!limits.allows(note.pitch))
                QFAIL(qPrintable(QString("note %1 breaks the key or range").arg(note.pitch)));
            QVERIFY(note.endTick > note.startTick);
        }
        QVERIFY2(maxPolyphony(notes) <= limits.maxPolyphony,
                 qPrintable(QString::number(maxPolyphony(notes))));
    }
}

} // namespace

class TestGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void performanceNotesKeepEveryConstraint()
    {
        Model model = performanceModel();
        const GenerationSettings settings = constrainedSettings();
        PlainJobContext context;
        for (std::uint64_t rng : { 1, 2, 3 }) {
            GenerationSettings s = settings;
            s.rngSeed = rng;
            const Generation generation = generateContinuations(model, seedScore(), s, context);
            checkConstraints(generation, s, true);
            for (const Score &score : generation.variations)
                for (const Note &note : continuation(score))
                    QVERIFY2(note.endSec - note.startSec <= s.constraints.maxNoteSeconds + 0.011,
                             qPrintable(QString::number(note.endSec - note.startSec)));
        }
    }

    void notesAndCompoundNotesKeepEveryConstraint()
    {
        for (const char *representation : { "notes", "compound" }) {
            Model model = modelNamed(representation);
            PlainJobContext context;
            for (std::uint64_t rng : { 1, 2, 3 }) {
                GenerationSettings s = constrainedSettings();
                s.rngSeed = rng;
                const Generation generation = generateContinuations(model, seedScore(), s, context);
                checkConstraints(generation, s, true);
                // No generated note strikes a key that still sounds, in the seed or the continuation.
                for (const Score &score : generation.variations)
                    for (const Note &note : continuation(score))
                        for (const Note &other : score.notes)
                            if (&other != &note && other.pitch == note.pitch && other != note)
                                QVERIFY(other.endTick <= note.startTick || other.startTick >= note.endTick);
            }
        }
    }

    void aLongContinuationStreamsSteadily()
    {
        // 2,000 notes outgrow the Transformer's window many times over (the cache's rule keeps the
        // opening and the latest steps): every note streams, and the rate of each half is printed.
        Model model = compoundModel("small");
        GenerationSettings s;
        s.unit = LengthUnit::Notes;
        s.length = 2000;
        s.variations = 1;
        std::vector<double> at; // seconds since the start of each streamed note
        const auto start = std::chrono::steady_clock::now();
        PlainJobContext context;
        const Generation generation =
            generateContinuations(model, seedScore(), s, context, [&](int, const Note &) {
                at.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            });
        QCOMPARE(continuation(generation.variations[0]).size(), std::size_t(2000));
        QCOMPARE(at.size(), std::size_t(2000));
        const double first = at[999] - at[0], second = at[1999] - at[1000];
        qInfo("first 1,000 notes in %.2f s, next 1,000 in %.2f s (%.0f notes/s)", first, second,
              1000 / second);
    }

    void theBaselineGeneratesThroughAWindow()
    {
        Model model = notesModel("baseline");
        GenerationSettings s = constrainedSettings();
        s.length = 40;
        PlainJobContext context;
        checkConstraints(generateContinuations(model, seedScore(), s, context), s, true);
    }

    void lengthsInEventsBarsAndSeconds()
    {
        PlainJobContext context;
        for (const char *representation : { "performance", "notes", "compound" }) {
            Model model = modelNamed(representation);
            const Score seed = seedScore();
            GenerationSettings s;
            s.unit = LengthUnit::Bars;
            s.length = 2;
            Generation bars = generateContinuations(model, seed, s, context);
            const std::vector<Note> notes = continuation(bars.variations[0]);
            QVERIFY(!notes.empty());
            for (const Note &note : notes)
                QVERIFY(note.endTick <= seed.endTick + 2 * 1920);
            QVERIFY(bars.variations[0].endTick <= seed.endTick + 2 * 1920);

            s.unit = LengthUnit::Seconds;
            s.length = 3.0;
            for (const Note &note :
                 continuation(generateContinuations(model, seed, s, context).variations[0]))
                QVERIFY(note.endSec <= seed.durationSec() + 3.0 + 1e-6);

            s.unit = LengthUnit::Events;
            s.length = 37;
            QCOMPARE(generateContinuations(model, seed, s, context).steps, std::int64_t(37));
        }
    }

    void theSameSettingsGiveTheSameNotes()
    {
        PlainJobContext context;
        for (const char *representation : { "performance", "notes", "compound" }) {
            Model model = modelNamed(representation);
            GenerationSettings s = constrainedSettings();
            s.sampling.topK = 20;
            s.sampling.topP = 0.95;
            s.repetitionPenalty = 1.5;
            s.noRepeatNgram = 4;
            s.rngSeed = 11;
            const Generation a = generateContinuations(model, seedScore(), s, context);
            const Generation b = generateContinuations(model, seedScore(), s, context);
            for (int v = 0; v < s.variations; ++v)
                QCOMPARE(continuation(a.variations[std::size_t(v)]),
                         continuation(b.variations[std::size_t(v)]));
            QVERIFY(continuation(a.variations[0]) != continuation(a.variations[1]));
            s.rngSeed = 12;
            QVERIFY(continuation(generateContinuations(model, seedScore(), s, context).variations[0])
                    != continuation(a.variations[0]));
        }
    }

    void stayingCloseBringsTheSeedsPhraseBack()
    {
        PlainJobContext context;
        for (const char *representation : { "performance", "notes", "compound" }) {
            Model model = modelNamed(representation);
            model.setPieceMemory(trustingMemory(model.spec().headSizes.size(), 0.97));
            GenerationSettings s;
            s.length = 24;
            s.variations = 2;
            s.rngSeed = 5;
            s.holdRegister = s.holdKey = s.holdRhythm = 0; // the seed's classes would come back held
            const auto phraseShare = [&](double stayClose) -> double { // -1: no notes
                s.stayClose = stayClose;
                const Generation generation = generateContinuations(model, phraseSeed(), s, context);
                int inPhrase = 0, notes = 0;
                for (const Score &score : generation.variations)
                    for (const Note &note : continuation(score)) {
                        ++notes;
                        inPhrase +=
                            std::count(std::begin(kPhrase), std::end(kPhrase), note.pitch) > 0 ? 1 : 0;
                    }
                return notes > 0 ? double(inPhrase) / notes : -1.0;
            };
            const double alone = phraseShare(0.0), close = phraseShare(1.0), half = phraseShare(0.5);
            qInfo("%s: share of notes from the seed's phrase: %.2f alone, %.2f at 0.5, %.2f at 1",
                  representation, alone, half, close);
            QVERIFY2(close > 0.6 && close > alone + 0.3, representation);
            QVERIFY2(alone >= 0 && alone < 0.4, representation);
            QVERIFY2(half > alone, representation);
        }
    }

    void stayingCloseNeedsAStrengthFrom0To1()
    {
        GenerationSettings s;
        s.stayClose = 1.5;
        QVERIFY_THROWS_EXCEPTION(GenerationError, s.validate());
        s.stayClose = -0.1;
        QVERIFY_THROWS_EXCEPTION(GenerationError, s.validate());
        s.stayClose = 0.5;
        s.validate();
        QVERIFY(s.describe(Representation::Compound).find("stay-close=0.5") != std::string::npos);
    }

    void theRecentOnlySourceReadsOnlyTheLatestSteps_data()
    {
        QTest::addColumn<bool>("beatPhase");
        QTest::newRow("steps") << false;
        QTest::newRow("steps and positions in the beat") << true;
    }

    void theRecentOnlySourceReadsOnlyTheLatestSteps()
    {
        // Primed with 40 steps, it predicts as the network does from the latest 16 alone (whose first
        // step's time, for a network reading positions in the beat, is its position in the beat).
        QFETCH(bool, beatPhase);
        Model model = compoundModel("tiny", beatPhase);
        std::mt19937 rng(9);
        std::vector<std::int64_t> steps;
        for (int i = 0; i < 40; ++i)
            steps.insert(steps.end(), { std::int64_t(rng() % 5), 60 + std::int64_t(rng() % 12),
                                        1 + std::int64_t(rng() % 24), std::int64_t(rng() % 32) });
        auto recent = generation::StepSource::recentOnly(model, 1, kFollowSeedRecentSteps);
        QVERIFY(recent);
        recent->prime(steps);
        if (beatPhase)
            nn::alignToLikeliestBeat(transformerOf(model), steps, steps.size());
        std::vector<std::int32_t> latest(steps.end() - kFollowSeedRecentSteps * 4, steps.end());
        if (beatPhase)
            latest[0] = std::int32_t(beatphase::onsetOfStep(steps.data(), 40 - kFollowSeedRecentSteps) % 12);
        const auto expected = model.nextStepLogProbabilities(latest);
        const auto classes = std::int64_t(expected[0].size());
        const torch::Tensor got =
            torch::log_softmax(torch::from_blob(recent->headLogits(0, 0, nullptr), { classes }), 0);
        const double error = (got - torch::tensor(expected[0])).abs().max().item<double>();
        QVERIFY2(error < 3e-2, qPrintable(QString::number(error))); // fast arithmetic, as generation's
        const auto whole =
            model.nextStepLogProbabilities(std::vector<std::int32_t>(steps.begin(), steps.end()));
        QVERIFY((got - torch::tensor(whole[0])).abs().max().item<double>() > 1e-3); // not the whole context
        QVERIFY(!generation::StepSource::recentOnly(*std::make_unique<Model>(notesModel()), 1, 16));
    }

    void followingTheSeedContrastsTheLatestNotes()
    {
        PlainJobContext context;
        Model compound = compoundModel();
        GenerationSettings s;
        s.length = 24;
        s.variations = 2;
        s.rngSeed = 5;
        s.holdRegister = s.holdKey = s.holdRhythm =
            0; // an untrained model's flat logits would follow them alone
        QCOMPARE(s.followSeed, 2.0); // the default, chosen on bench continuation
        s.followSeed = 0;
        const Generation off = generateContinuations(compound, seedScore(), s, context);
        s.followSeed = 2;
        const Generation on = generateContinuations(compound, seedScore(), s, context);
        const Generation again = generateContinuations(compound, seedScore(), s, context);
        QVERIFY(continuation(on.variations[0]) != continuation(off.variations[0]));
        QCOMPARE(continuation(on.variations[0]), continuation(again.variations[0]));
        QVERIFY(on.settingsText.find("follow-seed=2") != std::string::npos);
        // After a seed, when and which note are contrasted; in a gap, which note alone.
        using generation::followSeedWeights;
        QCOMPARE(followSeedWeights(compound.spec(), 2.0, generation::PromptKind::Seed),
                 (std::vector<double> { -2.0, -2.0, 0.0, 0.0 }));
        QCOMPARE(followSeedWeights(compound.spec(), 2.0, generation::PromptKind::Gap),
                 (std::vector<double> { 0.0, -2.0, 0.0, 0.0 }));
        // An LSTM has no recent-only reading: the setting leaves its notes as they are.
        notesModelIgnores(s, &GenerationSettings::followSeed, 2.0);
        refusesOutsideZeroToFour(s, &GenerationSettings::followSeed);
    }

    void holdingTheRegisterKeepsTheSeedsRange()
    {
        // An untrained model plays anywhere; held at 4 (16 nats per semitone beyond its range) it
        // stays within the seed's D3-A4 (50-69), a semitone or two outside at most.
        QCOMPARE(GenerationSettings().holdRegister, 0.5); // the default, chosen on bench continuation
        Model compound = compoundModel();
        GenerationSettings s;
        s.length = 32;
        const auto outside = [&](double hold, int margin) {
            const std::vector<Note> notes =
                heldContinuations(compound, s, &GenerationSettings::holdRegister, hold);
            const auto count = std::count_if(notes.begin(), notes.end(), [margin](const Note &note) {
                return note.pitch < 50 - margin || note.pitch > 69 + margin;
            });
            return double(count) / double(std::max<std::size_t>(1, notes.size()));
        };
        QVERIFY(outside(0.0, 0) > 0.5);
        QCOMPARE(outside(4.0, 2), 0.0);
        checkHoldSetting(&GenerationSettings::holdRegister, "hold-register");
    }

    void holdingTheKeyKeepsTheSeedsPitchClasses()
    {
        // An untrained model plays every pitch class; held to the seed's D minor melody and chords
        // its notes' classes come close to the seed's shares.
        QCOMPARE(GenerationSettings().holdKey, 1.0); // the default, chosen on bench continuation
        Model compound = compoundModel();
        GenerationSettings s;
        s.length = 48;
        const Score seed = seedScore();
        std::array<double, 12> seedShares {};
        for (const Note &note : seed.notes)
            seedShares[std::size_t(note.pitch % 12)] += 1.0 / double(seed.notes.size());
        const auto overlap = [&](double hold) { // of the continuations' classes with the seed's
            const std::vector<Note> notes =
                heldContinuations(compound, s, &GenerationSettings::holdKey, hold);
            std::array<double, 12> counts {};
            for (const Note &note : notes)
                counts[std::size_t(note.pitch % 12)] += 1.0;
            double sum = 0;
            for (std::size_t c = 0; c < 12; ++c)
                sum += std::min(seedShares[c], counts[c] / double(std::max<std::size_t>(1, notes.size())));
            return sum;
        };
        const double free = overlap(0.0), held = overlap(4.0);
        qInfo("pitch-class overlap with the seed: %.2f free, %.2f held", free, held);
        QVERIFY(held > free + 0.2);
        checkHoldSetting(&GenerationSettings::holdKey, "hold-key");
    }

    void holdingTheRhythmKeepsTheSeedsNotesPerBeat()
    {
        // The seed plays 22 notes in two bars; an untrained model draws far longer steps, unless
        // held to the seed's rhythm.
        QCOMPARE(GenerationSettings().holdRhythm, 2.0); // the default, chosen on bench continuation
        Model compound = compoundModel();
        GenerationSettings s;
        s.length = 2;
        s.unit = LengthUnit::Bars;
        const auto notes = [&](double hold) {
            return double(heldContinuations(compound, s, &GenerationSettings::holdRhythm, hold).size());
        };
        const double free = notes(0.0), held = notes(4.0);
        qInfo("notes in 4 x 2 bars: %.0f free, %.0f held (at the seed's pace: 88)", free, held);
        QVERIFY(std::abs(std::log2(held / 88)) < 0.5 * std::abs(std::log2(free / 88)));
        checkHoldSetting(&GenerationSettings::holdRhythm, "hold-rhythm");
    }

    void aSeedInThirtySecondsIsContinuedOnItsGrid()
    {
        // Thirty-second notes, 60 ticks at 480 a quarter, are 1.5 units of the 1/12-quarter grid
        // (40 ticks): read twice as finely, the continuation's onsets fall on 20 ticks, some between
        // the grid's units as the seed's do. A seed in sixteenths keeps the grid.
        Model compound = compoundModel();
        GenerationSettings s;
        s.length = 2;
        s.unit = LengthUnit::Bars;
        s.variations = 2;
        PlainJobContext context;
        const auto onsetsOffTheGrid = [&](std::int64_t step, std::int64_t grid) {
            Score seed = seedScore();
            seed.notes.clear();
            for (int i = 0; i < 32; ++i)
                seed.notes.push_back(noteOf(62 + i % 8, 80, i * step, i * step + step));
            seed.endTick = 32 * step;
            seed.updateSeconds();
            int off = 0, notes = 0;
            for (const Score &score : generateContinuations(compound, seed, s, context).variations)
                for (const Note &note : continuation(score)) {
                    off += note.startTick % grid != 0 ? 1 : 0;
                    ++notes;
                }
            return notes > 0 ? off : -1; // -1: nothing was played
        };
        QCOMPARE(onsetsOffTheGrid(60, 20), 0);
        QVERIFY(onsetsOffTheGrid(60, 40) > 0);
        QCOMPARE(onsetsOffTheGrid(120, 40), 0);
    }

    void blendingMixesTwoModels()
    {
        PlainJobContext context;
        for (const char *representation : { "notes", "compound" }) {
            Model a = modelNamed(representation);
            Model b(a.spec(), 4); // the same network, other weights
            GenerationSettings s = constrainedSettings();
            s.followSeed = 0; // the blend alone: at weight 1 it is the second model
            s.length = 40;
            s.variations = 2;
            const auto notesOf = [&](Model *blend, double weight, BlendHeads heads = BlendHeads::All) {
                s.blendWeight = weight;
                s.blendHeads = heads;
                const Generation generation = generateContinuations(a, seedScore(), s, context, {}, blend);
                checkConstraints(generation, s, true);
                return continuation(generation.variations[1]);
            };
            const std::vector<Note> alone = notesOf(nullptr, 0.5);
            QCOMPARE(notesOf(&b, 0.0), alone); // all of the first model
            s.blendWeight = 0.5;
            const std::vector<Note> other =
                continuation(generateContinuations(b, seedScore(), s, context).variations[1]);
            QCOMPARE(notesOf(&b, 1.0), other); // all of the second
            const std::vector<Note> half = notesOf(&b, 0.5);
            QVERIFY2(half != alone && half != other, representation);
            QCOMPARE(notesOf(&b, 0.5), half); // reproducible
            QVERIFY2(notesOf(&b, 1.0, BlendHeads::Pitch) != other,
                     representation); // timing stays the first's
        }
    }

    void aBlendNeedsModelsThatReadMusicAlike()
    {
        PlainJobContext context;
        Model notes = notesModel(), compound = compoundModel(), performance = performanceModel();
        GenerationSettings s;
        s.length = 8;
        QVERIFY_THROWS_EXCEPTION(GenerationError,
                                 generateContinuations(notes, seedScore(), s, context, {}, &compound));
        Model otherPerformance(performance.spec(), 9);
        s.blendHeads = BlendHeads::Pitch;
        QVERIFY_THROWS_EXCEPTION(GenerationError, generateContinuations(performance, seedScore(), s, context,
                                                                        {}, &otherPerformance));
        s.blendHeads = BlendHeads::All;
        QCOMPARE(int(generateContinuations(performance, seedScore(), s, context, {}, &otherPerformance)
                         .variations.size()),
                 1);
        s.blendWeight = 1.5;
        QVERIFY_THROWS_EXCEPTION(GenerationError, s.validate());
        for (const BlendHeads heads : { BlendHeads::All, BlendHeads::Pitch, BlendHeads::Timing })
            QCOMPARE(blendHeadsFromName(blendHeadsName(heads)), heads);
        QVERIFY_THROWS_EXCEPTION(GenerationError, blendHeadsFromName("rhythm"));
    }

    void theResultCarriesSeedSettingsAndTime()
    {
        Model model = notesModel();
        GenerationSettings s;
        s.length = 20;
        s.rngSeed = 99;
        s.modelName = "tiny.ckpt";
        PlainJobContext context;
        const Score seed = seedScore();
        const Generation generation = generateContinuations(model, seed, s, context);
        const Score &score = generation.variations[0];
        QCOMPARE(score.parts.size(), std::size_t(2));
        QCOMPARE(score.parts[kSeedPart].name, std::string("Seed"));
        QCOMPARE(score.parts[kContinuationPart].name, std::string("Continuation"));
        QCOMPARE(score.keySignatures, seed.keySignatures);
        QCOMPARE(score.timeSignatures, seed.timeSignatures);
        QCOMPARE(score.tempoMap.changes(), seed.tempoMap.changes());
        QCOMPARE(std::count_if(score.notes.begin(), score.notes.end(),
                               [](const Note &n) { return n.part == kSeedPart; }),
                 std::ptrdiff_t(seed.notes.size()));
        QCOMPARE(score.texts.size(), std::size_t(1));
        const std::string &text = score.texts[0].text;
        for (const char *field :
             { "model=tiny.ckpt", "representation=notes", "rng=99", "temperature=1", "variation=1" })
            QVERIFY2(text.find(field) != std::string::npos, text.c_str());
        QCOMPARE(generation.seedEndTick, seed.endTick);
        // After a ritardando at its end, the continuation goes on at the seed's mean pace.
        Score slowing = seed;
        slowing.tempoMap = TempoMap(480, { { 0, 666667 }, { 2880, 1000000 } });
        slowing.updateSeconds();
        const Score slowed = generateContinuations(model, slowing, s, context).variations[0];
        QCOMPARE(slowed.tempoMap.usPerQuarterAt(seed.endTick - 1), 1000000u);
        QCOMPARE(slowed.tempoMap.usPerQuarterAt(seed.endTick),
                 seedWithSteadyPace(slowing).tempoMap.usPerQuarterAt(seed.endTick));
        QVERIFY(slowed.tempoMap.usPerQuarterAt(seed.endTick) < 800000u);
    }

    void streamedNotesAreTheResult()
    {
        for (const char *representation : { "performance", "compound" }) {
            Model model = modelNamed(representation);
            GenerationSettings s = constrainedSettings();
            std::map<int, std::vector<Note>> streamed;
            PlainJobContext context;
            const Generation generation =
                generateContinuations(model, seedScore(), s, context, [&](int variation, const Note &note) {
                    streamed[variation].push_back(note);
                });
            for (int v = 0; v < s.variations; ++v) {
                std::vector<Note> notes = streamed[v];
                std::stable_sort(notes.begin(), notes.end(), noteOrder);
                QCOMPARE(notes, continuation(generation.variations[std::size_t(v)]));
            }
        }
    }

    void cancelStopsPromptly()
    {
        Model model = notesModel("small");
        GenerationSettings s;
        s.length = 10000;
        s.variations = 8;
        std::atomic<bool> firstNote { false };
        std::atomic<bool> cancelled { false };
        JobRunner runner;
        JobCallbacks<Generation> callbacks;
        callbacks.cancelled = [&] { cancelled = true; };
        const Score seed = seedScore();
        runner.start<Generation>(
            [&](JobContext &context) {
                return generateContinuations(model, seed, s, context,
                                             [&](int, const Note &) { firstNote = true; });
            },
            callbacks);
        while (!firstNote)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto asked = std::chrono::steady_clock::now();
        runner.cancel();
        QVERIFY(runner.waitFor(std::chrono::seconds(10)));
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - asked).count();
        qInfo("cancel took %.2f ms", ms);
        QVERIFY(cancelled);
        QVERIFY2(ms < 100.0, qPrintable(QString::number(ms)));
    }

    void constraintsThatLeaveNothingAreAClearError()
    {
        Model model = notesModel();
        GenerationSettings s;
        s.constraints.setRange("C0-B1"); // the vocabulary starts at C2
        PlainJobContext context;
        try {
            generateContinuations(model, seedScore(), s, context);
            QFAIL("generation went on with nothing to play");
        } catch (const GenerationError &error) {
            QVERIFY2(std::string(error.what()).find("range C0-B1") != std::string::npos, error.what());
        }
        Score empty = seedScore();
        empty.notes.clear();
        QVERIFY_THROWS_EXCEPTION(GenerationError,
                                 generateContinuations(model, empty, GenerationSettings {}, context));
        GenerationSettings bad;
        bad.variations = 9;
        QVERIFY_THROWS_EXCEPTION(GenerationError, generateContinuations(model, seedScore(), bad, context));
    }

    void blasRunsSingleThreadedWhileGenerating()
    {
        using GetThreads = int (*)();
        const auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
        if (!get)
            QSKIP("LibTorch's BLAS here is not OpenBLAS");
        const int before = get();
        {
            const SingleThreadedBlas single;
            QCOMPARE(get(), 1);
        }
        QCOMPARE(get(), before);
    }

    void theSeedIsReadOnceIntoEveryVariation()
    {
        // After priming, the source's scores for every sequence equal the network's full pass (the
        // Transformer's later heads given the earlier heads' most likely tokens, as that pass takes them).
        for (const char *name : { "performance", "notes", "compound" }) {
            Model model = modelNamed(name, "small");
            const std::vector<std::int64_t> steps =
                generation::seedSteps(seedScore(), model.spec().representation, model.spec().vocabulary);
            const auto expected =
                model.nextStepLogProbabilities(std::vector<std::int32_t>(steps.begin(), steps.end()));
            std::vector<std::int64_t> drawn;
            for (const std::vector<float> &head : expected)
                drawn.push_back(std::max_element(head.begin(), head.end()) - head.begin());
            auto source = generation::StepSource::forModel(model, 3, true);
            source->prime(steps);
            for (std::size_t h = 0; h < expected.size(); ++h)
                for (std::int64_t b = 0; b < 3; ++b) {
                    const float *row = source->headLogits(b, h, drawn.data());
                    const auto classes = std::int64_t(expected[h].size());
                    const torch::Tensor got =
                        torch::log_softmax(torch::from_blob(const_cast<float *>(row), { classes }), 0);
                    const torch::Tensor want = torch::tensor(expected[h]);
                    QVERIFY2(torch::allclose(got, want, 1e-4, 1e-4), name);
                }
        }
    }

    void theTransformerStepsAsItsFullPassReads_data()
    {
        QTest::addColumn<bool>("exact");
        QTest::addColumn<bool>("beatPhase");
        QTest::newRow("exact") << true << false;
        QTest::newRow("fast") << false << false;
        QTest::newRow("exact, positions in the beat") << true << true;
    }

    void theTransformerStepsAsItsFullPassReads()
    {
        // Step by step through the key/value cache, two sequences at once, against the full pass
        // over the same steps (a network reading positions in the beat: from the beat fitted to the seed).
        QFETCH(bool, beatPhase);
        Model model = compoundModel("tiny", beatPhase);
        const std::vector<std::int64_t> seed =
            generation::seedSteps(seedScore(), model.spec().representation, model.spec().vocabulary);
        QFETCH(bool, exact);
        auto source = generation::StepSource::forModel(model, 2, exact);
        source->prime(seed);
        std::vector<std::int64_t> all = seed;
        std::mt19937 rng(5);
        for (int i = 0; i < 40; ++i) {
            std::vector<std::int64_t> step { std::int64_t(rng() % 5), 60 + std::int64_t(rng() % 12),
                                             1 + std::int64_t(rng() % 24), std::int64_t(rng() % 32) };
            if (beatPhase && (i == 10 || i == 20)) // a gap to fill: its notes are timed from its start
                step = { i == 10 ? 7 : 0, i == 10 ? compoundrepr::kFillMarker : compoundrepr::kMiddleMarker,
                         0, 0 };
            all.insert(all.end(), step.begin(), step.end());
            std::vector<std::int64_t> both = step;
            both.insert(both.end(), step.begin(), step.end());
            source->step(both.data());
        }
        if (beatPhase)
            nn::alignToLikeliestBeat(transformerOf(model), all, seed.size() / 4);
        const auto expected =
            model.nextStepLogProbabilities(std::vector<std::int32_t>(all.begin(), all.end()));
        const auto classes = std::int64_t(expected[0].size());
        // Fast arithmetic (bfloat16 weights, where the CPU has them) stays within a few hundredths
        // of a nat of float32 on every class; exact arithmetic within rounding.
        const double tolerance = exact ? 1e-4 : 3e-2;
        for (std::int64_t b = 0; b < 2; ++b) {
            const torch::Tensor got =
                torch::log_softmax(torch::from_blob(source->headLogits(b, 0, nullptr), { classes }), 0);
            const double error = (got - torch::tensor(expected[0])).abs().max().item<double>();
            qInfo("%s arithmetic: largest difference %.2g nats", exact ? "exact" : "fast", error);
            QVERIFY2(error < tolerance, qPrintable(QString::number(error)));
        }
    }
};

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
