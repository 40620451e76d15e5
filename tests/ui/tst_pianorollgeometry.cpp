// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the piano roll's coordinate mapping, grid, snapping and visible-note index (no widget).
#include "ui/pianoroll/pianorollgeometry.h"
#include "ui/pianoroll/pianorollnoteindex.h"

#include <QtTest>

#include <random>

using namespace continuo;
using namespace continuo::ui;

namespace {

/// (tick, bar, beat) of each line, for compact comparisons.
QList<QList<qint64>> describe(const std::vector<GridLine> &lines)
{
    QList<QList<qint64>> out;
    for (const GridLine &l : lines)
        out.append({ qint64(l.tick), l.bar, l.beat });
    return out;
}

} // namespace

class TestPianoRollGeometry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mappingRoundTrips_data()
    {
        QTest::addColumn<int>("ticksPerQuarter");
        QTest::addColumn<double>("pixelsPerQuarter");
        QTest::addColumn<double>("pixelsPerKey");
        QTest::addColumn<double>("scrollX");
        QTest::addColumn<double>("scrollY");
        QTest::newRow("default") << 480 << 40.0 << 12.0 << 0.0 << 0.0;
        QTest::newRow("zoomed in, scrolled") << 480 << 333.3 << 40.0 << 12345.5 << 2000.0;
        QTest::newRow("zoomed out") << 96 << 0.5 << 3.0 << 17.0 << 5.0;
        QTest::newRow("fine division") << 960 << 64.0 << 7.5 << 800.25 << 123.0;
    }

    void mappingRoundTrips()
    {
        QFETCH(int, ticksPerQuarter);
        QFETCH(double, pixelsPerQuarter);
        QFETCH(double, pixelsPerKey);
        QFETCH(double, scrollX);
        QFETCH(double, scrollY);
        PianoRollGeometry g;
        g.setTiming(ticksPerQuarter, {});
        g.setPixelsPerQuarter(pixelsPerQuarter);
        g.setPixelsPerKey(pixelsPerKey);
        g.setScrollX(scrollX);
        g.setScrollY(scrollY);

        QCOMPARE(g.tickToX(0), g.keyboardWidth() - scrollX);
        QCOMPARE(g.tickToX(ticksPerQuarter) - g.tickToX(0), pixelsPerQuarter);
        QCOMPARE(g.pitchToY(127), g.rulerHeight() - scrollY);
        QCOMPARE(g.pitchToY(59) - g.pitchToY(60), pixelsPerKey);
        for (const double tick : { 0.0, 1.0, 479.0, 480.5, 96000.0, 1e7 }) {
            const double back = g.xToTick(g.tickToX(tick));
            QVERIFY2(std::abs(back - tick) <= 1e-6 * std::max(1.0, tick), qPrintable(QString::number(back)));
        }
        for (const double x : { 0.0, 56.0, 700.25, 1600.0 })
            QVERIFY(std::abs(g.tickToX(g.xToTick(x)) - x) < 1e-6);
        for (int pitch = 0; pitch < 128; ++pitch) {
            const double y = g.pitchToY(pitch);
            QCOMPARE(g.yToPitch(y), pitch);
            QCOMPARE(g.yToPitch(y + pixelsPerKey / 2), pitch);
            QCOMPARE(g.yToPitch(y + pixelsPerKey - 1e-3), pitch);
        }
    }

    void zoomIsClamped()
    {
        PianoRollGeometry g;
        g.setPixelsPerQuarter(1e9);
        QCOMPARE(g.pixelsPerQuarter(), PianoRollGeometry::kMaxPixelsPerQuarter);
        g.setPixelsPerKey(0.1);
        QCOMPARE(g.pixelsPerKey(), PianoRollGeometry::kMinPixelsPerKey);
    }

    void zoomKeepsTheAnchor()
    {
        PianoRollGeometry g;
        g.setScrollX(1000);
        g.setScrollY(400);
        const double tickBefore = g.xToTick(700.0);
        g.zoomHorizontally(2.5, 700.0);
        QCOMPARE(g.pixelsPerQuarter(), 100.0);
        QVERIFY(std::abs(g.xToTick(700.0) - tickBefore) < 1e-9);
        // Vertically: the same fractional row stays under the anchor.
        const double yC4 = g.pitchToY(60) + 3.0;
        g.zoomVertically(2.0, yC4);
        QCOMPARE(g.yToPitch(yC4), 60);
        QVERIFY(std::abs(g.pitchToY(60) + 6.0 - yC4) < 1e-9);
    }

    void visibleRanges()
    {
        PianoRollGeometry g; // 40 px per quarter at 480 ticks, 12 px per key
        g.setViewportSize(56 + 400, 26 + 120);
        g.setScrollX(200); // 5 quarters hidden
        g.setScrollY(12 * 10); // pitches 127..118 hidden
        QCOMPARE(g.rollWidth(), 400);
        QCOMPARE(g.rollHeight(), 120);
        QCOMPARE(g.firstVisibleTick(), 5 * 480);
        QCOMPARE(g.lastVisibleTick(), 15 * 480);
        QCOMPARE(g.highestVisiblePitch(), 117);
        QCOMPARE(g.lowestVisiblePitch(), 108);
    }

    void barLinesFollowMeterChanges()
    {
        // Two bars of 3/4, then 4/4.
        PianoRollGeometry g;
        g.setTiming(480, { { 0, 3, 4 }, { 2880, 4, 4 } });
        const QList<QList<qint64>> expected = {
            { 0, 1, 1 },    { 480, 1, 2 },  { 960, 1, 3 },  { 1440, 2, 1 }, { 1920, 2, 2 }, { 2400, 2, 3 },
            { 2880, 3, 1 }, { 3360, 3, 2 }, { 3840, 3, 3 }, { 4320, 3, 4 }, { 4800, 4, 1 },
        };
        QCOMPARE(describe(g.gridLines(0, 4800)), expected);
        QCOMPARE(describe(g.gridLines(0, 8000, false)),
                 (QList<QList<qint64>> {
                     { 0, 1, 1 }, { 1440, 2, 1 }, { 2880, 3, 1 }, { 4800, 4, 1 }, { 6720, 5, 1 } }));
        // A window that starts inside a bar.
        QCOMPARE(describe(g.gridLines(1000, 3000)),
                 (QList<QList<qint64>> { { 1440, 2, 1 }, { 1920, 2, 2 }, { 2400, 2, 3 }, { 2880, 3, 1 } }));
        QCOMPARE(describe(g.gridLines(1000, 7000, false)),
                 (QList<QList<qint64>> { { 1440, 2, 1 }, { 2880, 3, 1 }, { 4800, 4, 1 }, { 6720, 5, 1 } }));
        QCOMPARE(g.barTicksAt(100), 1440);
        QCOMPARE(g.barTicksAt(2880), 1920);
        QCOMPARE(g.beatTicksAt(5000), 480);
    }

    void meterEdgeCases()
    {
        PianoRollGeometry g;
        // 4/4 until the first time signature; a change inside a bar starts a new bar; 6/8 beats are eighths.
        g.setTiming(480, { { 2400, 6, 8 } });
        QCOMPARE(describe(g.gridLines(0, 3000, false)),
                 (QList<QList<qint64>> { { 0, 1, 1 }, { 1920, 2, 1 }, { 2400, 3, 1 } }));
        QCOMPARE(g.beatTicksAt(2400), 240);
        QCOMPARE(g.barTicksAt(2400), 1440);
        QCOMPARE(describe(g.gridLines(2400, 2900)),
                 (QList<QList<qint64>> { { 2400, 3, 1 }, { 2640, 3, 2 }, { 2880, 3, 3 } }));
        // Of two signatures at one tick the last wins.
        g.setTiming(96, { { 0, 4, 4 }, { 0, 2, 2 } });
        QCOMPARE(g.beatTicksAt(0), 192);
        QCOMPARE(g.barTicksAt(0), 384);
    }

    void snapping()
    {
        PianoRollGeometry g;
        g.setTiming(480, { { 0, 3, 4 }, { 2000, 4, 4 } }); // the change cuts bar 2 short
        QCOMPARE(g.snapToBeat(-50), 0);
        QCOMPARE(g.snapToBeat(0), 0);
        QCOMPARE(g.snapToBeat(239), 0);
        QCOMPARE(g.snapToBeat(240), 480); // ties go to the later beat
        QCOMPARE(g.snapToBeat(1600), 1440);
        QCOMPARE(g.snapToBeat(1700), 1920);
        QCOMPARE(g.snapToBeat(1950), 1920);
        QCOMPARE(g.snapToBeat(1970), 2000);
        QCOMPARE(g.snapToBeat(2200), 2000);
        QCOMPARE(g.snapToBeat(2300), 2480);
        for (const GridLine &line : g.gridLines(0, 10000))
            QCOMPARE(g.snapToBeat(line.tick), line.tick);
    }

    void noteIndexFindsEveryVisibleNote()
    {
        std::mt19937 rng(7);
        std::vector<Note> notes;
        for (int i = 0; i < 3000; ++i) {
            Note n;
            n.pitch = int(rng() % 128);
            n.startTick = std::int64_t(rng() % 200000);
            // Mostly short notes, a few held for a long time.
            n.endTick = n.startTick + std::int64_t(i % 97 == 0 ? rng() % 50000 : rng() % 960);
            n.velocity = 1 + int(rng() % 127);
            notes.push_back(n);
        }
        PianoRollNoteIndex index;
        index.setNotes(notes);
        QCOMPARE(index.size(), notes.size());
        QVERIFY(
            std::is_sorted(index.notes().begin(), index.notes().end(),
                           [](const RollNote &a, const RollNote &b) { return a.startTick < b.startTick; }));
        for (int trial = 0; trial < 200; ++trial) {
            const std::int64_t from = std::int64_t(rng() % 210000);
            const std::int64_t to = from + std::int64_t(rng() % 20000);
            const auto [first, last] = index.candidates(from, to);
            std::size_t inWindow = 0;
            for (std::size_t i = 0; i < index.size(); ++i) {
                const RollNote &n = index.notes()[i];
                if (n.startTick <= to && n.endTick >= from) {
                    QVERIFY2(i >= first && i < last, qPrintable(QStringLiteral("note %1 missed").arg(i)));
                    ++inWindow;
                }
            }
            // The range is not the whole score: the search did cut something off.
            QVERIFY(last - first < index.size() || inWindow == index.size());
        }
        QCOMPARE(index.candidates(300000, 400000).first, index.candidates(300000, 400000).second);
    }

    void noteIndexExtent()
    {
        PianoRollNoteIndex index;
        QVERIFY(index.isEmpty());
        QCOMPARE(index.lowestPitch(), -1);
        QCOMPARE(index.endTick(), 0);
        Note a;
        a.pitch = 72;
        a.startTick = 100;
        a.endTick = 5000;
        Note b;
        b.pitch = 40;
        b.startTick = 900;
        b.endTick = 1000;
        index.setNotes({ b, a });
        QCOMPARE(index.notes().front().startTick, 100);
        QCOMPARE(index.endTick(), 5000);
        QCOMPARE(index.lowestPitch(), 40);
        QCOMPARE(index.highestPitch(), 72);
    }
};

QTEST_APPLESS_MAIN(TestPianoRollGeometry)
#include "tst_pianorollgeometry.moc"
