// SPDX-License-Identifier: GPL-3.0-or-later
// Sampling controls (top-k, top-p, repetition) and the pitch constraints' parsing.
#include "core/error.h"
#include "generate/pitchconstraints.h"
#include "generate/sampling.h"
#include "generate/seedhold.h"
#include "repr/compound.h"
#include "repr/infilling.h"

#include <QtTest>

#include <algorithm>

#include <cmath>
#include <limits>
#include <set>

using namespace continuo;

namespace {
constexpr float kMasked = -std::numeric_limits<float>::infinity();

/// Which classes `controls` ever draws from `logits` in many draws.
std::set<int> drawnClasses(const std::vector<float> &logits, SamplingControls controls, int draws = 4000)
{
    TokenSampler sampler(controls, 7);
    std::set<int> drawn;
    for (int i = 0; i < draws; ++i) {
        std::vector<float> scratch = logits;
        drawn.insert(sampler.sample(scratch.data(), int(scratch.size())));
    }
    return drawn;
}
} // namespace

class TestSampling : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void topKKeepsTheKLikeliest()
    {
        const std::vector<float> logits = { 0.0f, 3.0f, 1.0f, 2.9f, 0.5f, 2.8f };
        SamplingControls controls;
        controls.topK = 3;
        QCOMPARE(drawnClasses(logits, controls), (std::set<int> { 1, 3, 5 }));
        controls.topK = 1;
        QCOMPARE(drawnClasses(logits, controls), (std::set<int> { 1 }));
        controls.topK = 0; // off: everything can come
        QCOMPARE(drawnClasses(logits, controls, 20000).size(), std::size_t(6));
    }

    void topPKeepsTheSmallestLikeliestSet()
    {
        // Probabilities 0.5, 0.25, 0.125, 0.125: p = 0.7 needs the first two, p = 0.8 three.
        const std::vector<float> logits = { std::log(0.5f), std::log(0.25f), std::log(0.125f),
                                            std::log(0.125f) };
        SamplingControls controls;
        controls.topP = 0.7;
        QCOMPARE(drawnClasses(logits, controls), (std::set<int> { 0, 1 }));
        controls.topP = 0.8;
        QCOMPARE(drawnClasses(logits, controls), (std::set<int> { 0, 1, 2 }));
        controls.topP = 0.01;
        QCOMPARE(drawnClasses(logits, controls), (std::set<int> { 0 }));
    }

    void maskedClassesAreNeverDrawnAndAllMaskedIsMinusOne()
    {
        SamplingControls controls;
        controls.topK = 2;
        controls.topP = 0.9;
        QCOMPARE(drawnClasses({ kMasked, 0.0f, kMasked, 0.1f }, controls), (std::set<int> { 1, 3 }));
        TokenSampler sampler(controls, 1);
        std::vector<float> none = { kMasked, kMasked };
        QCOMPARE(sampler.sample(none.data(), 2), -1);
    }

    void theSameSeedDrawsTheSameSequence()
    {
        const std::vector<float> logits = { 0.1f, 0.4f, 0.2f, 0.3f, 0.0f };
        SamplingControls controls;
        controls.topP = 0.95;
        TokenSampler a(controls, 42), b(controls, 42), c(controls, 43);
        std::vector<int> fromA, fromB, fromC;
        for (int i = 0; i < 200; ++i) {
            std::vector<float> x = logits, y = logits, z = logits;
            fromA.push_back(a.sample(x.data(), 5));
            fromB.push_back(b.sample(y.data(), 5));
            fromC.push_back(c.sample(z.data(), 5));
        }
        QCOMPARE(fromA, fromB);
        QVERIFY(fromA != fromC);
        QVERIFY(variationSeed(42, 0) != variationSeed(42, 1));
        QCOMPARE(variationSeed(42, 3), variationSeed(42, 3));
    }

    void repetitionPenaltyDividesTheProbability()
    {
        RepetitionControl control(2.0, 0);
        QVERIFY(control.isActive());
        control.push(1);
        control.push(1);
        std::vector<float> logits = { 0.0f, 0.0f, 0.0f };
        control.apply(logits.data(), 3);
        QCOMPARE(logits[0], 0.0f);
        QVERIFY(std::abs(logits[1] - float(-2 * std::log(2.0))) < 1e-6f); // two occurrences: divided by 4
        QVERIFY(!RepetitionControl(1.0, 0).isActive());
    }

    void noRepeatNgramMasksWhatWouldRepeat()
    {
        // History 5 6 7 5 6: the 3-gram "5 6 7" exists, so after "5 6" the 7 is masked.
        RepetitionControl control(1.0, 3);
        for (int token : { 5, 6, 7, 5, 6 })
            control.push(token);
        std::vector<float> logits(10, 0.0f);
        control.apply(logits.data(), 10);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(logits[std::size_t(i)] == kMasked, i == 7);
    }

    void holdingTheRegisterLowersPitchesOutsideIt()
    {
        // Two note steps (C4, E5), a wait step and a note step (G3) at time 0: G3 to E5, mean 63.
        const std::vector<std::int64_t> tokens { 0, 60, 12, 5, 12, 76, 6, 30, 48, 128, 0, 0, 0, 55, 3, 20 };
        RegisterHold hold(tokens, { 0.5, 2.0 });
        QVERIFY(hold.isActive());
        QCOMPARE(hold.lowest(), 55);
        QCOMPARE(hold.highest(), 76);
        QCOMPARE(hold.mean(), 191.0 / 3);
        std::vector<float> logits(132, 1.0f);
        logits[0] = kMasked;
        hold.apply(logits.data()); // no note drawn yet: the range alone
        QCOMPARE(logits[55], 1.0f);
        QCOMPARE(logits[76], 1.0f);
        QCOMPARE(logits[54], 0.5f);
        QCOMPARE(logits[50], -1.5f);
        QCOMPARE(logits[80], -1.0f);
        QCOMPARE(logits[127], 1.0f - 0.5f * 51);
        QCOMPARE(logits[0], kMasked);
        QCOMPARE(logits[128], 1.0f); // not a pitch
        QCOMPARE(logits[131], 1.0f);
        QVERIFY(!RegisterHold(tokens, {}).isActive());
        QVERIFY(RegisterHold(tokens, { 0.0, 0.5 }).isActive()); // the centre alone
        QVERIFY(RegisterHold(tokens, { 0.0, 0.0, 0.5 }).isActive()); // the reach alone
        const RegisterHold below(tokens, { 0.5, 0.5 }, 0, 63); // only the notes the draws may take count
        QCOMPARE(below.lowest(), 55);
        QCOMPARE(below.highest(), 60);
        QCOMPARE(below.mean(), 57.5);
        QVERIFY(!RegisterHold({ 48, 128, 0, 0 }, { 2.0, 2.0, 2.0 }).isActive()); // no notes
        std::vector<float> atSetting(132, 1.0f);
        registerHoldAt(tokens, 0.5).apply(atSetting.data()); // a continuation's range: four times
        QCOMPARE(atSetting[54], 1.0f - float(0.5 * kContinuationRegisterHold.range));
        QCOMPARE(atSetting[60], 1.0f);
    }

    void aRangeReachedCostsNoMore()
    {
        const std::vector<std::int64_t> tokens { 0, 60, 12, 5, 12, 72, 6, 30 }; // C4 and C5
        RegisterHold hold(tokens, { 1.0 }); // the range alone, at 1 nat per semitone
        hold.push(76); // the continuation has gone 4 semitones higher
        hold.push(57); // and 3 lower
        std::vector<float> logits(128, 0.0f);
        hold.apply(logits.data());
        QCOMPARE(logits[66], 0.0f);
        QCOMPARE(logits[76], 0.0f); // where it has been is free
        QCOMPARE(logits[74], 0.0f);
        QCOMPARE(logits[57], 0.0f);
        QCOMPARE(logits[79], -3.0f); // beyond it costs from there on
        QCOMPARE(logits[55], -2.0f);
        QCOMPARE(hold.lowest(), 60); // the prompt's range is as it was
        QCOMPARE(hold.highest(), 72);
    }

    void aContinuationReachesForTheSeedsRange()
    {
        const std::vector<std::int64_t> tokens { 0, 60, 12, 5, 12, 72, 6, 30 }; // C4 and C5
        RegisterHold hold(tokens, { 0.0, 0.0, 1.0 }); // the reach alone, at 1 nat
        std::vector<float> logits(128, 0.0f);
        hold.apply(logits.data());
        QVERIFY(
            std::all_of(logits.begin(), logits.end(), [](float x) { return x == 0.0f; })); // nothing drawn
        hold.push(64);
        hold.push(67); // E4 and G4 drawn: C4 up to them and above them up to C5 gain
        hold.apply(logits.data());
        QCOMPARE(logits[60], 1.0f);
        QCOMPARE(logits[63], 1.0f);
        QCOMPARE(logits[64], 0.0f); // within what was drawn
        QCOMPARE(logits[66], 0.0f);
        QCOMPARE(logits[68], 1.0f);
        QCOMPARE(logits[72], 1.0f);
        QCOMPARE(logits[59], 0.0f); // outside the seed's range
        QCOMPARE(logits[73], 0.0f);
    }

    void aContinuationThatRisesIsTiltedDown()
    {
        const std::vector<std::int64_t> tokens { 0, 60, 12, 5, 12, 72, 6, 30 }; // C4 and C5: mean 66
        RegisterHold hold(tokens, { 1.0, 0.5 }); // the range at 1 nat per semitone, the centre at 0.5
        for (int i = 0; i < 8; ++i)
            hold.push(78); // a drift of 12 semitones over 8 notes, against 8 prior notes: 6
        hold.push(compoundrepr::kWait); // not a note
        std::vector<float> logits(132, 0.0f);
        hold.apply(logits.data());
        // Tilt: 0.5 * 6 / 12 = 0.25 nats per semitone from the mean, down for pitches above it.
        QVERIFY(std::abs(logits[66]) < 1e-6);
        QVERIFY(std::abs(logits[60] - 1.5f) < 1e-5);
        QVERIFY(std::abs(logits[72] + 1.5f) < 1e-5);
        QVERIFY(std::abs(logits[48] - (4.5f - 1.0f * 12)) < 1e-5); // the range costs more than the tilt gives
        QVERIFY(std::abs(logits[84] + (4.5f + 1.0f * 6)) < 1e-5); // the range from E5, reached
        QCOMPARE(logits[130], 0.0f);
    }

    void holdingTheKeyEvensOutPitchClasses()
    {
        // Three Cs and an E, the counts flattened: q(C) = (3^0.6 + 0.1) / sum, q(E) = 1.1 / sum,
        // every other class 0.1 / sum.
        const std::vector<std::int64_t> tokens { 0, 60, 12, 5, 12, 72, 12, 5, 12, 48, 12, 5, 12, 64, 12, 5 };
        KeyHold key(tokens, 1.0);
        QVERIFY(key.isActive());
        const double c = std::pow(3.0, KeyHold::kShareExponent) + 0.1, e = 1.1, other = 0.1;
        const double sum = c + e + 10 * other;
        QCOMPARE(key.share(0), c / sum);
        QCOMPARE(key.share(4), e / sum);
        QCOMPARE(key.share(1), other / sum);
        QVERIFY(key.share(0) < 2.5 * key.share(4)); // three times as many Cs, less than 2.5 times the share
        std::vector<float> logits(132, 0.0f);
        key.apply(logits.data()); // nothing drawn yet: no tilt
        QVERIFY(std::all_of(logits.begin(), logits.end(), [](float x) { return std::abs(x) < 1e-6f; }));
        for (int i = 0; i < 8; ++i)
            key.push(62); // eight Ds, where the seed has none
        key.push(compoundrepr::kWait); // not a note
        key.apply(logits.data());
        // D: ln q(D) - ln((8 + 8 q(D)) / 16); C: ln q(C) - ln(8 q(C) / 16) = ln 2: D loses, C gains,
        // in every octave.
        const double qD = other / sum;
        QVERIFY(std::abs(logits[62] - float(std::log(qD) - std::log((8 + 8 * qD) / 16))) < 1e-5);
        QVERIFY(std::abs(logits[60] - float(std::log(2.0))) < 1e-5);
        QCOMPARE(logits[74], logits[62]);
        QCOMPARE(logits[128], 0.0f); // not a pitch
        QCOMPARE(KeyHold(tokens, 1.0, 0, 59).share(0), 1.1 / 2.2); // only the C3 counts
        QVERIFY(!KeyHold(tokens, 0.0).isActive());
        QVERIFY(!KeyHold({ 48, 128, 0, 0 }, 1.0).isActive());
    }

    void holdingTheRhythmTiltsTimes()
    {
        // Four notes a quarter (12 units) apart, the first at 0: 4 notes in 36 units, three steps of
        // 12. After the kFillMarker step, the notes around a gap do not count.
        const std::vector<std::int64_t> tokens { 0,  60, 12, 5,  12, 62, 12, 5,  12,
                                                 64, 12, 5,  12, 65, 12, 5,  30, compoundrepr::kFillMarker,
                                                 0,  0,  0,  70, 3,  5,  1,  71, 3,
                                                 5 };
        const RhythmHold rhythm(tokens, 0.5);
        QVERIFY(rhythm.isActive());
        QCOMPARE(rhythm.notesPerUnit(), 4.0 / 36);
        const std::vector<double> &shares = rhythm.stepLogShares();
        QCOMPARE(int(shares.size()), compoundrepr::kTimeClasses);
        QVERIFY(std::abs(shares[12] - std::log(3.1 / 12.7)) < 1e-9);
        QVERIFY(std::abs(shares[5] - std::log(0.1 / 12.7)) < 1e-9);
        double sum = 0;
        for (const double share : shares)
            sum += std::exp(share);
        QVERIFY(std::abs(sum - 1.0) < 1e-9);
        const auto tilted = [&](std::int64_t elapsed, std::int64_t notes) {
            std::vector<float> logits(97, 0.0f);
            rhythm.apply(logits.data(), 97, elapsed, notes, 0);
            for (std::size_t t = 0; t < logits.size(); ++t)
                logits[t] -= float(0.5 / 8 * shares[t]); // what the pace adds to the steps' shares
            return logits;
        };
        const std::vector<float> onPace = tilted(0, 0);
        QVERIFY(std::all_of(onPace.begin(), onPace.end(), [](float x) { return std::abs(x) < 1e-6f; }));
        const std::vector<float> ahead = tilted(36, 16); // 16 notes where 4 were due: ln(24 / 12)
        QVERIFY(std::abs(ahead[11] - float(0.5 * std::log(2.0) * std::log(12.0))) < 1e-5);
        QCOMPARE(ahead[0], ahead[1]); // another note of a chord counts as the shortest step
        QVERIFY(ahead[96] > ahead[11]);
        const std::vector<float> behind = tilted(360, 4); // 4 notes where 40 were due: short steps gain
        QVERIFY(behind[3] < behind[1] && behind[12] < behind[3]);
        QCOMPARE(behind[0], behind[1]); // falling behind does not favour fuller chords
        QVERIFY(!RhythmHold(tokens, 0.0).isActive());
        QVERIFY(!RhythmHold({ 48, 128, 0, 0 }, 1.0).isActive()); // no notes
    }

    void holdingTheRhythmReadsTheNotesInItsRange()
    {
        // A melody of eighths (6 units) on C5 over a bass note on every fourth, C3: under a kept
        // melody the new notes take the bass's rhythm, a step of 24 units.
        std::vector<std::int64_t> tokens;
        for (int eighth = 0; eighth < 16; ++eighth) {
            const std::int64_t step = eighth == 0 ? 0 : 6;
            if (eighth % 4 == 0)
                tokens.insert(tokens.end(), { step, 48, 24, 5, 0, 72, 6, 5 });
            else
                tokens.insert(tokens.end(), { step, 72, 6, 5 });
        }
        const RhythmHold everything(tokens, 1.0);
        QCOMPARE(everything.notesPerUnit(), 20.0 / 90);
        const RhythmHold bass(tokens, 1.0, 0, 59);
        QCOMPARE(bass.notesPerUnit(), 4.0 / 72);
        QVERIFY(std::abs(bass.stepLogShares()[24] - std::log(3.1 / 12.7)) < 1e-9);
        QVERIFY(std::abs(bass.stepLogShares()[6] - std::log(0.1 / 12.7)) < 1e-9);
        QVERIFY(!RhythmHold(tokens, 1.0, 90, 127).isActive()); // no notes up there
    }

    void holdingTheRhythmKeepsChordsToTheSeeds()
    {
        // Four two-note chords a quarter apart: 4 of the 7 steps are 0 (p0 = 4.1 / 16.7, smoothed).
        std::vector<std::int64_t> tokens;
        for (int chord = 0; chord < 4; ++chord)
            for (const std::int64_t step : { 12, 0 })
                tokens.insert(tokens.end(), { step, 60 + chord + 4 * step / 12, 6, 5 });
        const RhythmHold rhythm(tokens, 1.0);
        const double p0 = std::exp(rhythm.stepLogShares()[0]);
        QVERIFY(std::abs(p0 - 4.1 / 16.7) < 1e-9);
        const auto chordTilt = [&](int chordNotes) {
            std::vector<float> logits(97, 0.0f), plain(97, 0.0f);
            rhythm.apply(logits.data(), 97, 0, 0, chordNotes);
            rhythm.apply(plain.data(), 97, 0, 0, 0); // no onset yet: the steps' prior alone
            return std::pair<double, double>(logits[0] - plain[0], logits[12] - plain[12]);
        };
        // After one note every chord went on (4 of 4, and 2 p0 of 2 more): another note gains.
        const double g1 = (4 + 2 * p0) / 6;
        QVERIFY(std::abs(chordTilt(1).first - 0.5 * std::log(g1 / p0)) < 1e-5);
        QVERIFY(chordTilt(1).second < 0);
        // After two none did: a third note loses, and a fourth as much.
        const double g2 = 2 * p0 / 6;
        QVERIFY(std::abs(chordTilt(2).first - 0.5 * std::log(g2 / p0)) < 1e-5);
        QVERIFY(std::abs(chordTilt(2).second - 0.5 * std::log((1 - g2) / (1 - p0))) < 1e-5);
        QVERIFY(chordTilt(2).first < -0.5);
        QCOMPARE(chordTilt(3), chordTilt(2));
    }

    void geometricMixturesAreDistributions()
    {
        const std::vector<float> p { 0.5f, 0.3f, 0.2f }, q { 0.2f, 0.3f, 0.5f };
        const auto mixed = [&](double w) {
            std::vector<float> a, b;
            for (std::size_t c = 0; c < p.size(); ++c) {
                a.push_back(std::log(p[c]) + 7.0f); // logits: any offset
                b.push_back(std::log(q[c]) - 3.0f);
            }
            mixGeometric(a.data(), b.data(), 3, w);
            return a;
        };
        for (const double w : { -2.0, -1.0, 0.0, 0.5, 1.0 }) {
            double sum = 0;
            for (const float x : mixed(w))
                sum += std::exp(double(x));
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
        }
        for (std::size_t c = 0; c < 3; ++c) {
            QVERIFY(std::abs(std::exp(mixed(0.0)[c]) - p[c]) < 1e-5); // the first alone
            QVERIFY(std::abs(std::exp(mixed(1.0)[c]) - q[c]) < 1e-5); // the second alone
        }
        // Contrasted (w = -1): p^2 / q, normalised; the class p favours over q gains most.
        const std::vector<float> contrast = mixed(-1.0);
        double z = 0;
        for (std::size_t c = 0; c < 3; ++c)
            z += double(p[c]) * p[c] / q[c];
        for (std::size_t c = 0; c < 3; ++c)
            QVERIFY(std::abs(std::exp(double(contrast[c])) - double(p[c]) * p[c] / q[c] / z) < 1e-5);
        QVERIFY(std::exp(contrast[0]) > p[0]);
    }

    void arithmeticMixturesAreDistributions()
    {
        std::vector<float> p { std::log(0.5f) + 4.0f, std::log(0.5f) + 4.0f, kMasked }; // logits
        std::vector<float> q { std::log(0.25f) - 2.0f, std::log(0.75f) - 2.0f, kMasked };
        mixArithmetic(p.data(), q.data(), 3, 0.1);
        QVERIFY(std::abs(std::exp(double(p[0])) - (0.9 * 0.5 + 0.1 * 0.25)) < 1e-6);
        QVERIFY(std::abs(std::exp(double(p[1])) - (0.9 * 0.5 + 0.1 * 0.75)) < 1e-6);
        QCOMPARE(p[2], kMasked); // impossible in both stays impossible
        std::vector<float> a { 0.0f, 0.0f }, ruledOut { 0.0f, kMasked };
        mixArithmetic(a.data(), ruledOut.data(), 2, 0.0); // share 0: the first alone
        QVERIFY(std::abs(std::exp(double(a[0])) - 0.5) < 1e-6
                && std::abs(std::exp(double(a[1])) - 0.5) < 1e-6);
        std::vector<float> sharp { 0.0f, kMasked }, plain { 0.0f, 0.0f };
        mixArithmetic(sharp.data(), plain.data(), 2, 0.1); // a class only the second allows
        QVERIFY(std::abs(std::exp(double(sharp[1])) - 0.05) < 1e-6);
    }

    void theFloorKeepsTheNetworksOwnDrawsInRangeAndKey()
    {
        // Seed: C4 and C5 (range 60-72, classes C only), floor share 0.1, the register setting 0.5:
        // the floor's range costs 4 * 0.5 = 2 nats per semitone beyond it.
        const std::vector<std::int64_t> tokens { 0, 60, 12, 5, 12, 72, 6, 30 };
        const KeyHold key(tokens, 1.0);
        DrawFloor floor(tokens, 0.1, 0.5);
        QVERIFY(floor.isActive());
        QVERIFY(!DrawFloor(tokens, 0.0, 0.5).isActive());
        std::vector<float> shaped(132, kMasked), network(132, 0.0f);
        shaped[60] = 0.0f; // the shaped distribution allows C4 alone
        floor.mixPitches(shaped.data(), network.data(), 132, key);
        // The network's own: uniform, held to the range (no key tilt before a note is drawn).
        double z = 0;
        for (int pitch = 0; pitch < 132; ++pitch)
            z += std::exp(pitch < 128 ? -2.0 * std::max({ 0, 60 - pitch, pitch - 72 }) : 0.0);
        QVERIFY(std::abs(std::exp(double(shaped[60])) - (0.9 + 0.1 / z)) < 1e-6);
        QVERIFY(std::abs(std::exp(double(shaped[66])) - 0.1 / z) < 1e-7);
        QVERIFY(std::abs(std::exp(double(shaped[74])) - 0.1 * std::exp(-4.0) / z) < 1e-7);
        floor.push(76); // a drawn E5: the range reached is free
        std::vector<float> after(132, 0.0f), own(132, 0.0f);
        floor.mixPitches(after.data(), own.data(), 132, key);
        QVERIFY(std::abs(own[76] - own[70]) < 1e-5); // `network` as held: the range reached
        QVERIFY(own[77] < own[76] - 1.9f);
        std::vector<float> times { 0.0f, kMasked, kMasked }, ownTimes { 0.0f, 0.0f, 0.0f };
        floor.mixTimes(times.data(), ownTimes.data(), 3, RhythmHold(tokens, 0.0), 0, 0, 0);
        QVERIFY(std::abs(std::exp(double(times[2])) - 0.1 / 3) < 1e-6); // the unfollowed times
        // Held to the seed's rhythm (one step of 12 units), the unfollowed times take its tilt.
        const RhythmHold rhythm(tokens, 2.0);
        std::vector<float> held(97, 0.0f), floorTimes(97, 0.0f), shapedTimes(97, 0.0f);
        rhythm.apply(held.data(), 97, 24, 2, 1);
        toLogProbabilities(held.data(), 97);
        floor.mixTimes(shapedTimes.data(), floorTimes.data(), 97, rhythm, 24, 2, 1);
        QCOMPARE(floorTimes, held); // as log-probabilities
        QVERIFY(held[12] > held[5] + 0.1f);
    }

    void noteNames()
    {
        QCOMPARE(parseNoteName("C4"), 60);
        QCOMPARE(parseNoteName("c4"), 60);
        QCOMPARE(parseNoteName("A0"), 21);
        QCOMPARE(parseNoteName("F#3"), 54);
        QCOMPARE(parseNoteName("Bb2"), 46);
        QCOMPARE(parseNoteName("Cb4"), 59);
        QCOMPARE(parseNoteName("B#3"), 60);
        QCOMPARE(parseNoteName("C-1"), 0);
        QCOMPARE(parseNoteName("G9"), 127);
        for (const char *bad : { "", "H4", "C", "G#9", "C-2", "C4x", "4" })
            QVERIFY_THROWS_EXCEPTION(GenerationError, parseNoteName(bad));
        QCOMPARE(noteName(60), std::string("C4"));
        QCOMPARE(noteName(61), std::string("C#4"));
        QCOMPARE(noteName(0), std::string("C-1"));
        for (int pitch = 0; pitch < 128; ++pitch)
            QCOMPARE(parseNoteName(noteName(pitch)), pitch);
    }

    void scales()
    {
        QCOMPARE(pitchClassesText(parseScale("C major")), std::string("C D E F G A B"));
        // Every scale offered to a user parses, melodic minor among them.
        const std::vector<std::string> choices = scaleChoices();
        QCOMPARE(choices.front(), std::string("chromatic"));
        QVERIFY(std::find(choices.begin(), choices.end(), "A melodic minor") != choices.end());
        for (const std::string &choice : choices)
            QVERIFY2(parseScale(choice) != 0, choice.c_str());
        QCOMPARE(pitchClassesText(parseScale("D minor")), std::string("C D E F G A A#"));
        QCOMPARE(pitchClassesText(parseScale("a dorian")), std::string("C D E F# G A B"));
        QCOMPARE(pitchClassesText(parseScale("E harmonic minor")), std::string("C D# E F# G A B"));
        QCOMPARE(pitchClassesText(parseScale("Bb major")), std::string("C D D# F G A A#"));
        QCOMPARE(pitchClassesText(parseScale("C major pentatonic")), std::string("C D E G A"));
        QCOMPARE(parseScale("chromatic"), kChromatic);
        QCOMPARE(pitchClassesText(parseScale("C Eb G")), std::string("C D# G"));
        QCOMPARE(pitchClassesText(parseScale("0, 4, 7")), std::string("C E G"));
        for (const char *bad : { "H major", "C majestic", "0 13", "C X" })
            QVERIFY_THROWS_EXCEPTION(GenerationError, parseScale(bad));
    }

    void rangesAndValidation()
    {
        PitchConstraints limits;
        limits.setRange("C3-C6");
        QCOMPARE(limits.lowest, 48);
        QCOMPARE(limits.highest, 84);
        limits.setRange("C-1-G9");
        QCOMPARE(limits.lowest, 0);
        QCOMPARE(limits.highest, 127);
        QVERIFY_THROWS_EXCEPTION(GenerationError, limits.setRange("C6-C3"));
        QVERIFY_THROWS_EXCEPTION(GenerationError, limits.setRange("C3"));
        limits.setScale("C major");
        QVERIFY(limits.allows(60));
        QVERIFY(!limits.allows(61));
        limits.lowest = limits.highest = 61; // only C#4, not in C major
        try {
            limits.validate();
            QFAIL("an impossible combination was accepted");
        } catch (const GenerationError &error) {
            QVERIFY(std::string(error.what()).find("C major") != std::string::npos);
        }
        PitchConstraints none;
        QCOMPARE(none.describe(), std::string("none"));
        none.maxPolyphony = 1;
        QCOMPARE(none.describe(), std::string("at most 1 note at once"));
    }
};

QTEST_APPLESS_MAIN(TestSampling)
#include "tst_sampling.moc"
