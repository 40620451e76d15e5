// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for piece memory (the match model over the piece being read) and whole-file evaluation.
#include "core/error.h"
#include "nn/model.h"
#include "nn/piecememory.h"
#include "train/evaluation.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace continuo;

namespace {

PieceMatcher matcherOf(const std::vector<std::int32_t> &tokens)
{
    PieceMatcher matcher(1);
    for (const std::int32_t token : tokens)
        matcher.append(&token);
    return matcher;
}

/// A notes vocabulary of single pitches 48..84: token = pitch - 47.
std::vector<std::string> singlePitches()
{
    std::vector<std::string> vocabulary;
    for (int pitch = 48; pitch <= 84; ++pitch)
        vocabulary.push_back(std::to_string(pitch));
    return vocabulary;
}

/// Notes files (three heads) that each play a random melody of 24 steps four times, each time in
/// another key (up 5, down 3, up 2 semitones from the first), with the same rhythm.
TokenCorpus transposingCorpus(int files)
{
    TokenCorpus corpus;
    corpus.heads = 3;
    std::mt19937 rng(11);
    for (int f = 0; f < files; ++f) {
        std::vector<std::int32_t> pitches(24), offsets(24), durations(24);
        for (int i = 0; i < 24; ++i) {
            pitches[i] = 58 + std::int32_t(rng() % 12);
            offsets[i] = 3 * std::int32_t(1 + rng() % 4);
            durations[i] = 3 * std::int32_t(1 + rng() % 4);
        }
        std::vector<std::int32_t> steps;
        for (const int shift : { 0, 5, -3, 2 })
            for (int i = 0; i < 24; ++i)
                steps.insert(steps.end(), { pitches[i] + shift - 47, offsets[i], durations[i] });
        corpus.sequences.push_back(steps);
        corpus.files.emplace_back("melody" + std::to_string(f));
    }
    return corpus;
}

/// Files that each play a random phrase of 40 one-head steps (tokens 0..15) four times.
TokenCorpus repeatingCorpus(int files)
{
    TokenCorpus corpus;
    std::mt19937 rng(7);
    for (int f = 0; f < files; ++f) {
        std::vector<std::int32_t> phrase(40);
        for (std::int32_t &token : phrase)
            token = std::int32_t(rng() % 16);
        std::vector<std::int32_t> steps;
        for (int r = 0; r < 4; ++r)
            steps.insert(steps.end(), phrase.begin(), phrase.end());
        corpus.sequences.push_back(steps);
        corpus.files.emplace_back("phrase" + std::to_string(f));
    }
    return corpus;
}

/// Compound steps (time, pitch, duration, velocity) of a random melody of 24 notes played at each
/// of `shifts`, with the same rhythm and new velocities every time, as a performer plays it.
std::vector<std::int32_t> compoundMelody(const std::vector<int> &shifts)
{
    std::mt19937 rng(5);
    std::vector<std::int32_t> pitches(24), times(24), durations(24);
    for (int i = 0; i < 24; ++i) {
        pitches[i] = 58 + std::int32_t(rng() % 12);
        times[i] = 3 * std::int32_t(1 + rng() % 4);
        durations[i] = 3 * std::int32_t(1 + rng() % 4);
    }
    std::vector<std::int32_t> steps;
    for (const int shift : shifts)
        for (int i = 0; i < 24; ++i)
            steps.insert(steps.end(),
                         { times[i], pitches[i] + shift, durations[i], std::int32_t(rng() % 32) });
    return steps;
}

} // namespace

class TestPieceMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matcherPredictsWhatFollowedTheLongestEarlierRun()
    {
        PieceMatcher matcher = matcherOf({ 1, 2, 3, 4, 1, 2, 3 });
        PieceMatcher::Prediction prediction = matcher.predict();
        QCOMPARE(prediction.length, 3);
        QCOMPARE(prediction.step[0], 4);
        const std::int32_t fresh = 9;
        matcher.append(&fresh);
        QCOMPARE(matcher.predict().length, 0);
        // "5" was followed by 6, then by 7: on a tie the latest occurrence wins.
        const PieceMatcher twice = matcherOf({ 5, 6, 5, 7, 5 });
        prediction = twice.predict();
        QCOMPARE(prediction.length, 1);
        QCOMPARE(prediction.step[0], 7);
        // "1" was followed by 2 twice and by 3 once: the most frequent follower wins.
        QCOMPARE(matcherOf({ 1, 2, 1, 2, 1, 3, 1 }).predict().step[0], 2);
        QCOMPARE(matcherOf({}).predict().length, 0);
    }

    void matcherMatchesWholeSteps()
    {
        PieceMatcher matcher(2);
        for (const std::vector<std::int32_t> &step :
             { std::vector<std::int32_t> { 1, 1 }, { 2, 2 }, { 1, 3 } })
            matcher.append(step.data());
        QCOMPARE(matcher.predict().length, 0); // (1, 3) never came before, though 1 did
        const std::int32_t again[] = { 1, 1 };
        matcher.append(again);
        QCOMPARE(matcher.predict().length, 1);
        QCOMPARE(matcher.predict().step[1], 2);
    }

    void matchesAreCappedAndFollowLongRepeats()
    {
        std::vector<std::int32_t> tokens;
        for (int r = 0; r < 3; ++r)
            for (int i = 0; i < 50; ++i)
                tokens.push_back(i);
        const PieceMatcher matcher = matcherOf(tokens);
        QCOMPARE(matcher.predict().length, PieceMatcher::kMaxMatch);
        QCOMPARE(matcher.predict().step[0], 0);
    }

    void fitTrustsLongRunsOfRepeatingMusic()
    {
        const TokenCorpus corpus = repeatingCorpus(6);
        const PieceMemory memory = PieceMemory::fit(corpus, { 0, 1, 2, 3, 4, 5 }, RecallLayout::whole(1), {});
        QCOMPARE(int(memory.trust.size()), 1);
        QCOMPARE(int(memory.trust[0].size()), PieceMatcher::kMaxMatch + 1);
        QCOMPARE(memory.trust[0][0], 0.0);
        qInfo("trust after 1, 2, 8 and 32 matched steps: %.3f %.3f %.3f %.3f", memory.trust[0][1],
              memory.trust[0][2], memory.trust[0][8], memory.trust[0][32]);
        QVERIFY(memory.trust[0][32] > 0.95);
        QVERIFY(memory.trust[0][1] < memory.trust[0][32]);
    }

    void mixingKeepsADistribution()
    {
        PieceMemory memory;
        memory.trust = { std::vector<double>(PieceMatcher::kMaxMatch + 1, 0.75) };
        memory.trust[0][0] = 0;
        const ChordShapes none;
        PieceRecall recall(RecallLayout::whole(1), none);
        for (const std::int32_t token : { 3, 4, 3 })
            recall.append(&token);
        std::vector<float> logProbabilities(10, float(std::log(0.1)));
        memory.mix(0, recall, logProbabilities.data(), 10);
        double sum = 0;
        for (const float lp : logProbabilities)
            sum += std::exp(double(lp));
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
        QVERIFY(std::abs(std::exp(double(logProbabilities[4])) - (0.75 + 0.25 * 0.1)) < 1e-5);
        std::vector<float> half(logProbabilities.size(), float(std::log(0.1)));
        memory.mix(0, recall, half.data(), 10, 0.0);
        QCOMPARE(half[4], float(std::log(0.1))); // strength 0: the network alone
    }

    void memoryTravelsInTheCheckpoint()
    {
        QTemporaryDir dir;
        const TokenCorpus corpus = repeatingCorpus(3);
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        QVERIFY(model.pieceMemory().empty());
        model.setPieceMemory(PieceMemory::fit(corpus, { 0, 1, 2 }, RecallLayout::whole(1), {}));
        const std::string path = dir.filePath("m.ckpt").toStdString();
        model.save(path);
        const Model loaded = Model::load(path);
        QCOMPARE(loaded.pieceMemory().trust, model.pieceMemory().trust);
        PieceMemory wrong = model.pieceMemory();
        wrong.trust.push_back(wrong.trust[0]);
        QVERIFY_THROWS_EXCEPTION(ModelError, model.setPieceMemory(wrong));
        wrong.trust.pop_back();
        wrong.trust[0][3] = 1.0;
        QVERIFY_THROWS_EXCEPTION(ModelError, model.setPieceMemory(wrong));
    }

    void wholeFileEvaluationCarriesTheStateAcrossChunks()
    {
        const TokenCorpus corpus = repeatingCorpus(3);
        PlainJobContext context;
        for (const char *preset : { "tiny", "baseline" }) {
            Model model(ModelSpec::preset(preset, Representation::Performance, { 16 }), 3);
            const ModelEvaluation small = evaluateFiles(model, corpus, { 0, 1, 2 }, 7, "cpu", context);
            const ModelEvaluation whole = evaluateFiles(model, corpus, { 0, 1, 2 }, 1000, "cpu", context);
            QCOMPARE(small.steps, std::size_t(3 * 159));
            QCOMPARE(small.files, std::size_t(3));
            QVERIFY2(std::abs(small.network.validLoss - whole.network.validLoss) < 1e-5, preset);
            QCOMPARE(small.network.heads[0].top1, whole.network.heads[0].top1);
            QVERIFY(!small.withMemory);
        }
    }

    void pieceMemoryPredictsTheRepeats()
    {
        const TokenCorpus corpus = repeatingCorpus(8);
        PlainJobContext context;
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }), 3);
        model.setPieceMemory(PieceMemory::fit(corpus, { 0, 1, 2, 3, 4, 5 }, RecallLayout::whole(1), {}));
        const ModelEvaluation e = evaluateFiles(model, corpus, { 6, 7 }, 64, "cpu", context);
        QVERIFY(e.withMemory);
        qInfo("untrained network: loss %.3f, top-1 %.3f; with piece memory: loss %.3f, top-1 %.3f",
              e.network.validLoss, e.network.heads[0].top1, e.withMemory->validLoss,
              e.withMemory->heads[0].top1);
        // Three of the four passes of each phrase can be copied.
        QVERIFY(e.withMemory->heads[0].top1 > 0.7);
        QVERIFY(e.withMemory->validLoss < e.network.validLoss - 1.0);
        QVERIFY(e.network.heads[0].top1 < 0.3);
    }

    void chordShapesAreTheSameInEveryKey()
    {
        const ChordShapes shapes({ "60.64.67", "62.66.69", "60", "65.69.72", "60.63.67" });
        QVERIFY(!shapes.empty());
        QCOMPARE(shapes.shapeOf(1).id, shapes.shapeOf(2).id); // C and D major
        QCOMPARE(shapes.shapeOf(2).lowest, 62);
        QVERIFY(shapes.shapeOf(1).id != shapes.shapeOf(5).id); // C minor
        QVERIFY(shapes.shapeOf(1).id != shapes.shapeOf(3).id);
        QCOMPARE(shapes.shapeOf(0).id, -1); // unknown: no pitches
        QCOMPARE(shapes.tokenOf(shapes.shapeOf(1).id, 65), 4); // F major
        QCOMPARE(shapes.tokenOf(shapes.shapeOf(1).id, 61), -1); // C# major is not in the vocabulary
        QVERIFY(ChordShapes(std::vector<std::string>()).empty());
        QVERIFY_THROWS_EXCEPTION(ModelError, ChordShapes({ "sixty" }));
    }

    void recallRecognisesAPhraseInAnotherKey()
    {
        const TokenCorpus corpus = transposingCorpus(1);
        const ChordShapes shapes(singlePitches());
        PieceRecall recall(RecallLayout::whole(3), shapes);
        const std::vector<std::int32_t> &steps = corpus.sequences[0];
        int exactHits = 0, transposedHits = 0, transposedTries = 0;
        for (std::size_t t = 0; t < corpus.stepCount(0); ++t) {
            const std::int32_t *step = &steps[t * 3];
            if (t >= 24 + 4 && t < 48) { // the second pass, once a few steps of it were heard
                const PieceRecall::Guess guess = recall.transposed(0);
                transposedTries += 1;
                transposedHits += guess.value == step[0] ? 1 : 0;
                exactHits += recall.exact(0).value == step[0] ? 1 : 0;
                QCOMPARE(recall.transposed(1).value, step[1]); // the rhythm too
            }
            recall.append(step);
        }
        qInfo("second pass: transposed matcher %d of %d right, exact matcher %d", transposedHits,
              transposedTries, exactHits);
        QCOMPARE(transposedHits, transposedTries);
        QVERIFY(exactHits < transposedTries / 2);
    }

    void compoundRecallMatchesTimeAndPitchInAnyKey()
    {
        const RecallLayout layout = RecallLayout::of(Representation::Compound);
        QCOMPARE(layout.keyHeads, 2);
        const ChordShapes none;
        for (const int shift : { 0, 5 }) {
            const std::vector<std::int32_t> steps = compoundMelody({ 0, shift });
            PieceRecall recall(layout, none);
            QVERIFY(recall.transposes());
            int exactHits = 0, transposedHits = 0, tries = 0;
            for (std::size_t t = 0; t < steps.size() / 4; ++t) {
                const std::int32_t *step = &steps[t * 4];
                if (t >= 24 + 4) { // the second pass, once a few notes of it were heard
                    ++tries;
                    exactHits += recall.exact(1).value == step[1] ? 1 : 0;
                    transposedHits += recall.transposed(1).value == step[1] ? 1 : 0;
                    QCOMPARE(recall.transposed(0).value, step[0]);
                }
                recall.append(step);
            }
            qInfo("second pass %+d semitones: exact %d, transposed %d of %d pitches right", shift, exactHits,
                  transposedHits, tries);
            QCOMPARE(transposedHits, tries);
            // The velocities differ on every pass: only the time and pitch are matched.
            QCOMPARE(exactHits, shift == 0 ? tries : 0);
        }
    }

    void transposedMemoryTravelsAndHelps()
    {
        const TokenCorpus corpus = transposingCorpus(8);
        const PieceMemory memory =
            PieceMemory::fit(corpus, { 0, 1, 2, 3, 4, 5 }, RecallLayout::whole(3), singlePitches());
        QCOMPARE(int(memory.transposedTrust.size()), 3);
        QCOMPARE(int(memory.agreedTrust.size()), 3);
        QVERIFY(memory.transposedTrust[0][16] > 0.9);
        QVERIFY(PieceMemory::fit(corpus, { 0 }, RecallLayout::whole(3), {}).transposedTrust.empty());

        QTemporaryDir dir;
        ModelSpec spec = ModelSpec::preset("tiny", Representation::Notes, { 38, 97, 97 });
        spec.vocabulary = singlePitches();
        Model model(spec, 3);
        model.setPieceMemory(memory);
        const std::string path = dir.filePath("notes.ckpt").toStdString();
        model.save(path);
        Model loaded = Model::load(path);
        QCOMPARE(loaded.pieceMemory().transposedTrust, memory.transposedTrust);
        QCOMPARE(loaded.pieceMemory().agreedTrust, memory.agreedTrust);
        PieceMemory wrong = memory;
        wrong.transposedTrust[1].pop_back();
        QVERIFY_THROWS_EXCEPTION(ModelError, model.setPieceMemory(wrong));

        PlainJobContext context;
        const ModelEvaluation both = evaluateFiles(loaded, corpus, { 6, 7 }, 64, "cpu", context);
        PieceMemory exactOnly = memory;
        exactOnly.transposedTrust.clear();
        loaded.setPieceMemory(exactOnly);
        const ModelEvaluation exact = evaluateFiles(loaded, corpus, { 6, 7 }, 64, "cpu", context);
        qInfo("chord top-1 with the exact matcher %.3f, with both %.3f", exact.withMemory->heads[0].top1,
              both.withMemory->heads[0].top1);
        // Three of the four passes are transpositions of the first.
        QVERIFY(both.withMemory->heads[0].top1 > 0.6);
        QVERIFY(both.withMemory->heads[0].top1 > exact.withMemory->heads[0].top1 + 0.3);
    }

    void evaluationRejectsAnotherRepresentation()
    {
        TokenCorpus corpus = repeatingCorpus(1);
        corpus.heads = 3;
        PlainJobContext context;
        Model model(ModelSpec::preset("tiny", Representation::Performance, { 16 }));
        QVERIFY_THROWS_EXCEPTION(ModelError, evaluateFiles(model, corpus, { 0 }, 8, "cpu", context));
    }
};

QTEST_GUILESS_MAIN(TestPieceMemory)
#include "tst_piecememory.moc"
