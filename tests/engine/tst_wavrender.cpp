// SPDX-License-Identifier: GPL-3.0-or-later
// Tests for the offline WAV render: real FluidSynth, the file checked with libsndfile as an
// independent reader (length, level, clipping, timing, determinism), job runner progress and cancel.
#include "audio/wavrender.h"
#include "core/error.h"
#include "jobs/jobrunner.h"

#include "audiotestutil.h"

#include <QtTest>

#include <sndfile.h>

#include <atomic>
#include <cmath>
#include <fstream>

using namespace continuo;
using namespace std::chrono_literals;
using continuo::test::scoreOf;

namespace {
struct Audio
{
    SF_INFO info {};
    std::vector<double> samples; // interleaved, full scale = 1.0
    double peak() const
    {
        double p = 0.0;
        for (double s : samples)
            p = std::max(p, std::abs(s));
        return p;
    }
    double rms(std::int64_t fromFrame, std::int64_t toFrame) const
    {
        double sum = 0.0;
        std::int64_t n = 0;
        for (std::int64_t i = fromFrame * info.channels;
             i < toFrame * info.channels && i < std::int64_t(samples.size()); ++i)
            sum += samples[std::size_t(i)] * samples[std::size_t(i)], ++n;
        return n ? std::sqrt(sum / double(n)) : 0.0;
    }
    /// The first frame louder than `level`.
    std::int64_t firstFrameAbove(double level) const
    {
        for (std::size_t i = 0; i < samples.size(); ++i)
            if (std::abs(samples[i]) > level)
                return std::int64_t(i) / info.channels;
        return -1;
    }
};

Audio readWav(const std::filesystem::path &path)
{
    Audio audio;
    SNDFILE *file = sf_open(path.string().c_str(), SFM_READ, &audio.info);
    if (!file)
        return audio;
    audio.samples.resize(std::size_t(audio.info.frames * audio.info.channels));
    sf_readf_double(file, audio.samples.data(), audio.info.frames);
    sf_close(file);
    return audio;
}

std::vector<char> fileBytes(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}
} // namespace

