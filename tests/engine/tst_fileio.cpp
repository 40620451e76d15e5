// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for whole-file reads and atomic writes.
#include "core/error.h"
#include "core/fileio.h"

#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

using namespace continuo;
namespace fs = std::filesystem;

class TestFileIo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writeCreatesAndReplaces()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "out.mid";
        writeFileAtomically(path, std::string_view("first"));
        writeFileAtomically(path, std::string_view("second!"));
        const auto bytes = readFileBytes(path, 100);
        QCOMPARE(std::string(bytes.begin(), bytes.end()), std::string("second!"));
        QVERIFY(!fs::exists(fs::path(path.string() + ".tmp")));
    }

    void failedWriteLeavesTheTargetAlone()
    {
        QTemporaryDir dir;
        const fs::path target = fs::path(dir.path().toStdString()) / "folder";
        fs::create_directory(target);
        fs::create_directory(target / "child"); // renaming a file over a non-empty folder fails
        QVERIFY_THROWS_EXCEPTION(IoError, writeFileAtomically(target, std::string_view("x")));
        QVERIFY(fs::is_directory(target / "child"));
        QVERIFY(!fs::exists(fs::path(target.string() + ".tmp")));
    }

    void anUncommittedFileLeavesNothingBehind()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "out.wav";
        writeFileAtomically(path, std::string_view("old"));
        {
            AtomicFile file(path);
            const std::string_view text = "streamed through the descriptor";
            QCOMPARE(::write(file.descriptor(), text.data(), text.size()), ssize_t(text.size()));
            QVERIFY(fs::exists(fs::path(path.string() + ".tmp")));
        } // no commit: a cancelled render
        QVERIFY(!fs::exists(fs::path(path.string() + ".tmp")));
        auto bytes = readFileBytes(path, 100);
        QCOMPARE(std::string(bytes.begin(), bytes.end()), std::string("old"));

        AtomicFile file(path);
        file.write(reinterpret_cast<const std::uint8_t *>("new"), 3);
        file.commit();
        bytes = readFileBytes(path, 100);
        QCOMPARE(std::string(bytes.begin(), bytes.end()), std::string("new"));
        QVERIFY(!fs::exists(fs::path(path.string() + ".tmp")));
    }

    void missingFolderIsAnIoError()
    {
        QVERIFY_THROWS_EXCEPTION(IoError,
                                 writeFileAtomically("/nonexistent-folder/x.mid", std::string_view("x")));
        QVERIFY_THROWS_EXCEPTION(IoError, readFileBytes("/nonexistent-folder/x.mid", 100));
    }

    void readRefusesLargeFiles()
    {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "big.bin";
        writeFileAtomically(path, std::string(1000, 'x'));
        QCOMPARE(readFileBytes(path, 1000).size(), std::size_t(1000));
        try {
            readFileBytes(path, 999);
            QFAIL("read a file over the limit");
        } catch (const IoError &error) {
            QVERIFY(std::string(error.what()).find("too large") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestFileIo)
#include "tst_fileio.moc"
