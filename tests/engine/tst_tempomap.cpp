// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for tick <-> second conversion across tempo changes and SMPTE division.
#include "midi/tempomap.h"

#include <QtTest>

#include <random>

using namespace continuo;

class TestTempoMap : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultIs120Bpm()
    {
        const TempoMap map;
        QCOMPARE(map.tickToSeconds(480), 0.5);
        QCOMPARE(map.usPerQuarterAt(100000), 500000u);
        QCOMPARE(map.secondsToTick(1.0), 960.0);
    }

    void changesApplyFromTheirTick()
    {
        // 120 bpm for two beats, then 60 bpm.
        const TempoMap map(480, { { 960, 1000000 }, { 0, 500000 } });
        QCOMPARE(map.tickToSeconds(960), 1.0);
        QCOMPARE(map.tickToSeconds(1440), 2.0);
        QCOMPARE(map.secondsToTick(2.0), 1440.0);
        QCOMPARE(map.secondsToTick(0.25), 240.0);
        QCOMPARE(map.usPerQuarterAt(959), 500000u);
        QCOMPARE(map.usPerQuarterAt(960), 1000000u);
    }

    void lastChangeAtATickWins()
    {
        const TempoMap map(96, { { 0, 400000 }, { 0, 600000 }, { 96, 600000 } });
        QCOMPARE(int(map.changes().size()), 1); // the repeat at 96 changes nothing
        QCOMPARE(map.changes().front().usPerQuarter, 600000u);
        // A tick whose last change restores the tempo before it changes nothing (seen in real files).
        const TempoMap restored(96, { { 10, 400000 }, { 20, 300000 }, { 20, 400000 }, { 30, 200000 } });
        QCOMPARE(restored.changes(),
                 (std::vector<TempoChange> { { 0, 500000 }, { 10, 400000 }, { 30, 200000 } }));
    }

    void exactAcrossManyChanges()
    {
        // Against a direct sum with integers: no drift after 5000 changes.
        std::mt19937 rng(7);
        std::vector<TempoChange> changes;
        std::int64_t tick = 0;
        for (int i = 0; i < 5000; ++i) {
            tick += 1 + rng() % 1000;
            changes.push_back({ tick, std::uint32_t(200000 + rng() % 1000000) });
        }
        const TempoMap map(480, changes);
        std::int64_t units = 0, last = 0;
        std::uint32_t us = 500000;
        for (const TempoChange &c : changes) {
            units += (c.tick - last) * us;
            last = c.tick;
            us = c.usPerQuarter;
            QCOMPARE(map.tickToSeconds(c.tick), double(units) / (480.0 * 1e6));
        }
        for (const TempoChange &c : changes) {
            const double seconds = map.tickToSeconds(c.tick + 17);
            QVERIFY(std::abs(map.secondsToTick(seconds) - double(c.tick + 17)) < 1e-6);
        }
    }

    void smpteIgnoresTempo()
    {
        const TempoMap map = TempoMap::smpte(25, 40);
        QVERIFY(map.isSmpte());
        QCOMPARE(map.tickToSeconds(1000), 1.0);
        QCOMPARE(map.secondsToTick(2.5), 2500.0);
        const TempoMap dropFrame = TempoMap::smpte(29, 100);
        QCOMPARE(dropFrame.tickToSeconds(2997), 1.0);
    }
};

QTEST_APPLESS_MAIN(TestTempoMap)
#include "tst_tempomap.moc"
