// SPDX-License-Identifier: GPL-3.0-or-later
// Real files from ../shared/corpus: the edge-case manifest's expectations, and every piano file
// parses and round-trips (read -> write -> read gives the same notes, tempo map, meter and key).
// Skips with a message when ../shared is absent.
#include "core/error.h"
#include "midi/midifiles.h"
#include "midi/smfreader.h"
#include "score/smfconvert.h"
#include "testutil.h"

#include <QtTest>

#include <fstream>
#include <sstream>

using namespace continuo;

namespace {

/// Compares a score with what comes back after writing and re-reading it; empty if equal.
QString roundTripDifference(const Score &original)
{
    const std::vector<std::uint8_t> bytes = scoreToSmfBytes(original);
    const Score back = scoreFromSmf(readSmf(bytes.data(), bytes.size(), "round trip"));
    if (back.notes.size() != original.notes.size())
        return QString("note count %1 -> %2").arg(original.notes.size()).arg(back.notes.size());
    for (std::size_t i = 0; i < original.notes.size(); ++i)
        if (!(back.notes[i] == original.notes[i]))
            return QString("note %1 differs (pitch %2 tick %3)")
                .arg(i)
                .arg(original.notes[i].pitch)
                .arg(original.notes[i].startTick);
    if (!(back.tempoMap.changes() == original.tempoMap.changes()))
        return "tempo map differs";
    if (!(back.timeSignatures == original.timeSignatures))
        return "time signatures differ";
    if (!(back.keySignatures == original.keySignatures))
        return "key signatures differ";
    return {};
}

struct ManifestRow
{
    std::string file;
    std::string expected;
};

std::vector<ManifestRow> readManifest(const std::filesystem::path &folder)
{
    std::vector<ManifestRow> rows;
    std::ifstream in(folder / "MANIFEST.tsv");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line.rfind("file\t", 0) == 0)
            continue;
        std::istringstream fields(line);
        std::vector<std::string> columns;
        std::string column;
        while (std::getline(fields, column, '\t'))
            columns.push_back(column);
        if (columns.size() > 5)
            rows.push_back({ columns[0], columns[5] });
    }
    return rows;
}

} // namespace

class TestSmfCorpus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void edgeCases_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        const auto folder = test::sharedCorpus("smf-edge-cases");
        if (folder.empty()) {
            QTest::newRow("absent") << QString() << QString();
            return;
        }
        const auto rows = readManifest(folder);
        QVERIFY(rows.size() >= 60);
        for (const ManifestRow &row : rows)
            QTest::newRow(row.file.c_str()) << QString::fromStdString((folder / row.file).string())
                                            << QString::fromStdString(row.expected);
    }
    void edgeCases()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        if (file.isEmpty())
            QSKIP("../shared/corpus/smf-edge-cases is absent");
        const std::string path = file.toStdString();
        try {
            const SmfFile smf = readSmfFile(path);
            QVERIFY2(expected != "must-reject", "a file that must be rejected was accepted");
            const Score score = scoreFromSmf(smf);
            const QString difference = roundTripDifference(score);
            QVERIFY2(difference.isEmpty(), qPrintable(difference));
        } catch (const SmfError &error) {
            QVERIFY2(expected != "parses", error.what());
            QVERIFY(std::string(error.what()).find(path) == 0); // the message names the file
        }
    }

    void pianoCorpusParsesAndRoundTrips_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::newRow("piano-classical") << "piano-classical";
        QTest::newRow("piano-classical-extra") << "piano-classical-extra";
    }
    void pianoCorpusParsesAndRoundTrips()
    {
        QFETCH(QString, folder);
        const auto root = test::sharedCorpus(folder.toStdString());
        if (root.empty())
            QSKIP("the shared piano corpus is absent");
        const auto files = findMidiFiles(root);
        QVERIFY(files.size() >= 30);
        std::size_t notes = 0;
        QStringList failures;
        for (const auto &path : files) {
            try {
                const Score score = readScoreFile(path);
                notes += score.notes.size();
                if (score.notes.empty())
                    failures << QString::fromStdString(path.string()) + ": no notes";
                const QString difference = roundTripDifference(score);
                if (!difference.isEmpty())
                    failures << QString::fromStdString(path.string()) + ": " + difference;
            } catch (const Error &error) {
                failures << QString::fromStdString(error.what());
            }
        }
        qInfo("%s: %zu files, %zu notes, %lld failures", qPrintable(folder), files.size(), notes,
              qlonglong(failures.size()));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));
    }
};

QTEST_APPLESS_MAIN(TestSmfCorpus)
#include "tst_smfcorpus.moc"
