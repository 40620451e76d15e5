// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the checkpoint container: round trip, and every flipped or cut byte is refused clearly.
#include "core/error.h"
#include "nn/checkpointfile.h"
#include "testutil.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <iterator>

using namespace continuo;

namespace {
CheckpointContents sample()
{
    CheckpointContents contents;
    contents.headerJson = R"({"format":1,"representation":"performance"})";
    contents.blobs = { { "weights", std::string("\x00\x01\x02\xff", 4) },
                       { "optimizer", "adam state" },
                       { "empty", "" } };
    return contents;
}

/// The sentence of the ModelError that decoding `bytes` throws, or "" if it decodes.
std::string decodeError(const std::string &bytes)
{
    try {
        decodeCheckpoint(bytes, "model.ckpt");
        return {};
    } catch (const ModelError &error) {
        return error.what();
    }
}
} // namespace

class TestCheckpointFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripThroughAFile()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / "m.ckpt";
        writeCheckpointFile(path, sample());
        QVERIFY(!std::filesystem::exists(path.string() + ".tmp"));
        const CheckpointContents back = readCheckpointFile(path);
        QCOMPARE(back.headerJson, sample().headerJson);
        QCOMPARE(int(back.blobs.size()), 3);
        QCOMPARE(*back.blob("weights"), std::string("\x00\x01\x02\xff", 4));
        QCOMPARE(*back.blob("optimizer"), std::string("adam state"));
        QVERIFY(back.blob("empty")->empty());
        QVERIFY(back.blob("missing") == nullptr);
    }

    void everyFlippedByteIsRefused()
    {
        const std::string good = encodeCheckpoint(sample());
        for (std::size_t i = 0; i < good.size(); ++i) {
            std::string bad = good;
            bad[i] = char(bad[i] ^ 0x5A);
            const std::string error = decodeError(bad);
            QVERIFY2(!error.empty(), qPrintable(QString("byte %1 flipped was accepted").arg(i)));
            QVERIFY(error.rfind("model.ckpt: ", 0) == 0);
        }
    }

    void everyCutIsRefused()
    {
        const std::string good = encodeCheckpoint(sample());
        for (std::size_t n = 0; n < good.size(); ++n)
            QVERIFY2(!decodeError(good.substr(0, n)).empty(),
                     qPrintable(QString("cut at %1 was accepted").arg(n)));
    }

    void foreignAndNewerFilesAreNamed()
    {
        std::ifstream in(test::dataPath("valid/c-major-format0.mid"), std::ios::binary);
        const std::string midi { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
        QCOMPARE(decodeError(midi), std::string("model.ckpt: this is not a Continuo model file."));
        std::string newer = encodeCheckpoint(sample());
        newer[20] = 9; // the version field
        QVERIFY(decodeError(newer).find("newer version of Continuo") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestCheckpointFile)
#include "tst_checkpointfile.moc"
