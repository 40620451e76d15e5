// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for Model: presets, save and load (identical predictions), and clear errors for bad files.
#include "core/error.h"
#include "core/fileio.h"
#include "nn/checkpointfile.h"
#include "nn/internal/modelimpl.h"
#include "nn/internal/transformernet.h"
#include "nn/model.h"
#include "repr/compound.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstring>
#include <random>

using namespace continuo;
namespace fs = std::filesystem;

namespace {
/// Logits of head 0 at every step of a one-sequence input [T].
torch::Tensor allLogits(Model &model, const std::vector<int64_t> &tokens)
{
    torch::NoGradGuard noGrad;
    nn::ModelAccess::impl(model).net->eval();
    return nn::ModelAccess::impl(model)
        .net->logits(torch::tensor(tokens).view({ int64_t(tokens.size()), 1, 1 }))[0]
        .squeeze(1);
}

void randomizeWeights(Model &model)
{
    torch::NoGradGuard noGrad;
    for (auto &parameter : nn::ModelAccess::impl(model).net->parameters())
        parameter.uniform_(-0.5, 0.5);
}

std::string loadError(const fs::path &path)
{
    try {
        Model::load(path);
        return {};
    } catch (const ModelError &error) {
        return error.what();
    }
}
} // namespace

class TestModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void presetsAndChecks()
    {
        const ModelSpec small = ModelSpec::preset("small", Representation::Performance, { 388 });
        QCOMPARE(small.hiddenSize, 256);
        QCOMPARE(ModelSpec::preset("medium", Representation::Performance, { 388 }).layers, 3);
        QVERIFY_THROWS_EXCEPTION(ModelError, ModelSpec::preset("huge", Representation::Performance, { 388 }));
        QVERIFY_THROWS_EXCEPTION(ModelError, representationFromName("poetry"));
        QVERIFY_THROWS_EXCEPTION(ModelError, architectureFromName("transformers"));
        QCOMPARE(representationFromName(representationName(Representation::Notes)), Representation::Notes);
        QCOMPARE(architectureFromName(architectureName(Architecture::Logistic)), Architecture::Logistic);
        QVERIFY_THROWS_EXCEPTION(
            ModelError, Model(ModelSpec::preset("tiny", Representation::Notes, { 388 }))); // needs 3 heads
        ModelSpec notes = ModelSpec::preset("tiny", Representation::Notes, { 3, 97, 97 });
        notes.vocabulary = { "60" }; // 1 known chord + unknown = 2, not 3
        QVERIFY_THROWS_EXCEPTION(ModelError, Model { notes });
        QVERIFY(Model(small).parameterCount() > 1000000);
    }

    void saveAndLoadGiveTheSamePredictions()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "tiny.ckpt";
        const Model model(ModelSpec::preset("tiny", Representation::Performance, { 388 }), 7);
        ModelMetadata metadata;
        metadata.corpusFingerprint = 0xfedcba9876543210ull;
        metadata.metricsJson = R"([{"epoch":1,"valid_loss":3.5}])";
        model.save(path, metadata);
        QVERIFY(!fs::exists(path.string() + ".tmp"));

        ModelMetadata loadedMetadata;
        const Model loaded = Model::load(path, &loadedMetadata);
        QVERIFY(loaded.spec() == model.spec());
        QCOMPARE(loadedMetadata.corpusFingerprint, metadata.corpusFingerprint);
        QCOMPARE(loadedMetadata.metricsJson, std::string(R"([{"epoch":1,"valid_loss":3.5}])"));
        QVERIFY(!loadedMetadata.createdUtc.empty());
        const std::vector<std::int32_t> seed = { 300, 60, 260, 188, 64 };
        const auto before = model.nextStepLogProbabilities(seed);
        QCOMPARE(loaded.nextStepLogProbabilities(seed), before);
        QCOMPARE(int(before[0].size()), 388);
        // A differently seeded model predicts differently: the comparison above means something.
        QVERIFY(Model(ModelSpec::preset("tiny", Representation::Performance, { 388 }), 8)
                    .nextStepLogProbabilities(seed)
                != before);
    }

    void notesModelKeepsItsVocabulary()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "notes.ckpt";
        ModelSpec spec = ModelSpec::preset("tiny", Representation::Notes, { 3, 97, 97 });
        spec.vocabulary = { "60", "60.64.67" };
        Model(spec).save(path);
        const Model loaded = Model::load(path);
        QCOMPARE(loaded.spec().vocabulary, spec.vocabulary);
        QCOMPARE(int(loaded.nextStepLogProbabilities({ 1, 0, 12, 2, 12, 12 }).size()), 3);
    }

    void layerNormAndAttentionArePartOfTheModel()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "attention.ckpt";
        ModelSpec spec = ModelSpec::preset("tiny", Representation::Performance, { 388 });
        spec.layerNorm = true;
        spec.attentionHeads = 4;
        const Model model(spec, 5);
        QVERIFY(model.parameterCount()
                > Model(ModelSpec::preset("tiny", Representation::Performance, { 388 })).parameterCount());
        model.save(path);
        const Model loaded = Model::load(path);
        QVERIFY(loaded.spec() == spec);
        const std::vector<std::int32_t> seed = { 300, 60, 260, 188, 64 };
        QCOMPARE(loaded.nextStepLogProbabilities(seed), model.nextStepLogProbabilities(seed));
        spec.attentionHeads = 5; // does not divide 32
        QVERIFY_THROWS_EXCEPTION(ModelError, Model { spec });
    }

    void theTransformerSavesLoadsAndSeesOnlyThePast()
    {
        using namespace compoundrepr;
        const std::vector<int> heads { kTimeClasses, kPitchClasses, kDurationClasses, kVelocityClasses };
        const ModelSpec small =
            ModelSpec::preset("small", Representation::Compound, heads, Architecture::Transformer);
        QCOMPARE(small.architecture, Architecture::Transformer);
        QCOMPARE(small.layers, 4);
        QCOMPARE(small.embedDim, 256);
        QCOMPARE(ModelSpec::preset("baseline", Representation::Compound, heads, Architecture::Transformer)
                     .architecture,
                 Architecture::Logistic);
        QCOMPARE(architectureFromName(architectureName(Architecture::Transformer)),
                 Architecture::Transformer);
        QVERIFY_THROWS_EXCEPTION(ModelError,
                                 Model(ModelSpec::preset("tiny", Representation::Compound, { 97, 132, 577 },
                                                         Architecture::Transformer))); // needs 4 heads
        ModelSpec odd = ModelSpec::preset("tiny", Representation::Compound, heads, Architecture::Transformer);
        odd.attentionHeads = 3; // does not divide 32
        QVERIFY_THROWS_EXCEPTION(ModelError, Model { odd });

        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "transformer.ckpt";
        ModelSpec spec =
            ModelSpec::preset("tiny", Representation::Compound, heads, Architecture::Transformer);
        spec.context = 200;
        Model model(spec, 4);
        randomizeWeights(model);
        model.save(path);
        QVERIFY(Model::readSpec(path) == spec);
        const Model loaded = Model::load(path);
        QVERIFY(loaded.spec() == spec);
        const std::vector<std::int32_t> seed = { 0, 60, 12, 20, 0, 64, 12, 20, 12, 67, 6, 25 };
        const auto before = model.nextStepLogProbabilities(seed);
        QCOMPARE(loaded.nextStepLogProbabilities(seed), before);
        QCOMPARE(int(before[2].size()), kDurationClasses);

        // Causal: what comes later changes nothing before it.
        std::vector<std::int32_t> longer = seed;
        longer.insert(longer.end(), { 6, 72, 3, 30 });
        torch::NoGradGuard noGrad;
        nn::Network &net = *nn::ModelAccess::impl(model).net;
        const auto steps = [](const std::vector<std::int32_t> &s) {
            return torch::tensor(std::vector<int64_t>(s.begin(), s.end()))
                .view({ int64_t(s.size()) / 4, 1, 4 });
        };
        const torch::Tensor a = net.logits(steps(seed))[1].squeeze(1);
        const torch::Tensor b = net.logits(steps(longer))[1].squeeze(1);
        QVERIFY(torch::allclose(a, b.narrow(0, 0, 3), 1e-5, 1e-6));
    }

    void theBeatPhaseIsCountedFromTheFirstStep()
    {
        using namespace compoundrepr;
        ModelSpec spec = ModelSpec::preset(
            "tiny", Representation::Compound,
            { kTimeClasses, kPitchClasses, kDurationClasses, kVelocityClasses }, Architecture::Transformer);
        spec.beatPhase = true;
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "beat.ckpt";
        Model model(spec, 4);
        model.save(path);
        QVERIFY(Model::readSpec(path) == spec);
        QVERIFY(Model::load(path).spec().beatPhase);
        auto &net = dynamic_cast<nn::TransformerNetImpl &>(*nn::ModelAccess::impl(model).net);
        // Times 3, 0, 9, 6, 30: onsets 3, 3, 12, 18, 48 -> positions in the beat 3, 3, 0, 6, 0.
        const torch::Tensor tokens =
            torch::tensor(std::vector<int64_t> { 3, 60, 6, 20, 0, 64, 6,  20, 9, 67,
                                                 6, 20, 6, 60, 6, 20, 30, 60, 6, 20 })
                .view({ 1, 5, 4 });
        QVERIFY(torch::equal(net.phases(tokens).squeeze(0),
                             torch::tensor(std::vector<int64_t> { 3, 3, 0, 6, 0 })));
        // A gap to fill (repr/infilling.h): a note at 3, the fill marker at the gap's start (11), a
        // known note at 11 + 4, the middle marker, then the gap's first note at 11 + 5.
        const torch::Tensor gap =
            torch::tensor(std::vector<int64_t> { 3, 60, 6, 20, 8, kFirstReserved,     0, 0,
                                                 4, 64, 6, 20, 0, kFirstReserved + 1, 0, 0,
                                                 5, 67, 6, 20 })
                .view({ 1, 5, 4 });
        QVERIFY(torch::equal(net.phases(gap).squeeze(0),
                             torch::tensor(std::vector<int64_t> { 3, 11, 3, 11, 4 })));
        // Where the beat falls in a seed: the shift under which the network finds it likeliest, as
        // its full pass scores each shift one after the other.
        {
            torch::NoGradGuard noGrad;
            for (auto &parameter : net.parameters())
                parameter.normal_(0.0, 0.5); // strong enough for the shifts to differ
        }
        std::vector<std::int32_t> seed;
        std::mt19937 rng(3);
        for (int i = 0; i < 30; ++i)
            seed.insert(seed.end(),
                        { int(rng() % 8), 55 + int(rng() % 20), 1 + int(rng() % 12), int(rng() % 32) });
        std::vector<double> likelihoods;
        for (int shift = 0; shift < 12; ++shift) {
            std::vector<std::int32_t> shifted = seed;
            shifted[0] = (seed[0] + shift) % 12;
            double sum = 0;
            for (std::size_t step = 1; step < 30; ++step) {
                const auto logProbabilities = model.nextStepLogProbabilities(
                    std::vector<std::int32_t>(shifted.begin(), shifted.begin() + std::ptrdiff_t(4 * step)));
                for (std::size_t h = 0; h < 4; ++h)
                    sum += logProbabilities[h][std::size_t(shifted[4 * step + h])];
            }
            likelihoods.push_back(sum);
        }
        const auto [least, most] = std::minmax_element(likelihoods.begin(), likelihoods.end());
        QVERIFY(*most - *least > 0.1); // the shifts differ
        const auto likeliest = most - likelihoods.begin();
        qInfo("the likeliest shift: %d", int(likeliest));
        const torch::Tensor seedTensor =
            torch::tensor(std::vector<int64_t>(seed.begin(), seed.end())).view({ 30, 4 });
        QCOMPARE(net.likeliestPhaseShift(seedTensor), int64_t(likeliest));
        std::vector<std::int64_t> aligned(seed.begin(), seed.end());
        nn::alignToLikeliestBeat(net, aligned, 30);
        QCOMPARE(aligned[0], int64_t((seed[0] + likeliest) % 12));
        QCOMPARE(net.likeliestPhaseShift(seedTensor.narrow(0, 0, 1)), int64_t(0)); // one step says nothing

        // Only a compound Transformer reads it.
        ModelSpec lstm = ModelSpec::preset("tiny", Representation::Performance, { 388 });
        lstm.beatPhase = true;
        QVERIFY_THROWS_EXCEPTION(ModelError, Model { lstm });
    }

    void attentionSeesOnlyThePast()
    {
        ModelSpec spec = ModelSpec::preset("tiny", Representation::Performance, { 388 });
        spec.attentionHeads = 2;
        Model model(spec, 2);
        const torch::Tensor a = allLogits(model, { 1, 2, 3, 4, 5, 6, 7, 8 });
        const torch::Tensor b = allLogits(model, { 1, 2, 3, 4, 5, 6, 7, 300 });
        QVERIFY(torch::allclose(a.narrow(0, 0, 7), b.narrow(0, 0, 7), 1e-5, 1e-6));
        QVERIFY(!torch::allclose(a[7], b[7]));
    }

    void baselineSeesItsWindowOnly()
    {
        ModelSpec spec = ModelSpec::preset("baseline", Representation::Performance, { 388 });
        spec.window = 3;
        Model model(spec);
        // A weight per lag, class and output, a bias per output, and one (zero) padding row.
        QCOMPARE(model.parameterCount(), std::size_t(3 * 388 * 388 + 388 + 388));
        randomizeWeights(model);
        const torch::Tensor a = allLogits(model, { 10, 20, 30, 40, 50, 60 });
        // Step 5's prediction sees steps 3, 4 and 5: changing step 2 leaves it, changing step 3 does not.
        QVERIFY(torch::equal(a[5], allLogits(model, { 10, 20, 99, 40, 50, 60 })[5]));
        QVERIFY(!torch::allclose(a[5], allLogits(model, { 10, 20, 30, 99, 50, 60 })[5]));
        // The first step sees nothing before it: the same whatever comes later.
        QVERIFY(torch::equal(a[0], allLogits(model, { 10, 1, 2, 3, 4, 5 })[0]));
    }

    void notesBaselineUsesPitchesAsFeatures()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "baseline.ckpt";
        ModelSpec spec = ModelSpec::preset("baseline", Representation::Notes, { 3, 97, 97 });
        spec.vocabulary = { "60", "60.64.67" };
        Model model(spec);
        // Inputs per lag: 129 pitch features (128 + unknown) + 97 offsets + 97 durations.
        QCOMPARE(model.parameterCount(), std::size_t((8 * (129 + 97 + 97) + 2) * (3 + 97 + 97)));
        randomizeWeights(model);
        model.save(path);
        const std::vector<std::int32_t> steps = { 1, 0, 12, 2, 12, 12 };
        QCOMPARE(Model::load(path).nextStepLogProbabilities(steps), model.nextStepLogProbabilities(steps));
    }

    void badFilesGiveClearErrors()
    {
        QTemporaryDir dir;
        const fs::path root = fs::path(dir.path().toStdString());
        QVERIFY(loadError(test::dataPath("valid/c-major-format0.mid")).find("not a Continuo model file")
                != std::string::npos);

        const fs::path good = root / "good.ckpt";
        Model(ModelSpec::preset("tiny", Representation::Performance, { 388 })).save(good);
        const auto bytes = readFileBytes(good, 1u << 30);
        std::vector<std::uint8_t> flipped = bytes;
        flipped[flipped.size() / 2] ^= 0x10;
        writeFileAtomically(root / "flipped.ckpt", flipped);
        QVERIFY(loadError(root / "flipped.ckpt").find("damaged") != std::string::npos);

        // Weights of another size under this description: refused, not a crash.
        const fs::path bigger = root / "bigger.ckpt";
        Model(ModelSpec::preset("small", Representation::Performance, { 388 })).save(bigger);
        CheckpointContents mixed = readCheckpointFile(good);
        mixed.blobs = readCheckpointFile(bigger).blobs;
        writeCheckpointFile(root / "mixed.ckpt", mixed);
        const std::string error = loadError(root / "mixed.ckpt");
        QVERIFY2(error.find("weights do not match") != std::string::npos, error.c_str());

        CheckpointContents foreign = mixed;
        for (const char *header : { R"({"kind":"something-else"})", R"({"kind":3})", "[1,2]", "not json" }) {
            foreign.headerJson = header;
            writeCheckpointFile(root / "foreign.ckpt", foreign);
            QVERIFY2(loadError(root / "foreign.ckpt").find("not a Continuo model description")
                         != std::string::npos,
                     header);
        }

        // A header of the right kind with fields of the wrong type or missing.
        for (const char *header :
             { R"({"kind":"continuo-model","format":"one"})", R"({"kind":"continuo-model","format":1})",
               R"({"kind":"continuo-model","format":1,"spec":{"representation":"performance"}})" }) {
            foreign.headerJson = header;
            writeCheckpointFile(root / "partial.ckpt", foreign);
            QVERIFY2(loadError(root / "partial.ckpt").find("incomplete or damaged") != std::string::npos,
                     header);
        }

        // A representation or architecture this version does not know: one sentence naming the file.
        for (const auto &[field, text] :
             { std::pair { "\"representation\":\"performance\"", "\"representation\":\"poetry\"" },
               std::pair { "\"architecture\":\"lstm\"", "\"architecture\":\"transformer9\"" } }) {
            CheckpointContents unknown = readCheckpointFile(good);
            const std::size_t at = unknown.headerJson.find(field);
            QVERIFY2(at != std::string::npos, unknown.headerJson.c_str());
            unknown.headerJson.replace(at, std::strlen(field), text);
            writeCheckpointFile(root / "unknown.ckpt", unknown);
            const std::string message = loadError(root / "unknown.ckpt");
            QVERIFY2(message.find("unknown.ckpt: Unknown") != std::string::npos, message.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
