// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the music statistics: histograms of small scores, Wasserstein distances by hand, real files.
#include "analysis/statistics.h"
#include "analysistestutil.h"
#include "midi/midifiles.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QtTest>
#include <cmath>

using namespace continuo;

namespace {
std::vector<double> counts(const MusicStatistics &stats, Feature feature)
{
    return stats.histogram(feature).counts;
}
std::vector<double> oneHot(std::size_t size, std::size_t bin)
{
    std::vector<double> h(size, 0.0);
    h[bin] = 1.0;
    return h;
}
} // namespace

class TestStatistics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wassersteinByHand()
    {
        QCOMPARE(wassersteinDistance({ 1, 0, 0 }, { 0, 0, 1 }), 2.0);
        QCOMPARE(wassersteinDistance({ 0.5, 0.5, 0 }, { 0, 0.5, 0.5 }), 1.0);
        QCOMPARE(wassersteinDistance({ 2, 0, 0 }, { 0, 0, 5 }), 2.0); // normalised first
        // Half the mass moves one bin, the other half two: 0.5 * 1 + 0.5 * 2.
        QCOMPARE(wassersteinDistance({ 1, 1, 0, 0 }, { 0, 1, 0, 1 }), 1.5);
        QCOMPARE(wassersteinDistance({ 3, 1, 4 }, { 3, 1, 4 }), 0.0);
        QVERIFY(std::isnan(wassersteinDistance({ 0, 0 }, { 1, 0 })));
        QVERIFY(std::isnan(wassersteinDistance({ 1, 0 }, { 1, 0, 0 })));
    }

    void circularWassersteinByHand()
    {
        // B is one step from C on the circle of pitch classes, six steps is the farthest.
        QCOMPARE(circularWassersteinDistance(oneHot(12, 0), oneHot(12, 11)), 1.0);
        QCOMPARE(circularWassersteinDistance(oneHot(12, 0), oneHot(12, 6)), 6.0);
        QCOMPARE(circularWassersteinDistance(oneHot(12, 2), oneHot(12, 5)), 3.0);
        QCOMPARE(wassersteinDistance(oneHot(12, 0), oneHot(12, 11)), 11.0); // the ordinal one does not wrap
        // Half of C to B, half of D to D#: 0.5 + 0.5.
        std::vector<double> a(12, 0.0), b(12, 0.0);
        a[0] = a[2] = 1;
        b[11] = b[3] = 1;
        QCOMPARE(circularWassersteinDistance(a, b), 1.0);
        QCOMPARE(circularWassersteinDistance(a, a), 0.0);
    }

    void histogramsOfAScale()
    {
        // C major scale in quarters, then a two-quarter C major triad: two bars of 4/4.
        std::vector<test::QNote> notes;
        const int scale[] = { 60, 62, 64, 65, 67, 69 };
        for (int i = 0; i < 6; ++i)
            notes.push_back({ scale[i], double(i), 1.0 });
        for (const int pitch : { 60, 64, 67 })
            notes.push_back({ pitch, 6.0, 2.0 });
        const MusicStatistics stats = computeStatistics(test::makeScore(notes));
        QCOMPARE(stats.noteCount, std::size_t(9));
        QCOMPARE(stats.onsetCount, std::size_t(7));
        const auto pc = counts(stats, Feature::PitchClass);
        QCOMPARE(pc[0], 2.0);
        QCOMPARE(pc[4], 2.0);
        QCOMPARE(pc[7], 2.0);
        QCOMPARE(pc[1], 0.0);
        // Highest notes: 60 62 64 65 67 69 67: +2 +2 +1 +2 +2 -2.
        const auto intervals = counts(stats, Feature::Interval);
        QCOMPARE(intervals[12 + 2], 4.0);
        QCOMPARE(intervals[12 + 1], 1.0);
        QCOMPARE(intervals[12 - 2], 1.0);
        QCOMPARE(counts(stats, Feature::InterOnset)[8], 6.0); // one quarter
        QCOMPARE(counts(stats, Feature::Duration)[8], 6.0);
        QCOMPARE(counts(stats, Feature::Duration)[10], 3.0); // two quarters
        QCOMPARE(counts(stats, Feature::Polyphony)[0], 6.0);
        QCOMPARE(counts(stats, Feature::Polyphony)[2], 1.0);
        // Four onsets in bar 1, three in bar 2: 1 and 0.75 onsets per quarter (bins of 0.5, rounded).
        const auto density = counts(stats, Feature::Density);
        QCOMPARE(density[2], 2.0);
        QCOMPARE(binLabel(Feature::PitchClass, 1), std::string("C#"));
        QCOMPARE(binLabel(Feature::Interval, 0), std::string("-12"));
        QCOMPARE(binLabel(Feature::Duration, 8), std::string("1"));
        QCOMPARE(binLabel(Feature::Duration, 4), std::string("1/4"));
        QCOMPARE(binLabel(Feature::Polyphony, 7), std::string("8+"));
    }

    void heldNotesCountInPolyphony()
    {
        // A whole-note bass under four quarter notes: two notes sound at every onset.
        const Score score =
            test::makeScore({ { 48, 0, 4 }, { 72, 0, 1 }, { 74, 1, 1 }, { 76, 2, 1 }, { 77, 3, 1 } });
        const auto polyphony = counts(computeStatistics(score), Feature::Polyphony);
        QCOMPARE(polyphony[1], 4.0);
        QCOMPARE(polyphony[0], 0.0);
    }

    void identicalGiveZeroAndDifferentDoNot()
    {
        const Score a = test::melody({ 60, 62, 64, 65, 67, 65, 64, 62, 60 });
        const Score b = test::melody({ 60, 67, 72, 61, 66, 70 }, 0.5);
        const StatisticsDistances same = statisticsDistances(computeStatistics(a), computeStatistics(a));
        for (const double d : same)
            QCOMPARE(d, 0.0);
        const StatisticsDistances other = statisticsDistances(computeStatistics(a), computeStatistics(b));
        for (std::size_t f = 0; f < kFeatureCount; ++f)
            if (Feature(f) != Feature::Polyphony) // both are one note at a time
                QVERIFY2(other[f] > 0.0, featureKey(Feature(f)));
        // Empty statistics compare as NaN, never as 0.
        QVERIFY(std::isnan(statisticsDistances(MusicStatistics(), computeStatistics(a))[0]));
    }

    void accumulatesAndComparesRealFiles()
    {
        const auto root = test::sharedCorpus("piano-classical");
        if (root.empty())
            QSKIP("the shared piano corpus is absent");
        const auto files = findMidiFiles(root / "Mozart");
        QVERIFY(files.size() >= 3);
        MusicStatistics corpus;
        std::vector<MusicStatistics> each;
        for (const auto &file : files) {
            each.push_back(computeStatistics(readScoreFile(file)));
            corpus.add(each.back());
        }
        QCOMPARE(corpus.scoreCount, files.size());
        double notes = 0.0;
        for (const MusicStatistics &s : each)
            notes += s.histogram(Feature::PitchClass).total();
        QCOMPARE(corpus.histogram(Feature::PitchClass).total(), notes);
        QCOMPARE(double(corpus.noteCount), notes);
        // The same file read twice: exactly 0 on every feature; two different pieces: more.
        const Score again = readScoreFile(files[0]);
        for (const double d : statisticsDistances(each[0], computeStatistics(again)))
            QCOMPARE(d, 0.0);
        const StatisticsDistances toCorpus = statisticsDistances(each[0], corpus);
        for (std::size_t f = 0; f < kFeatureCount; ++f) {
            QVERIFY2(toCorpus[f] > 0.0 && std::isfinite(toCorpus[f]), featureKey(Feature(f)));
            QVERIFY(toCorpus[f] <= double(binCount(Feature(f)) - 1));
        }
        qInfo("%s vs the Mozart files: pitch class %.3f, interval %.3f, duration %.3f, inter-onset %.3f, "
              "polyphony %.3f, density %.3f",
              files[0].filename().string().c_str(), toCorpus[0], toCorpus[1], toCorpus[2], toCorpus[3],
              toCorpus[4], toCorpus[5]);
    }
};

QTEST_APPLESS_MAIN(TestStatistics)
#include "tst_statistics.moc"