class TestWavRender : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    RenderOptions m_options;
    std::filesystem::path out(const char *name) const
    {
        return std::filesystem::path(m_dir.path().toStdString()) / name;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_options.soundFont = test::testSoundFont();
        if (m_options.soundFont.empty())
            QSKIP("No General MIDI SoundFont installed (Debian: fluid-soundfont-gm)");
    }

    void rendersAFileWithTheScoresLengthPlusTail()
    {
        const Score score = readScoreFile(test::dataPath("valid/c-major-format0.mid")); // 8 notes, 4 s
        PlainJobContext context;
        const RenderResult result = renderScoreToWav(score, out("c-major.wav"), m_options, context);
        const Audio audio = readWav(out("c-major.wav"));
        QCOMPARE(audio.info.samplerate, 44100);
        QCOMPARE(audio.info.channels, 2);
        QCOMPARE(audio.info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
        const double lengthSec = double(audio.info.frames) / audio.info.samplerate;
        QVERIFY2(std::abs(lengthSec - (score.durationSec() + m_options.tailSec)) < 0.050,
                 qPrintable(QString("%1 s").arg(lengthSec)));
        QCOMPARE(std::int64_t(audio.info.frames), result.frames);
        // Not silent while the notes play; no sample at full scale (16-bit clipping).
        QVERIFY2(audio.rms(0, 4 * 44100) > 1e-3, qPrintable(QString::number(audio.rms(0, 4 * 44100))));
        QVERIFY2(audio.peak() < 32767.0 / 32768.0, qPrintable(QString::number(audio.peak())));
        QVERIFY(std::abs(audio.peak() - result.peak) < 1e-3);
        // The release tail dies away: the last 100 ms are far quieter than the music.
        QVERIFY(audio.rms(audio.info.frames - 4410, audio.info.frames) < audio.rms(0, 4 * 44100) / 10);
        QVERIFY(!std::filesystem::exists(out("c-major.wav.tmp")));
    }

    void sameInputGivesTheSameBytes()
    {
        const Score score = readScoreFile(test::dataPath("valid/two-tracks-format1.mid"));
        PlainJobContext context;
        renderScoreToWav(score, out("a.wav"), m_options, context);
        renderScoreToWav(score, out("b.wav"), m_options, context);
        const auto a = fileBytes(out("a.wav")), b = fileBytes(out("b.wav"));
        QVERIFY(a.size() > 44);
        QVERIFY(a == b);
    }

    void noteStartsWhereTheTempoMapPutsIt()
    {
        // One note at 1.0 s (960 ticks at 120 bpm): silence before it, sound within 5 ms of it.
        const Score score = scoreOf({ { 960, 0x90, 60, 100 }, { 1440, 0x80, 60, 0 } });
        RenderOptions options = m_options;
        options.sampleRateHz = 48000;
        options.bitsPerSample = 24;
        options.tailSec = 0.5;
        PlainJobContext context;
        renderScoreToWav(score, out("onset.wav"), options, context);
        const Audio audio = readWav(out("onset.wav"));
        QCOMPARE(audio.info.samplerate, 48000);
        QCOMPARE(audio.info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
        QVERIFY(std::abs(double(audio.info.frames) / 48000 - 2.0) < 0.050);
        const std::int64_t onset = audio.firstFrameAbove(1e-4);
        QVERIFY2(onset >= 0 && std::abs(onset / 48000.0 - 1.0) < 0.005, qPrintable(QString::number(onset)));
    }

    void partProgramChangesTheSound()
    {
        const Score score = scoreOf({ { 0, 0x90, 60, 100 }, { 960, 0x80, 60, 0 } });
        RenderOptions organ = m_options;
        organ.playback.partPrograms = { 19 }; // church organ instead of the piano
        organ.tailSec = 0.2;
        RenderOptions piano = organ;
        piano.playback.partPrograms = {};
        PlainJobContext context;
        renderScoreToWav(score, out("piano.wav"), piano, context);
        renderScoreToWav(score, out("organ.wav"), organ, context);
        const Audio a = readWav(out("piano.wav")), b = readWav(out("organ.wav"));
        QCOMPARE(a.info.frames, b.info.frames);
        // An organ holds its level; a piano decays: compare the level late in the note.
        const double pianoLate = a.rms(30000, 40000), organLate = b.rms(30000, 40000);
        QVERIFY2(std::abs(pianoLate - organLate) > 0.2 * std::max(pianoLate, organLate),
                 qPrintable(QString("%1 vs %2").arg(pianoLate).arg(organLate)));
    }

    void runsThroughTheJobRunnerWithProgress()
    {
        const Score score = readScoreFile(test::dataPath("valid/c-major-format0.mid"));
        std::atomic<int> outcomes { 0 };
        std::vector<std::int64_t> done;
        std::int64_t total = 0;
        RenderResult result;
        JobCallbacks<RenderResult> callbacks;
        callbacks.progress = [&](std::int64_t d, std::int64_t t, const std::string &stage) {
            if (stage == "Rendering")
                done.push_back(d), total = t;
        };
        callbacks.finished = [&](RenderResult r) { result = r, ++outcomes; };
        callbacks.cancelled = [&] { outcomes += 100; };
        callbacks.failed = [&](const JobFailure &) { outcomes += 100; };
        JobRunner runner;
        runner.setMinProgressInterval(0ms);
        const auto path = out("job.wav");
        runner.start<RenderResult>([&](JobContext &c) { return renderScoreToWav(score, path, m_options, c); },
                                   callbacks);
        QVERIFY(runner.waitFor(30s));
        QCOMPARE(outcomes.load(), 1);
        QVERIFY(done.size() > 10);
        QCOMPARE(done.back(), total);
        QCOMPARE(result.frames, total);
        QVERIFY(std::is_sorted(done.begin(), done.end()));
    }

    void cancelLeavesNoFile()
    {
        // A long score (10 minutes of notes) cancelled as soon as rendering starts.
        Score score = scoreOf({ { 0, 0x90, 60, 100 }, { 960 * 600, 0x80, 60, 0 } });
        std::atomic<int> cancelled { 0 }, other { 0 };
        JobCallbacks<RenderResult> callbacks;
        JobRunner runner;
        callbacks.progress = [&](std::int64_t d, std::int64_t, const std::string &) {
            if (d > 0)
                runner.cancel();
        };
        callbacks.finished = [&](RenderResult) { ++other; };
        callbacks.cancelled = [&] { ++cancelled; };
        callbacks.failed = [&](const JobFailure &) { ++other; };
        runner.setMinProgressInterval(0ms);
        const auto path = out("cancelled.wav");
        runner.start<RenderResult>([&](JobContext &c) { return renderScoreToWav(score, path, m_options, c); },
                                   callbacks);
        QVERIFY(runner.waitFor(30s));
        QCOMPARE(cancelled.load(), 1);
        QCOMPARE(other.load(), 0);
        QVERIFY(!std::filesystem::exists(path));
        QVERIFY(!std::filesystem::exists(path.string() + ".tmp"));
    }

    void badSoundFontsAreClearErrors_data()
    {
        QTest::addColumn<QString>("soundFont");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing") << "soundfonts/no-such-font.sf2"
                                 << "does not exist";
        QTest::newRow("not a SoundFont") << "soundfonts/not-a-soundfont.sf2"
                                         << "is not a SoundFont";
        QTest::newRow("damaged") << "soundfonts/damaged.sf2"
                                 << "damaged";
    }
    void badSoundFontsAreClearErrors()
    {
        QFETCH(QString, soundFont);
        QFETCH(QString, expected);
        RenderOptions options = m_options;
        options.soundFont = test::dataPath(soundFont.toStdString());
        const Score score = readScoreFile(test::dataPath("valid/c-major-format0.mid"));
        PlainJobContext context;
        const auto path = out("never.wav");
        try {
            renderScoreToWav(score, path, options, context);
            QFAIL("no error");
        } catch (const AudioError &error) {
            const QString message = error.what();
            QVERIFY2(message.contains(expected)
                         && message.contains(QString::fromStdString(options.soundFont.filename().string())),
                     qPrintable(message));
        }
        QVERIFY(!std::filesystem::exists(path));
    }

    void unwritableFolderIsAnIoError()
    {
        const Score score = readScoreFile(test::dataPath("valid/c-major-format0.mid"));
        PlainJobContext context;
        QVERIFY_THROWS_EXCEPTION(IoError,
                                 renderScoreToWav(score, out("no/such/folder.wav"), m_options, context));
    }

    void badOptionsAreRefused()
    {
        const Score score = readScoreFile(test::dataPath("valid/c-major-format0.mid"));
        PlainJobContext context;
        RenderOptions options = m_options;
        options.sampleRateHz = 22050;
        QVERIFY_THROWS_EXCEPTION(AudioError, renderScoreToWav(score, out("x.wav"), options, context));
        options = m_options;
        options.bitsPerSample = 8;
        QVERIFY_THROWS_EXCEPTION(AudioError, renderScoreToWav(score, out("x.wav"), options, context));
    }
};

QTEST_GUILESS_MAIN(TestWavRender)
#include "tst_wavrender.moc"
