// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the memorization index: constructed melodies, copies of real corpus files (plain,
// transposed, moved in time), an unrelated piece, the file format and its errors.
#include "analysis/memorization.h"
#include "analysistestutil.h"
#include "core/error.h"
#include "core/fileio.h"
#include "midi/midifiles.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <optional>

using namespace continuo;
namespace fs = std::filesystem;

namespace {
const char *kCopiedFile = "Mozart/mz_570_1.mid";

/// Two short training "files" and the index of them.
MemorizationIndex smallIndex()
{
    MemorizationIndex index;
    index.addFile("a.mid", test::melody({ 60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60 }));
    index.addFile("sub/b.mid",
                  test::melody({ 60, 64, 67, 72, 67, 64, 60, 55, 60, 64, 67, 72, 76, 79, 84 }, 0.5));
    return index;
}

std::string errorOf(const std::function<void()> &body)
{
    try {
        body();
    } catch (const ModelError &error) {
        return error.what();
    }
    return {};
}
} // namespace

class TestMemorization : public QObject
{
    Q_OBJECT
    std::optional<MemorizationIndex> m_corpus; // the whole piano corpus, indexed once
    fs::path m_root;

private Q_SLOTS:
    void initTestCase()
    {
        m_root = test::sharedCorpus("piano-classical");
        if (m_root.empty())
            return;
        QElapsedTimer timer;
        timer.start();
        PlainJobContext context;
        std::vector<std::string> skipped;
        m_corpus = buildMemorizationIndex(m_root, findMidiFiles(m_root), context, &skipped);
        qInfo("indexed %zu files (%zu melody notes) in %lld ms; %zu skipped", m_corpus->fileCount(),
              m_corpus->eventCount(), timer.elapsed(), skipped.size());
        QCOMPARE(m_corpus->fileCount(), std::size_t(296));
    }

    void findsARunInConstructedMelodies()
    {
        const MemorizationIndex index = smallIndex();
        QCOMPARE(index.fileCount(), std::size_t(2));
        QCOMPARE(index.fileName(1), std::string("sub/b.mid"));
        // Notes 3..11 of a.mid (9 notes), a fourth higher, after two unrelated notes.
        const Score generated = test::melody({ 40, 90, 70, 72, 74, 76, 77, 76, 74, 72, 70, 30 });
        const MemorizationMatch match = index.longestMatch(generated);
        QVERIFY(match.isFound());
        QCOMPARE(match.notes, std::size_t(9));
        QCOMPARE(match.file, std::string("a.mid"));
        QCOMPARE(match.transposition, 5);
        QCOMPARE(match.trainingStartTick, std::int64_t(3 * 480));
        QCOMPARE(match.trainingEndTick, std::int64_t(11 * 480));
        QCOMPARE(match.bar, 1);
        QCOMPARE(match.generatedStartTick, std::int64_t(2 * 480));
        QCOMPARE(match.generatedEndTick, std::int64_t(10 * 480));
        QCOMPARE(match.generatedNotes.size(), std::size_t(9));
        QCOMPARE(generated.notes[match.generatedNotes.front()].pitch, 70);
        // The same pitches at another speed are not the same onsets.
        const Score faster = test::melody({ 60, 62, 64, 65, 67, 69, 71, 72, 71, 69 }, 0.5);
        QVERIFY(!index.longestMatch(faster).isFound());
        // A run shorter than the minimum is not reported.
        QVERIFY(!index.longestMatch(test::melody({ 60, 62, 64, 65, 67, 69 })).isFound());
        QCOMPARE(index.longestMatch(test::melody({ 60, 62, 64, 65, 67, 69, 71 })).notes,
                 MemorizationIndex::kMinimumNotes);
    }

    void runsDoNotCrossFiles()
    {
        // The end of a.mid followed by the start of b.mid is not one run.
        MemorizationIndex index;
        index.addFile("a.mid", test::melody({ 60, 62, 64, 65, 67, 69, 71, 72 }));
        index.addFile("b.mid", test::melody({ 74, 76, 77, 79, 81, 83, 84, 86 }));
        const Score generated =
            test::melody({ 60, 62, 64, 65, 67, 69, 71, 72, 74, 76, 77, 79, 81, 83, 84, 86 });
        QCOMPARE(index.longestMatch(generated).notes, std::size_t(8));
    }

