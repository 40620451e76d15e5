// SPDX-License-Identifier: GPL-3.0-or-later
// The infilling layout of the compound representation, and training windows rewritten with it.
#include "data/infillingwindow.h"
#include "repr/infilling.h"

#include <QtTest>

#include <algorithm>
#include <set>
#include <tuple>

using namespace continuo;
using namespace continuo::compoundrepr;

namespace {

using NoteKey = std::tuple<std::int64_t, int, std::int64_t>; ///< onset, pitch, duration

std::set<NoteKey> keysOf(const std::vector<InfillingNote> &notes)
{
    std::set<NoteKey> keys;
    for (const InfillingNote &note : notes)
        keys.insert({ note.onset, note.pitch, note.duration });
    return keys;
}

/// Eight bars of eighths climbing a C major scale, a two-note chord on every beat below them.
std::vector<InfillingNote> eightBars()
{
    const int scale[] = { 60, 62, 64, 65, 67, 69, 71, 72 };
    std::vector<InfillingNote> notes;
    for (int eighth = 0; eighth < 64; ++eighth) {
        const std::int64_t onset = eighth * 6;
        if (eighth % 2 == 0)
            for (const int low : { 48, 55 })
                notes.push_back({ onset, 12, low, 16 });
        notes.push_back({ onset, 6, scale[eighth % 8], 20 });
    }
    return notes;
}

int countPitch(const std::vector<CompoundStep> &steps, int pitch)
{
    return int(std::count_if(steps.begin(), steps.end(),
                             [pitch](const CompoundStep &s) { return s.pitch == pitch; }));
}

} // namespace

