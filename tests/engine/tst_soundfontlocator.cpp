// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for SoundFont discovery: the documented order, the preferred file in a folder, clear errors.
#include "audio/soundfontlocator.h"
#include "core/error.h"

#include <QtTest>

#include <fstream>

using namespace continuo;
namespace fs = std::filesystem;

class TestSoundFontLocator : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    fs::path root() const { return fs::path(m_dir.path().toStdString()); }
    fs::path touch(const fs::path &relative) const
    {
        const fs::path path = root() / relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path) << "RIFF";
        return path;
    }
    /// Every place set to a folder under the temporary directory.
    SoundFontSearch search() const
    {
        SoundFontSearch s;
        s.executableDir = root() / "bin";
        s.sourceDir = root() / "src/soundfonts";
        s.environmentChoice = root() / "env";
        s.systemDir = root() / "system";
        return s;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void searchesInTheDocumentedOrder()
    {
        const fs::path system = touch("system/FluidR3_GM.sf2");
        QCOMPARE(findSoundFont(search()), system);
        const fs::path env = touch("env/Env.sf2");
        QCOMPARE(findSoundFont(search()), env);
        const fs::path source = touch("src/soundfonts/Source.sf3");
        QCOMPARE(findSoundFont(search()), source);
        const fs::path exe = touch("bin/soundfonts/Bundled.sf2");
        QCOMPARE(findSoundFont(search()), exe);
        SoundFontSearch chosen = search();
        chosen.userChoice = touch("mine/Choice.sf2");
        QCOMPARE(findSoundFont(chosen), chosen.userChoice);
        const auto all = soundFontCandidates(chosen);
        QCOMPARE(all, std::vector<fs::path>({ chosen.userChoice, exe, source, env, system }));
    }

    void environmentMayNameAFile()
    {
        SoundFontSearch s = search();
        s.environmentChoice = touch("elsewhere/Named.sf2");
        s.executableDir = root() / "nothing-here";
        s.sourceDir = root() / "nothing-here";
        QCOMPARE(findSoundFont(s), s.environmentChoice);
    }

    void prefersDefaultGmThenNamesAndSkipsOtherFiles()
    {
        touch("folder/readme.txt");
        const fs::path b = touch("folder/b.sf2"), a = touch("folder/A.SF2");
        SoundFontSearch s;
        s.executableDir = root() / "none";
        s.sourceDir = root() / "none";
        s.environmentChoice = root() / "none";
        s.systemDir = root() / "folder";
        QCOMPARE(soundFontCandidates(s), std::vector<fs::path>({ a, b }));
        const fs::path preferred = touch("folder/default-GM.sf2");
        QCOMPARE(soundFontCandidates(s).front(), preferred);
    }

    void missingChoiceOrNothingFoundIsAClearError()
    {
        SoundFontSearch s;
        s.userChoice = root() / "no-such.sf2";
        try {
            findSoundFont(s);
            QFAIL("no error");
        } catch (const AudioError &error) {
            QVERIFY2(QString(error.what()).contains("no-such.sf2: the chosen SoundFont does not exist"),
                     error.what());
        }
        SoundFontSearch empty;
        empty.executableDir = root() / "none";
        empty.sourceDir = root() / "none";
        empty.environmentChoice = root() / "none";
        empty.systemDir = root() / "none";
        try {
            findSoundFont(empty);
            QFAIL("no error");
        } catch (const AudioError &error) {
            const QString message = error.what();
            QVERIFY2(message.startsWith("No SoundFont was found") && message.contains("$CONTINUO_SOUNDFONT"),
                     error.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestSoundFontLocator)
#include "tst_soundfontlocator.moc"
