// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the corpus scan: statuses with reasons, fingerprint, cancel, the real corpus.
#include "core/error.h"
#include "core/fileio.h"
#include "data/corpusscan.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>

using namespace continuo;
namespace fs = std::filesystem;

namespace {
class CancelledContext : public PlainJobContext
{
public:
    bool isCancelled() const override { return true; }
};

/// A folder with one file of each kind.
fs::path makeCorpus(const QTemporaryDir &dir)
{
    const fs::path root = fs::path(dir.path().toStdString());
    fs::create_directories(root / "sub");
    fs::copy_file(test::dataPath("valid/c-major-format0.mid"), root / "scale.mid");
    fs::copy_file(test::dataPath("valid/two-tracks-format1.mid"), root / "sub" / "two.MID");
    fs::copy_file(test::dataPath("malformed/plain-text.mid"), root / "broken.mid");
    fs::copy_file(test::dataPath("valid/zero-tracks.mid"), root / "empty.mid");
    writeFileAtomically(root / "notes.txt", std::string_view("not a MIDI file name"));
    Score drums = readScoreFile(test::dataPath("valid/two-tracks-format1.mid"));
    for (Note &note : drums.notes)
        note.channel = kDrumChannel;
    saveScoreFile(drums, root / "drums.mid");
    return root;
}
/// An encoding that counts its calls: the pitches of the score's notes.
struct CountingEncoding
{
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    ScanEncoding encoding(const fs::path &cacheDir, const std::string &key = "pitches v1") const
    {
        auto counter = calls;
        return { key,
                 [counter](const Score &score) {
                     ++*counter;
                     std::vector<std::int32_t> pitches;
                     for (const Note &note : score.notes)
                         pitches.push_back(note.pitch);
                     return pitches;
                 },
                 cacheDir };
    }
};

std::vector<std::vector<std::int32_t>> encodings(const CorpusScan &scan)
{
    std::vector<std::vector<std::int32_t>> all;
    for (const CorpusFile &file : scan.files)
        all.push_back(file.encoded);
    return all;
}
} // namespace