    void savesAndLoads()
    {
        const MemorizationIndex index = smallIndex();
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "model.memo";
        index.save(path);
        QVERIFY(!fs::exists(path.string() + ".tmp"));
        const MemorizationIndex loaded = MemorizationIndex::load(path);
        QCOMPARE(loaded.fileCount(), index.fileCount());
        QCOMPARE(loaded.eventCount(), index.eventCount());
        QCOMPARE(loaded.toBytes(), index.toBytes());
        for (const double d : statisticsDistances(loaded.corpusStatistics(), index.corpusStatistics()))
            QCOMPARE(d, 0.0);
        const Score generated = test::melody({ 72, 76, 79, 84, 79, 76, 72, 67, 72 }, 0.5);
        const MemorizationMatch a = index.longestMatch(generated), b = loaded.longestMatch(generated);
        QCOMPARE(b.notes, a.notes);
        QCOMPARE(b.file, std::string("sub/b.mid"));
        QCOMPARE(b.transposition, 12);
        QCOMPARE(memorizationIndexPathFor("models/run.ckpt"), fs::path("models/run.memo"));
        QCOMPARE(memorizationIndexPathFor("models/run.last.ckpt"), fs::path("models/run.memo"));
    }

    void rejectsDamagedAndForeignFiles()
    {
        const std::vector<std::uint8_t> good = smallIndex().toBytes();
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "bad.memo";
        const auto loadBytes = [&](const std::vector<std::uint8_t> &bytes) {
            writeFileAtomically(path, bytes);
            return errorOf([&] { MemorizationIndex::load(path); });
        };
        std::vector<std::uint8_t> flipped = good;
        flipped[good.size() / 2] ^= 0x10;
        std::string message = loadBytes(flipped);
        QVERIFY2(message.find("bad.memo") != std::string::npos
                     && message.find("damaged") != std::string::npos,
                 message.c_str());
        message = loadBytes(std::vector<std::uint8_t>(good.begin(), good.begin() + long(good.size()) - 9));
        QVERIFY2(message.find("damaged") != std::string::npos, message.c_str());
        message = loadBytes(readFileBytes(test::dataPath("valid/c-major-format0.mid"), 1 << 20));
        QVERIFY2(message.find("not a Continuo memorization index") != std::string::npos, message.c_str());
        std::vector<std::uint8_t> newer = good;
        newer[14] = 99; // the version, just after the magic
        message = loadBytes(newer);
        QVERIFY2(message.find("newer version") != std::string::npos, message.c_str());
        QVERIFY_THROWS_EXCEPTION(IoError, MemorizationIndex::load(path.parent_path() / "missing.memo"));
        // No truncation of a valid file loads: every prefix fails cleanly.
        for (std::size_t size = 0; size < good.size(); size += 7)
            QVERIFY(!errorOf([&] {
                         MemorizationIndex::fromBytes(
                             std::vector<std::uint8_t>(good.begin(), good.begin() + long(size)), "cut.memo");
                     }).empty());
    }

    void flagsACopyOfACorpusFile()
    {
        if (!m_corpus)
            QSKIP("the shared piano corpus is absent");
        const Score source = readScoreFile(m_root / kCopiedFile);
        const Score copy = test::excerpt(source, 10, 20);
        QElapsedTimer timer;
        timer.start();
        const MemorizationMatch match = m_corpus->longestMatch(copy);
        const qint64 ns = timer.nsecsElapsed();
        qInfo("longestMatch of %zu notes against %zu files: %.3f ms; %zu notes (%zu distinct) shared with %s "
              "bar %d",
              copy.notes.size(), m_corpus->fileCount(), double(ns) / 1e6, match.notes, match.distinctNotes,
              match.file.c_str(), match.bar);
        QVERIFY(ns < 1000000000);
        QCOMPARE(match.file, std::string(kCopiedFile));
        QCOMPARE(match.bar, 10);
        QCOMPARE(match.transposition, 0);
        QCOMPARE(match.trainingStartTick, test::barStartTick(source, 10));
        QVERIFY(match.notes >= 40);
        QVERIFY(match.distinctNotes >= 16
                && match.distinctNotes <= match.notes); // above the default threshold
        // A whole piece as the query: the worst case, every hit on its own file.
        timer.restart();
        const MemorizationMatch whole = m_corpus->longestMatch(source);
        qInfo("longestMatch of the whole piece (%zu notes): %.1f ms; %zu notes shared (%zu distinct)",
              source.notes.size(), double(timer.nsecsElapsed()) / 1e6, whole.notes, whole.distinctNotes);
        QVERIFY(timer.elapsed() < 1000);
        QCOMPARE(whole.file, std::string(kCopiedFile));
        QCOMPARE(whole.bar, 1);
        QCOMPARE(match.generatedStartTick, std::int64_t(0));
        QCOMPARE(match.generatedNotes.size(), match.notes);
    }