class TestInfilling : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theLayoutReadsBeforeThenAroundThenTheGap()
    {
        // Notes at 0 and 12, a gap from 24 to 48 holding notes at 24 and 36, a known note at 60.
        const std::vector<InfillingNote> before { { 0, 12, 60, 20 }, { 12, 12, 62, 20 } };
        const std::vector<InfillingNote> middle { { 24, 12, 64, 20 }, { 36, 12, 65, 20 } };
        const std::vector<InfillingNote> known { { 60, 300, 67, 20 } };
        const InfillingLayout layout = infillingLayout(before, known, middle, 24);
        const std::vector<CompoundStep> prompt { { 0, 60, 12, 20 },
                                                 { 12, 62, 12, 20 },
                                                 { 12, kFillMarker, 0, 0 },
                                                 { 36, 67, 300, 20 },
                                                 { 0, kMiddleMarker, 0, 0 } };
        QCOMPARE(layout.prompt, prompt);
        const std::vector<CompoundStep> gap { { 0, 64, 12, 20 }, { 12, 65, 12, 20 } };
        QCOMPARE(layout.middle, gap);
        // The gap's steps read back as its notes, timed from its start.
        QVERIFY(keysOf(notesOfCompoundSteps(layout.middle, 24)) == keysOf(middle));
    }

    void longRestsAndNotesTakeWaitsAndHolds()
    {
        // The gap starts 200 units after the last note before it; a note inside lasts 700 units.
        const InfillingLayout layout =
            infillingLayout({ { 0, 12, 60, 20 } }, {}, { { 300, 700, 62, 20 } }, 200);
        const std::vector<CompoundStep> prompt { { 0, 60, 12, 20 },
                                                 { 96, kWait, 0, 0 },
                                                 { 96, kWait, 0, 0 },
                                                 { 8, kFillMarker, 0, 0 },
                                                 { 0, kMiddleMarker, 0, 0 } };
        QCOMPARE(layout.prompt, prompt);
        const std::vector<CompoundStep> gap { { 96, kWait, 0, 0 },
                                              { 4, 62, kMaxDurationUnits, 20 },
                                              { 0, kHold, 700 - kMaxDurationUnits, 0 } };
        QCOMPARE(layout.middle, gap);
        QVERIFY(keysOf(notesOfCompoundSteps(layout.middle, 200)) == keysOf({ { 300, 700, 62, 20 } }));
        // A gap at the very start: nothing before it.
        QCOMPARE(infillingLayout({}, {}, { { 0, 12, 60, 20 } }, 0).prompt.front(),
                 (CompoundStep { 0, kFillMarker, 0, 0 }));
    }

    void windowsBecomeGapsOfTheSameNotes()
    {
        const std::vector<InfillingNote> notes = eightBars();
        const std::vector<CompoundStep> steps = compoundStepsFrom(notes, 0);
        const std::size_t length = 120;
        const std::set<NoteKey> original = keysOf(notes);
        int rewritten = 0, voiceKept = 0;
        for (std::uint64_t seed = 0; seed < 200; ++seed) {
            std::vector<std::int32_t> window = flattenCompoundSteps(steps);
            window.resize(length * kHeads);
            const std::vector<std::int32_t> before = window;
            std::mt19937_64 rng(seed);
            if (!makeInfillingWindow(window.data(), length, rng)) {
                QCOMPARE(window, before);
                continue;
            }
            ++rewritten;
            const std::vector<CompoundStep> laid = compoundStepsOf(window.data(), length);
            QCOMPARE(countPitch(laid, kFillMarker), 1);
            QCOMPARE(countPitch(laid, kMiddleMarker), 1);
            const auto fill = std::find_if(laid.begin(), laid.end(),
                                           [](const CompoundStep &s) { return s.pitch == kFillMarker; });
            const auto middle = std::find_if(laid.begin(), laid.end(),
                                             [](const CompoundStep &s) { return s.pitch == kMiddleMarker; });
            QVERIFY(fill < middle && middle + 1 < laid.end());
            // Every note of each part is a note of the window, where it was. The notes before the
            // gap start at the window's first note or later; the gap's start is where the fill
            // marker's time reaches.
            const std::vector<CompoundStep> prefix(laid.begin(), fill);
            const std::vector<InfillingNote> beforeNotes = notesOfCompoundSteps(prefix, 0);
            QVERIFY(!beforeNotes.empty());
            std::int64_t firstOnset = 0; // the trimmed prefix starts at one of the window's onsets
            for (const InfillingNote &note : notes)
                if (note.pitch == beforeNotes.front().pitch
                    && note.duration == beforeNotes.front().duration) {
                    const std::vector<InfillingNote> shifted = notesOfCompoundSteps(prefix, note.onset);
                    if (std::all_of(shifted.begin(), shifted.end(), [&](const InfillingNote &n) {
                            return original.count({ n.onset, n.pitch, n.duration });
                        })) {
                        firstOnset = note.onset;
                        break;
                    }
                }
            std::int64_t gapStart = firstOnset;
            for (auto it = laid.begin(); it <= fill; ++it)
                gapStart += it->time;
            const std::vector<InfillingNote> known = notesOfCompoundSteps({ fill + 1, middle }, gapStart);
            const std::vector<InfillingNote> gap = notesOfCompoundSteps({ middle + 1, laid.end() }, gapStart);
            QVERIFY(!gap.empty());
            for (const std::vector<InfillingNote> *part : { &known, &gap })
                for (const InfillingNote &note : *part)
                    QVERIFY2(original.count({ note.onset, note.pitch, note.duration }),
                             qPrintable(QStringLiteral(
                                            "seed %1: a note at %2, pitch %3 that the window did not have")
                                            .arg(seed)
                                            .arg(note.onset)
                                            .arg(note.pitch)));
            const bool keptInGap = std::any_of(known.begin(), known.end(), [&](const InfillingNote &n) {
                return n.onset < gap.back().onset;
            });
            voiceKept += keptInGap ? 1 : 0;
        }
        QVERIFY2(rewritten > 150, qPrintable(QString::number(rewritten)));
        QVERIFY2(voiceKept > 20 && voiceKept < rewritten / 2, qPrintable(QString::number(voiceKept)));
    }

    void aWindowWithFewNotesStaysAsItWas()
    {
        std::vector<InfillingNote> notes = eightBars();
        notes.resize(10);
        std::vector<std::int32_t> window = flattenCompoundSteps(compoundStepsFrom(notes, 0));
        const std::vector<std::int32_t> before = window;
        std::mt19937_64 rng(1);
        QVERIFY(!makeInfillingWindow(window.data(), window.size() / kHeads, rng));
        QCOMPARE(window, before);
    }
};

QTEST_APPLESS_MAIN(TestInfilling)
#include "tst_infilling.moc"