class TestCorpusScan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reportsEveryFileWithItsStatus()
    {
        QTemporaryDir dir;
        const fs::path root = makeCorpus(dir);
        PlainJobContext context;
        const CorpusScan scan = scanCorpus(root, context, 2);
        QCOMPARE(int(scan.files.size()), 5); // notes.txt is not a MIDI file name
        QCOMPARE(scan.usableCount(), std::size_t(2));
        const auto find = [&](const std::string &name) {
            return *std::find_if(scan.files.begin(), scan.files.end(),
                                 [&](const CorpusFile &f) { return f.path.filename() == name; });
        };
        QCOMPARE(find("broken.mid").status, CorpusFileStatus::Unreadable);
        QVERIFY(find("broken.mid").problem.find("broken.mid") != std::string::npos);
        QCOMPARE(find("empty.mid").status, CorpusFileStatus::NoNotes);
        QCOMPARE(find("drums.mid").status, CorpusFileStatus::DrumsOnly);
        QCOMPARE(std::string(corpusFileStatusText(find("drums.mid").status)), std::string("drums only"));
        const CorpusFile &two = find("two.MID");
        QCOMPARE(two.status, CorpusFileStatus::Usable);
        QCOMPARE(two.noteCount, std::size_t(3)); // drum notes are not counted
        QVERIFY(!two.score.notes.empty());
        QVERIFY(std::is_sorted(scan.files.begin(), scan.files.end(),
                               [](const CorpusFile &a, const CorpusFile &b) { return a.path < b.path; }));
    }

    void fingerprintFollowsContents()
    {
        QTemporaryDir dir;
        const fs::path root = makeCorpus(dir);
        PlainJobContext context;
        const std::uint64_t first = scanCorpus(root, context).fingerprint();
        QCOMPARE(scanCorpus(root, context, 1).fingerprint(), first);
        fs::copy_file(test::dataPath("valid/sysex-and-text.mid"), root / "scale.mid",
                      fs::copy_options::overwrite_existing);
        QVERIFY(scanCorpus(root, context).fingerprint() != first);
    }

    void cancelStopsEarly()
    {
        QTemporaryDir dir;
        const fs::path root = makeCorpus(dir);
        CancelledContext context;
        const CorpusScan scan = scanCorpus(root, context, 1);
        QVERIFY(scan.files.size() < 5);
    }

    void missingFolderIsAnError()
    {
        PlainJobContext context;
        QVERIFY_THROWS_EXCEPTION(IoError, scanCorpus("/nonexistent-corpus", context));
    }

    void cacheRebuildsOnlyWhatChanged()
    {
        QTemporaryDir dir, cacheDir;
        const fs::path root = makeCorpus(dir), cache = fs::path(cacheDir.path().toStdString());
        PlainJobContext context;
        CountingEncoding counting;
        const ScanEncoding encoding = counting.encoding(cache);
        const CorpusScan cold = scanCorpus(root, context, 2, &encoding);
        QCOMPARE(counting.calls->load(), 2); // the two usable files
        QCOMPARE(cold.cachedCount(), std::size_t(0));
        for (const CorpusFile &file : cold.files)
            QVERIFY(file.score.notes.empty()); // encoded, not kept

        const CorpusScan warm = scanCorpus(root, context, 2, &encoding);
        QCOMPARE(counting.calls->load(), 2); // nothing encoded again
        QCOMPARE(warm.cachedCount(), std::size_t(2));
        QCOMPARE(encodings(warm), encodings(cold));
        QCOMPARE(warm.fingerprint(), cold.fingerprint());
        QCOMPARE(warm.usableCount(), cold.usableCount());
        for (std::size_t i = 0; i < warm.files.size(); ++i) {
            QCOMPARE(warm.files[i].noteCount, cold.files[i].noteCount);
            QCOMPARE(warm.files[i].durationSec, cold.files[i].durationSec);
        }

        // A changed file is encoded again, and only it.
        fs::copy_file(test::dataPath("valid/smpte-25fps.mid"), root / "scale.mid",
                      fs::copy_options::overwrite_existing);
        const CorpusScan changed = scanCorpus(root, context, 2, &encoding);
        QCOMPARE(counting.calls->load(), 3);
        QCOMPARE(changed.cachedCount(), std::size_t(1));

        // Another setting (key) encodes everything again.
        const ScanEncoding other = counting.encoding(cache, "pitches v2");
        QCOMPARE(scanCorpus(root, context, 2, &other).cachedCount(), std::size_t(0));
        QCOMPARE(counting.calls->load(), 5);

        // A damaged cache entry is rebuilt, not trusted.
        for (const auto &entry : fs::directory_iterator(cache)) {
            std::vector<std::uint8_t> bytes = readFileBytes(entry.path(), 1u << 20);
            bytes[bytes.size() / 2] ^= 0x40;
            writeFileAtomically(entry.path(), bytes);
        }
        const CorpusScan repaired = scanCorpus(root, context, 2, &encoding);
        QCOMPARE(repaired.cachedCount(), std::size_t(0));
        QCOMPARE(encodings(repaired), encodings(changed));

        // A cache that cannot be written (a file where the folder should be) only costs time.
        const ScanEncoding unwritable = counting.encoding(root / "scale.mid" / "cache");
        QCOMPARE(scanCorpus(root, context, 2, &unwritable).usableCount(), std::size_t(2));
    }

    void sharedCorpusIsAllUsable()
    {
        const auto root = test::sharedCorpus("piano-classical");
        if (root.empty())
            QSKIP("the shared piano corpus is absent");
        PlainJobContext context;
        QElapsedTimer timer;
        timer.start();
        const CorpusScan scan = scanCorpus(root, context);
        qInfo("scanned %zu files in %lld ms", scan.files.size(), timer.elapsed());
        QCOMPARE(scan.files.size(), std::size_t(296));
        QCOMPARE(scan.usableCount(), std::size_t(296));
    }
};

QTEST_APPLESS_MAIN(TestCorpusScan)
#include "tst_corpusscan.moc"
