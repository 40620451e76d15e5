// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the SMF writer: VLQs, golden bytes, determinism and score round trips in memory.
#include "core/error.h"
#include "core/fileio.h"
#include "midi/smfreader.h"
#include "midi/smfwriter.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace continuo;
using Bytes = std::vector<std::uint8_t>;

namespace {
Bytes vlq(std::uint32_t value)
{
    Bytes out;
    appendVlq(out, value);
    return out;
}

Note makeNote(int pitch, std::int64_t start, std::int64_t end, int part = 0, int channel = 0, int program = 0)
{
    Note note;
    note.pitch = pitch;
    note.velocity = 64 + pitch % 40;
    note.startTick = start;
    note.endTick = end;
    note.part = part;
    note.channel = channel;
    note.program = program;
    return note;
}

/// A score touching every feature the writer must carry.
Score richScore()
{
    Score score;
    score.division.ticksPerQuarter = 480;
    score.tempoMap = TempoMap(480, { { 0, 600000 }, { 1920, 400000 }, { 3000, 750000 } });
    score.timeSignatures = { { 0, 3, 4 }, { 1440, 6, 8 } };
    score.keySignatures = { { 0, -3, true }, { 2880, 2, false } };
    score.parts = { { "Right hand", "Piano", 1, false },
                    { "Left hand", "", 2, false },
                    { "Kit", "", 3, true } };
    score.notes = { makeNote(72, 0, 480),
                    makeNote(76, 0, 240),
                    makeNote(72, 480, 480), // zero length
                    makeNote(72, 480, 900),
                    makeNote(72, 600, 1000), // overlap, FIFO order
                    makeNote(48, 0, 1920, 1, 1, 32),
                    makeNote(50, 1920, 2400, 1, 1, 33),
                    makeNote(36, 0, 120, 2, 9),
                    makeNote(38, 240, 360, 2, 9) };
    score.pedals = { { 0, 0, 0, true }, { 960, 0, 0, false } };
    score.texts = { { 0, meta::kCopyright, -1, "(c) nobody" }, { 480, meta::kMarker, 0, "B section" } };
    score.endTick = 2400;
    score.sortEvents();
    score.updateSeconds();
    return score;
}
} // namespace

class TestSmfWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void variableLengthQuantities()
    {
        // Examples from the SMF 1.0 specification.
        QCOMPARE(vlq(0x00), (Bytes { 0x00 }));
        QCOMPARE(vlq(0x40), (Bytes { 0x40 }));
        QCOMPARE(vlq(0x7F), (Bytes { 0x7F }));
        QCOMPARE(vlq(0x80), (Bytes { 0x81, 0x00 }));
        QCOMPARE(vlq(0x2000), (Bytes { 0xC0, 0x00 }));
        QCOMPARE(vlq(0x3FFF), (Bytes { 0xFF, 0x7F }));
        QCOMPARE(vlq(0x4000), (Bytes { 0x81, 0x80, 0x00 }));
        QCOMPARE(vlq(0x100000), (Bytes { 0xC0, 0x80, 0x00 }));
        QCOMPARE(vlq(0x0FFFFFFF), (Bytes { 0xFF, 0xFF, 0xFF, 0x7F }));
    }

    void goldenBytesOfOneNote()
    {
        Score score;
        score.division.ticksPerQuarter = 96;
        score.parts = { { "P", "", -1, false } };
        Note note = makeNote(60, 0, 96);
        note.velocity = 100;
        score.notes = { note };
        score.endTick = 96;
        const Bytes expected = { 'M',  'T',  'h',  'd',  0,    0,    0,    6,
                                 0,    1,    0,    2,    0,    96, // format 1, 2 tracks, 96 ppq
                                 'M',  'T',  'r',  'k',  0,    0,    0,    11, // conductor
                                 0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, // tempo 500000 us
                                 0x60, 0xFF, 0x2F, 0x00, // end of track at 96
                                 'M',  'T',  'r',  'k',  0,    0,    0,    20, // the part
                                 0x00, 0xFF, 0x03, 0x01, 'P', // track name
                                 0x00, 0xC0, 0x00, // program 0
                                 0x00, 0x90, 60,   100,  0x60, 0x80, 60,   0x00, // the note
                                 0x00, 0xFF, 0x2F, 0x00 };
        QCOMPARE(scoreToSmfBytes(score), expected);
    }

    void missingEndOfTrackIsAdded()
    {
        const SmfFile file =
            test::makeFile({ test::makeTrack({ { 0, 0x90, 60, 1 }, { 10, 0x80, 60, 0 } }, 50) });
        const Bytes bytes = writeSmf(file);
        const Bytes tail(bytes.end() - 4, bytes.end());
        QCOMPARE(tail, (Bytes { 40, 0xFF, 0x2F, 0x00 })); // 40 ticks after the last event, at endTick
    }

    void outOfOrderEventsAreRefused()
    {
        const SmfFile file = test::makeFile({ test::makeTrack({ { 10, 0x90, 60, 1 }, { 0, 0x80, 60, 0 } }) });
        QVERIFY_THROWS_EXCEPTION(Error, writeSmf(file));
    }

    void scoreRoundTrip()
    {
        const Score original = richScore();
        const Bytes bytes = scoreToSmfBytes(original);
        QCOMPARE(scoreToSmfBytes(original), bytes); // deterministic
        const Score back = scoreFromSmf(readSmf(bytes.data(), bytes.size(), "memory"));
        QVERIFY2(back.warnings.empty(), back.warnings.empty() ? "" : back.warnings.front().c_str());
        QCOMPARE(back.notes.size(), original.notes.size());
        for (std::size_t i = 0; i < original.notes.size(); ++i)
            QVERIFY2(back.notes[i] == original.notes[i], qPrintable(QString("note %1").arg(i)));
        QCOMPARE(back.tempoMap.changes(), original.tempoMap.changes());
        QCOMPARE(back.timeSignatures, original.timeSignatures);
        QCOMPARE(back.keySignatures, original.keySignatures);
        QCOMPARE(back.parts.size(), original.parts.size());
        QCOMPARE(back.parts[0].name, std::string("Right hand"));
        QCOMPARE(back.parts[0].instrumentName, std::string("Piano"));
        QVERIFY(back.parts[2].isDrum);
        QCOMPARE(back.pedals.size(), original.pedals.size());
        QCOMPARE(back.texts.size(), original.texts.size());
        QCOMPARE(back.notes.back().endSec, original.notes.back().endSec);
        // And a second generation gives the very same bytes.
        QCOMPARE(scoreToSmfBytes(back), bytes);
    }

    void saveWritesThroughATemporaryFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "rich.mid";
        writeFileAtomically(path, std::string_view("old contents"));
        const Score original = richScore();
        saveScoreFile(original, path);
        QVERIFY(!std::filesystem::exists(path.string() + ".tmp"));
        QCOMPARE(std::filesystem::file_size(path), scoreToSmfBytes(original).size());
        QVERIFY(readScoreFile(path).notes == original.notes);
        // A folder that does not exist: an IoError, and nothing is left behind.
        QVERIFY_THROWS_EXCEPTION(IoError, saveScoreFile(original, path.parent_path() / "missing" / "x.mid"));
    }

    void fixtureRoundTrip_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : test::fixtureNames("valid"))
            QTest::newRow(qPrintable(name)) << name;
    }
    void fixtureRoundTrip()
    {
        QFETCH(QString, name);
        const Score original = readScoreFile(test::dataPath("valid/" + name.toStdString()));
        const Bytes bytes = scoreToSmfBytes(original);
        const Score back = scoreFromSmf(readSmf(bytes.data(), bytes.size(), "memory"));
        QCOMPARE(back.notes.size(), original.notes.size());
        QVERIFY(back.notes == original.notes);
        QCOMPARE(back.tempoMap.changes(), original.tempoMap.changes());
        QCOMPARE(back.timeSignatures, original.timeSignatures);
        QCOMPARE(back.division.isSmpte, original.division.isSmpte);
        QCOMPARE(back.endTick, original.endTick);
    }
};

QTEST_APPLESS_MAIN(TestSmfWriter)
#include "tst_smfwriter.moc"
