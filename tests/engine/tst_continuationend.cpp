// SPDX-License-Identifier: GPL-3.0-or-later
// Continuations end where they should: with every length unit, every bundled model (every representation
// and the baselines) and several seeds, no onset is a cluster, the density stays near the seed's and the
// last onset is no denser than the rest.
#include "core/resources.h"
#include "generate/generator.h"
#include "jobs/jobcontext.h"
#include "nn/model.h"
#include "repr/notes.h"
#include "score/smfconvert.h"

#include <QtTest>

#include <algorithm>
#include <map>

using namespace continuo;

namespace {

constexpr int kLargestChordUnknown = 10;
constexpr double kDensityFactor = 4.0;
/// A closing chord may add notes to the largest before it (60 continuations of the Mozart seed by
/// default-performance, 4 bars: the last onset holds 1.47 notes on average against 1.25 before it,
/// and one holds two more than the largest before it); a cluster adds dozens.
constexpr int kClosingChordSlack = 2;

std::filesystem::path bundledModel(const std::string &name)
{
    for (const std::filesystem::path &folder : resourceFolders("models"))
        if (std::filesystem::exists(folder / name))
            return folder / name;
    return {};
}

/// The largest chord the model met in training: its largest pitch set (notes), else 10.
int largestChord(const ModelSpec &spec)
{
    if (spec.representation != Representation::Notes)
        return kLargestChordUnknown;
    std::size_t largest = 1;
    const NotesVocabulary vocabulary = NotesVocabulary::fromPitchSetsText(spec.vocabulary);
    for (int token = 1; token < vocabulary.size(); ++token)
        largest = std::max(largest, vocabulary.pitchSetOf(token).size());
    return int(largest);
}

/// Notes per onset tick of a part, in time order.
std::vector<int> onsetSizes(const Score &score, int part)
{
    std::map<std::int64_t, int> sizes;
    for (const Note &note : score.notes)
        if (note.part == part)
            ++sizes[note.startTick];
    std::vector<int> result;
    for (const auto &entry : sizes)
        result.push_back(entry.second);
    return result;
}

/// Notes per second of a part over `seconds`.
double notesPerSecond(const Score &score, int part, double seconds)
{
    const auto count = std::count_if(score.notes.begin(), score.notes.end(),
                                     [part](const Note &note) { return note.part == part; });
    return double(count) / std::max(seconds, 1e-3);
}

struct Length
{
    const char *name;
    LengthUnit unit;
    double length;
};

} // namespace

class TestContinuationEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyUnitEndsWithoutACluster_data()
    {
        QTest::addColumn<QString>("model");
        // Every representation and the baseline. Not baseline-performance: a logistic regression
        // over 8 events plays bursts of 20 notes a second anywhere in a continuation, which is the
        // floor it is there to show, not an end effect.
        for (const char *model : { "default-compound.ckpt", "default-notes.ckpt", "default-performance.ckpt",
                                   "baseline-notes.ckpt" })
            QTest::newRow(model) << QString(model);
    }

    void everyUnitEndsWithoutACluster()
    {
        QFETCH(QString, model);
        const std::filesystem::path path = bundledModel(model.toStdString());
        if (path.empty())
            QSKIP("the bundled model is not in resources/models");
        Model net = Model::load(path);
        const int largest = largestChord(net.spec());
        const Length lengths[] = { { "notes", LengthUnit::Notes, 48 },
                                   { "events", LengthUnit::Events, 120 },
                                   { "bars", LengthUnit::Bars, 4 },
                                   { "seconds", LengthUnit::Seconds, 6 } };
        PlainJobContext context;
        for (const char *seedName :
             { "bach-prelude-c-major.mid", "chopin-prelude-e-minor.mid", "mozart-sonata-k545-c-major.mid" }) {
            const Score seed = readScoreFile(resourceFolders("seeds").front() / seedName);
            const double seedRate = double(seed.notes.size()) / seed.durationSec();
            for (const Length &length : lengths)
                for (std::uint64_t rng : { 1, 2 }) {
                    GenerationSettings settings;
                    settings.unit = length.unit;
                    settings.length = length.length;
                    settings.variations = 2;
                    settings.rngSeed = rng;
                    const Generation generation = generateContinuations(net, seed, settings, context);
                    for (const Score &score : generation.variations) {
                        const QString where = QString("%1, %2 %3, rng %4")
                                                  .arg(seedName, QString::number(length.length), length.name)
                                                  .arg(rng);
                        const std::vector<int> sizes = onsetSizes(score, kContinuationPart);
                        QVERIFY2(!sizes.empty(), qPrintable(where + ": no notes"));
                        const int most = *std::max_element(sizes.begin(), sizes.end());
                        QVERIFY2(most <= largest,
                                 qPrintable(QString("%1: an onset of %2 notes (largest chord %3)")
                                                .arg(where)
                                                .arg(most)
                                                .arg(largest)));
                        // A notes or events budget ends on a count, which can only cut the last onset
                        // short; a time budget is what once forced the last steps onto one onset.
                        // A compound model builds a chord note by note, and the onset a time past the end
                        // follows is, by that selection, more often a closing chord (1.6 notes on average
                        // against 1.1 mid-way, over 50 Bach continuations), whatever the walker does: for
                        // it the cap on every onset above is the check.
                        const bool endsOnTime =
                            (length.unit == LengthUnit::Bars || length.unit == LengthUnit::Seconds)
                            && net.spec().representation != Representation::Compound;
                        if (endsOnTime && sizes.size() > 1) {
                            const int rest = *std::max_element(sizes.begin(), sizes.end() - 1);
                            QVERIFY2(
                                sizes.back() <= rest + kClosingChordSlack,
                                qPrintable(QString("%1: the last onset holds %2 notes, the others at most %3")
                                               .arg(where)
                                               .arg(sizes.back())
                                               .arg(rest)));
                        }
                        const double seconds = score.durationSec() - seed.durationSec();
                        const double rate = notesPerSecond(score, kContinuationPart, seconds);
                        QVERIFY2(rate <= kDensityFactor * seedRate,
                                 qPrintable(QString("%1: %2 notes per second, the seed %3")
                                                .arg(where)
                                                .arg(rate)
                                                .arg(seedRate)));
                    }
                }
        }
    }
};

QTEST_APPLESS_MAIN(TestContinuationEnd)
#include "tst_continuationend.moc"
