// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the SMF reader: fixture folders (valid, lenient, malformed) and specific content.
#include "core/error.h"
#include "midi/smfreader.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QtTest>

#include <fstream>
#include <iterator>
#include <sstream>

using namespace continuo;

class TestSmfReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validFilesParseWithoutWarnings_data() { addRows("valid"); }
    void validFilesParseWithoutWarnings()
    {
        QFETCH(QString, name);
        const SmfFile file = readSmfFile(test::dataPath("valid/" + name.toStdString()));
        if (!name.endsWith(".rmi"))
            QVERIFY2(file.warnings.empty(), file.warnings.empty() ? "" : file.warnings.front().c_str());
    }

    void lenientFilesParseWithWarnings_data() { addRows("lenient"); }
    void lenientFilesParseWithWarnings()
    {
        QFETCH(QString, name);
        // Some oddities are the reader's to report, others (hanging notes, bad metas) the score's.
        const Score score = readScoreFile(test::dataPath("lenient/" + name.toStdString()));
        QVERIFY(!score.warnings.empty());
    }

    void malformedFilesAreRejected_data() { addRows("malformed"); }
    void malformedFilesAreRejected()
    {
        QFETCH(QString, name);
        const auto path = test::dataPath("malformed/" + name.toStdString());
        try {
            readSmfFile(path);
            QFAIL("accepted a malformed file");
        } catch (const SmfError &error) {
            const std::string message = error.what();
            QVERIFY2(message.find(path.string()) == 0, message.c_str()); // names the file
            QVERIFY2(message.find("at byte") != std::string::npos, message.c_str()); // and the offset
            QVERIFY(error.byteOffset() <= std::filesystem::file_size(path));
        }
    }

    void formatZeroScale()
    {
        const SmfFile file = readSmfFile(test::dataPath("valid/c-major-format0.mid"));
        QCOMPARE(file.format, 0);
        QCOMPARE(file.division.ticksPerQuarter, 480);
        QCOMPARE(int(file.tracks.size()), 1);
        const SmfTrack &track = file.tracks[0];
        int noteOns = 0, noteOffs = 0;
        for (const MidiEvent &e : track.events) {
            noteOns += e.isNoteOn();
            noteOffs += e.isNoteOff();
        }
        QCOMPARE(noteOns, 8); // running status throughout
        QCOMPARE(noteOffs, 8); // note-on with velocity 0
        QCOMPARE(std::string(track.payload(track.events[0])), std::string("C major scale"));
        QCOMPARE(track.endTick, std::int64_t(8 * 480));
    }

    void smpteDivision()
    {
        const SmfFile file = readSmfFile(test::dataPath("valid/smpte-25fps.mid"));
        QVERIFY(file.division.isSmpte);
        QCOMPARE(file.division.framesPerSecond, 25);
        QCOMPARE(file.division.ticksPerFrame, 40);
    }

    void riffWrapperGivesTheSameEvents()
    {
        const SmfFile plain = readSmfFile(test::dataPath("valid/c-major-format0.mid"));
        const SmfFile wrapped = readSmfFile(test::dataPath("valid/riff-wrapped.rmi"));
        QCOMPARE(wrapped.tracks.size(), plain.tracks.size());
        QCOMPARE(wrapped.tracks[0].events.size(), plain.tracks[0].events.size());
        QCOMPARE(wrapped.tracks[0].payloads, plain.tracks[0].payloads);
    }

    void sysexAndMetaPayloads()
    {
        const SmfFile file = readSmfFile(test::dataPath("valid/sysex-and-text.mid"));
        const SmfTrack &track = file.tracks[0];
        QCOMPARE(track.events[0].kind, EventKind::SysEx);
        QCOMPARE(track.payload(track.events[0]).size(), std::size_t(5));
        QVERIFY(track.events[1].isMeta(meta::kLyric));
        QCOMPARE(std::string(track.payload(track.events[1])), std::string("l\xc3\xa0"));
        QVERIFY(track.events[4].isMeta(meta::kSequencerSpecific));
    }

    void unknownChunkIsSkipped()
    {
        const SmfFile file = readSmfFile(test::dataPath("lenient/unknown-chunk.mid"));
        QCOMPARE(int(file.tracks.size()), 1);
        QCOMPARE(int(file.tracks[0].events.size()), 22); // 5 metas and program, 16 notes, End of Track
    }

    void dataBytesAboveLimitAreClamped()
    {
        const SmfFile file = readSmfFile(test::dataPath("lenient/velocity-above-127.mid"));
        QCOMPARE(int(file.tracks[0].events[0].data2), 127);
    }

    void streamOverloadMatchesBytes()
    {
        const std::string bytes(
            "MThd\0\0\0\6\0\0\0\1\0\x60MTrk\0\0\0\x0c\0\x90\x3c\x40\x60\x80\x3c\0\0\xff\x2f\0", 34);
        std::istringstream in(bytes);
        const SmfFile file = readSmf(in, "<stream>");
        QCOMPARE(int(file.tracks[0].events.size()), 3);
        QCOMPARE(file.tracks[0].events[1].tick, std::int64_t(0x60));
    }

    void capsAreEnforced()
    {
        const auto bytes = readFileBytesForTest("valid/c-major-format0.mid");
        SmfReadLimits limits;
        limits.maxEvents = 4;
        QVERIFY_THROWS_EXCEPTION(SmfError, readSmf(bytes.data(), bytes.size(), "x", limits));
        limits = {};
        limits.maxFileBytes = 10;
        QVERIFY_THROWS_EXCEPTION(SmfError, readSmf(bytes.data(), bytes.size(), "x", limits));
    }

    void everyTruncationIsHandled()
    {
        // Cutting a valid file at every length must either parse or throw SmfError, never crash.
        const auto bytes = readFileBytesForTest("valid/two-tracks-format1.mid");
        int parsed = 0, rejected = 0;
        for (std::size_t n = 0; n <= bytes.size(); ++n) {
            try {
                readSmf(bytes.data(), n, "cut");
                ++parsed;
            } catch (const SmfError &) {
                ++rejected;
            }
        }
        QVERIFY(parsed > 0);
        QVERIFY(rejected > 0);
    }

private:
    static void addRows(const std::string &folder)
    {
        QTest::addColumn<QString>("name");
        const QStringList names = test::fixtureNames(folder);
        QVERIFY(!names.isEmpty());
        for (const QString &name : names)
            QTest::newRow(qPrintable(name)) << name;
    }
    static std::vector<std::uint8_t> readFileBytesForTest(const std::string &relative)
    {
        std::ifstream in(test::dataPath(relative), std::ios::binary);
        return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
    }
};

QTEST_APPLESS_MAIN(TestSmfReader)
#include "tst_smfreader.moc"
