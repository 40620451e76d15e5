// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/seedhold.h"

#include "generate/sampling.h"
#include "repr/compound.h"

#include <algorithm>
#include <cmath>

namespace continuo {

namespace {

bool isPitch(std::int64_t token) { return token >= 0 && token < 128; }

/// Calls `use(pitch)` for each note of compound `tokens` from `lowest` to `highest`, in order.
template <typename Use>
void forEachNote(const std::vector<std::int64_t> &tokens, int lowest, int highest, Use use)
{
    for (std::size_t i = 1; i < tokens.size(); i += compoundrepr::kHeads)
        if (isPitch(tokens[i]) && tokens[i] >= lowest && tokens[i] <= highest)
            use(int(tokens[i]));
}

} // namespace

RegisterHold::RegisterHold(const std::vector<std::int64_t> &promptTokens, RegisterHoldParts strengths,
                           int lowest, int highest)
    : m_strengths(strengths)
{
    double sum = 0.0;
    int notes = 0;
    forEachNote(promptTokens, lowest, highest, [&](int pitch) {
        m_lowest = std::min(m_lowest, pitch);
        m_highest = std::max(m_highest, pitch);
        sum += pitch;
        ++notes;
    });
    m_mean = notes > 0 ? sum / notes : 0.0;
}

void RegisterHold::apply(float *pitchLogits) const
{
    if (!isActive())
        return;
    const double tilt = m_strengths.centre * m_drift / (m_notes + kPriorNotes) / 12.0; // nats per semitone
    const int reachedLowest = std::min(m_lowest, m_drawnLowest); // of the prompt's notes and those drawn
    const int reachedHighest = std::max(m_highest, m_drawnHighest);
    for (int pitch = 0; pitch < 128; ++pitch) {
        const int beyond = std::max({ 0, reachedLowest - pitch, pitch - reachedHighest });
        const bool towardTheSeeds =
            (pitch >= m_lowest && pitch < m_drawnLowest) || (pitch <= m_highest && pitch > m_drawnHighest);
        const double reach = m_notes > 0 && towardTheSeeds ? m_strengths.reach : 0.0;
        pitchLogits[pitch] -= float(m_strengths.range * beyond + tilt * (pitch - m_mean) - reach);
    }
}

void RegisterHold::push(std::int64_t pitch)
{
    if (!isPitch(pitch))
        return;
    m_drift += double(pitch) - m_mean;
    ++m_notes;
    m_drawnLowest = std::min(m_drawnLowest, int(pitch));
    m_drawnHighest = std::max(m_drawnHighest, int(pitch));
}

RegisterHold registerHoldAt(const std::vector<std::int64_t> &promptTokens, double setting,
                            RegisterHoldParts factors, int lowest, int highest)
{
    const RegisterHoldParts strengths { setting * factors.range, setting * factors.centre,
                                        setting * factors.reach };
    return RegisterHold(promptTokens, strengths, lowest, highest);
}

KeyHold::KeyHold(const std::vector<std::int64_t> &promptTokens, double strength, int lowest, int highest)
    : m_strength(strength)
{
    forEachNote(promptTokens, lowest, highest, [this](int pitch) {
        m_shares[std::size_t(pitch % 12)] += 1.0;
        ++m_promptNotes;
    });
    double sum = 0.0;
    for (double &share : m_shares) { // a count, until it is divided by the sum
        share = std::pow(share, kShareExponent) + kCountedMore;
        sum += share;
    }
    for (double &share : m_shares)
        share /= sum;
}

void KeyHold::apply(float *pitchLogits) const
{
    if (!isActive())
        return;
    std::array<float, 12> tilt {};
    for (std::size_t c = 0; c < 12; ++c) {
        const double drawnShare = (m_drawn[c] + kPriorNotes * m_shares[c]) / (m_notes + kPriorNotes);
        tilt[c] = float(m_strength * (std::log(m_shares[c]) - std::log(drawnShare)));
    }
    for (int pitch = 0; pitch < 128; ++pitch)
        pitchLogits[pitch] += tilt[std::size_t(pitch % 12)];
}

void KeyHold::push(std::int64_t pitch)
{
    if (!isPitch(pitch))
        return;
    m_drawn[std::size_t(pitch % 12)] += 1.0;
    ++m_notes;
}

RhythmHold::RhythmHold(const std::vector<std::int64_t> &promptTokens, double strength, int lowest,
                       int highest)
    : m_strength(strength)
{
    using namespace compoundrepr;
    constexpr double kCountedMore = 0.1; // added to every class's count
    std::vector<double> counts(kTimeClasses, 0.0);
    std::int64_t units = 0, unitsToLastNote = 0, notes = 0;
    std::vector<double> onsetsOfSize(kLargestChordCounted + 1, 0.0); // [k]: onsets of k notes
    int chord = 0;
    const auto closeChord = [&] {
        if (chord > 0)
            onsetsOfSize[std::size_t(std::min(chord, kLargestChordCounted))] += 1.0;
        chord = 0;
    };
    for (std::size_t i = 0; i + kHeads <= promptTokens.size(); i += kHeads) {
        const std::int64_t time = promptTokens[i], pitch = promptTokens[i + 1];
        if (pitch >= kFirstReserved) // a fill's marker: what follows is not before the gap
            break;
        units += time;
        if (!isPitch(pitch) || pitch < lowest || pitch > highest)
            continue;
        const std::int64_t step = notes > 0 ? units - unitsToLastNote : 0; // from the last note counted
        if (step > 0)
            closeChord();
        if (notes > 0 && step < kTimeClasses)
            counts[std::size_t(step)] += 1.0;
        ++notes;
        ++chord;
        unitsToLastNote = units;
    }
    closeChord();
    m_notesPerUnit = unitsToLastNote > 0 ? double(notes) / double(unitsToLastNote) : 0.0;
    const double total = double(std::max<std::int64_t>(0, notes - 1)) + kCountedMore * kTimeClasses;
    for (const double count : counts)
        m_stepLogShares.push_back(std::log((count + kCountedMore) / total));
    // After k notes of an onset, the share of the prompt's onsets of k notes or more that went on
    // to another, counted with kChordPriorOnsets more that went on as often as a step is one of 0
    // (p0); past the prompt's largest chord, as after its largest. Against p0, which the steps'
    // prior gives whatever the chord.
    const double chordSteps = std::exp(m_stepLogShares[0]);
    double goesOn = chordSteps;
    for (int k = 1; k <= kLargestChordCounted; ++k) {
        double reached = 0; // onsets of k notes or more
        for (int size = k; size <= kLargestChordCounted; ++size)
            reached += onsetsOfSize[std::size_t(size)];
        if (reached > 0)
            goesOn = (reached - onsetsOfSize[std::size_t(k)] + kChordPriorOnsets * chordSteps)
                   / (reached + kChordPriorOnsets);
        m_moreTilt[std::size_t(k)] = std::log(goesOn) - std::log(chordSteps);
        m_stopTilt[std::size_t(k)] = std::log1p(-goesOn) - std::log1p(-chordSteps);
    }
}

void RhythmHold::apply(float *timeLogits, int classes, std::int64_t elapsedUnits, std::int64_t notes,
                       int chordNotes) const
{
    if (!isActive())
        return;
    const double ahead =
        std::log((double(notes) + kPriorNotes) / (m_notesPerUnit * double(elapsedUnits) + kPriorNotes));
    const auto k = std::size_t(std::min(chordNotes, kLargestChordCounted));
    const int held = std::min(classes, int(m_stepLogShares.size()));
    for (int time = 0; time < held; ++time) { // another note of a chord counts as the shortest step
        const double chord = k == 0 ? 0.0 : time == 0 ? m_moreTilt[k] : m_stopTilt[k];
        timeLogits[time] += float(m_strength
                                  * (m_stepLogShares[std::size_t(time)] / 8.0 + chord * kChordWeight
                                     + ahead * std::log1p(double(std::max(time, 1)))));
    }
}

DrawFloor::DrawFloor(const std::vector<std::int64_t> &promptTokens, double share, double holdRegister,
                     int lowest, int highest)
    : m_share(share)
    , m_range(registerHoldAt(promptTokens, holdRegister, { kContinuationRegisterHold.range, 0.0, 0.0 },
                             lowest, highest))
{ }

void DrawFloor::mixTimes(float *logits, float *network, int classes, const RhythmHold &rhythm,
                         std::int64_t elapsedUnits, std::int64_t notes, int chordNotes) const
{
    if (!isActive())
        return;
    rhythm.apply(network, classes, elapsedUnits, notes, chordNotes);
    mixArithmetic(logits, network, classes, m_share);
}

void DrawFloor::mixPitches(float *logits, float *network, int classes, const KeyHold &key) const
{
    if (!isActive())
        return;
    m_range.apply(network);
    key.apply(network);
    mixArithmetic(logits, network, classes, m_share);
}

} // namespace continuo