    void flagsATransposedCopy()
    {
        if (!m_corpus)
            QSKIP("the shared piano corpus is absent");
        const Score source = readScoreFile(m_root / kCopiedFile);
        const MemorizationMatch plain = m_corpus->longestMatch(test::excerpt(source, 10, 20));
        const MemorizationMatch match = m_corpus->longestMatch(test::excerpt(source, 10, 20, 0, 5));
        QCOMPARE(match.file, std::string(kCopiedFile));
        QCOMPARE(match.bar, 10);
        QCOMPARE(match.transposition, 5);
        QCOMPARE(match.notes, plain.notes);
    }

    void flagsACopyMovedInTime()
    {
        if (!m_corpus)
            QSKIP("the shared piano corpus is absent");
        const Score source = readScoreFile(m_root / kCopiedFile);
        const std::int64_t shift = 7 * 480 + 240; // seven and a half quarters later
        Score copy = test::excerpt(source, 10, 20, shift);
        // Something else first: a few unrelated notes before the copied passage.
        for (int i = 0; i < 6; ++i) {
            Note note;
            note.pitch = 30 + 7 * i % 11;
            note.startTick = i * 480;
            note.endTick = note.startTick + 480;
            copy.notes.push_back(note);
        }
        copy.sortEvents();
        copy.updateSeconds();
        const MemorizationMatch plain = m_corpus->longestMatch(test::excerpt(source, 10, 20));
        const MemorizationMatch match = m_corpus->longestMatch(copy);
        QCOMPARE(match.file, std::string(kCopiedFile));
        QCOMPARE(match.bar, 10);
        QCOMPARE(match.notes, plain.notes);
        QCOMPARE(match.generatedStartTick, shift);
    }

    void anUnrelatedPieceSharesLittle()
    {
        if (!m_corpus)
            QSKIP("the shared piano corpus is absent");
        const auto extra = test::sharedCorpus("piano-classical-extra");
        if (extra.empty())
            QSKIP("the extra piano corpus is absent");
        const Score other = readScoreFile(extra / "Clementi" / "clementi_opus36_1_1.mid");
        const MemorizationMatch match = m_corpus->longestMatch(other);
        std::string pitches;
        for (const std::size_t i : match.generatedNotes)
            pitches += " " + std::to_string(other.notes[i].pitch);
        qInfo("clementi_opus36_1_1 shares %zu notes (%zu distinct) with %s bar %d:%s", match.notes,
              match.distinctNotes, match.file.c_str(), match.bar, pitches.c_str());
        QVERIFY(match.notes < 16);
        QVERIFY(match.distinctNotes <= match.notes);
    }

    void countsDistinctNotes()
    {
        // A trill shared for 20 notes is a figure of two steps: 2 + 2 distinct.
        MemorizationIndex index;
        std::vector<int> trill;
        for (int i = 0; i < 30; ++i)
            trill.push_back(i % 2 ? 74 : 72);
        Score training = test::makeScore({});
        for (std::size_t i = 0; i < trill.size(); ++i)
            training.notes.push_back({ trill[i], 64, std::int64_t(i) * 120, std::int64_t(i + 1) * 120 });
        training.sortEvents();
        index.addFile("trill.mid", training);
        Score generated = training;
        generated.notes.resize(20);
        const MemorizationMatch match = index.longestMatch(generated);
        QCOMPARE(match.notes, std::size_t(20));
        QCOMPARE(match.distinctNotes, std::size_t(4));
        // A tune that never repeats a pair of steps counts every note.
        const MemorizationIndex small = smallIndex();
        const MemorizationMatch tune =
            small.longestMatch(test::melody({ 60, 62, 64, 65, 67, 69, 71, 72, 71 }));
        QCOMPARE(tune.notes, std::size_t(9));
        QCOMPARE(tune.distinctNotes, std::size_t(2 + 4)); // step pairs (2,2) (2,1) (1,2) (1,-1)
    }

    void corpusIndexRoundTrip()
    {
        if (!m_corpus)
            QSKIP("the shared piano corpus is absent");
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "corpus.memo";
        m_corpus->save(path);
        QElapsedTimer timer;
        timer.start();
        const MemorizationIndex loaded = MemorizationIndex::load(path);
        qInfo("index file %.2f MB, loaded in %lld ms", double(fs::file_size(path)) / 1e6, timer.elapsed());
        const Score copy = test::excerpt(readScoreFile(m_root / kCopiedFile), 10, 20);
        const MemorizationMatch match = loaded.longestMatch(copy);
        QCOMPARE(match.file, std::string(kCopiedFile));
        QCOMPARE(match.bar, 10);
        QCOMPARE(match.notes, m_corpus->longestMatch(copy).notes);
    }
};

QTEST_APPLESS_MAIN(TestMemorization)
#include "tst_memorization.moc"
