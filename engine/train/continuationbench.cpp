// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/continuationbench.h"

#include "analysis/memorization.h"
#include "core/error.h"
#include "data/dataset.h"
#include "generate/seed.h"
#include "generate/seedhold.h"
#include "jobs/jobcontext.h"
#include "midi/midifiles.h"
#include "nn/model.h"
#include "score/scoreparts.h"
#include "score/smfconvert.h"
#include "train/replaycheck.h"
#include "train/trainingrun.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <random>

namespace continuo {

namespace {

namespace fs = std::filesystem;

struct Excerpt
{
    Score seed;
    Score truth; ///< starts at the seed's end
    std::vector<Note> seedNotes, truthNotes; ///< in seconds from each one's start
};

/// The seed and truth of a file, or the reason it cannot give them.
std::optional<Excerpt> excerptOf(const fs::path &path, double atSec, double windowSec, std::string &why)
{
    try {
        const Score score = readScoreFile(path);
        if (score.durationSec() < atSec + 2 * windowSec) {
            why = "shorter than " + std::to_string(int(atSec + 2 * windowSec)) + " s";
            return std::nullopt;
        }
        const auto tick = [&](double sec) { return std::int64_t(score.tempoMap.secondsToTick(sec)); };
        Excerpt excerpt;
        excerpt.seed = seedFromRange(score, tick(atSec), tick(atSec + windowSec));
        excerpt.truth = seedFromRange(score, tick(atSec + windowSec), tick(atSec + 2 * windowSec));
        excerpt.seedNotes = notesInSeconds(excerpt.seed, 0, windowSec + 1);
        excerpt.truthNotes = notesInSeconds(excerpt.truth, 0, windowSec + 1);
        if (int(excerpt.seedNotes.size()) < kContinuationBenchMinNotes
            || int(excerpt.truthNotes.size()) < kContinuationBenchMinNotes) {
            why = "fewer than " + std::to_string(kContinuationBenchMinNotes)
                + " notes in the seed or the truth";
            return std::nullopt;
        }
        return excerpt;
    } catch (const Error &error) {
        why = error.what(); // unreadable, or nothing starts in the seed or the truth
        return std::nullopt;
    }
}

/// The continuation's notes in seconds from the seed's end.
std::vector<Note> continuationNotes(const Score &variation, double seedSec)
{
    std::vector<Note> notes;
    for (Note note : variation.notes)
        if (note.part == kContinuationPart && !note.isDrum()) {
            note.startSec -= seedSec;
            note.endSec -= seedSec;
            notes.push_back(note);
        }
    return notes;
}

/// The memorization check of a generation's continuation part, recorded in `result`.
void checkCopy(const MemorizationIndex &index, const Score &generation, int threshold,
               ContinuationBenchResult &result)
{
    const MemorizationMatch match = continuationCopy(index, generation);
    if (match.distinctNotes > result.longestCopy) {
        result.longestCopy = match.distinctNotes;
        result.longestCopyFile = match.file;
        result.longestCopyBar = match.bar;
    }
    if (match.distinctNotes > std::size_t(threshold))
        ++result.copies;
}

} // namespace

std::vector<fs::path> evenlySpaced(const std::vector<fs::path> &files, int count)
{
    if (count <= 0 || std::size_t(count) >= files.size())
        return files;
    std::vector<fs::path> chosen;
    for (int i = 0; i < count; ++i)
        chosen.push_back(files[std::size_t(i) * files.size() / std::size_t(count)]);
    return chosen;
}

Score humanizeSeed(const Score &seed, std::uint64_t rngSeed)
{
    std::mt19937_64 rng(rngSeed);
    const double length = std::max(seed.durationSec(), 1e-3);
    // Time t (s) is played at t * (1 + 0.02 t / length): 4% slower by the end.
    const auto played = [length](double sec) { return sec * (1.0 + 0.02 * sec / length); };
    const auto tick = [&seed](double sec) {
        return std::max<std::int64_t>(0, std::llround(seed.tempoMap.secondsToTick(sec)));
    };
    const auto uniform = [&rng](double halfWidth) {
        return (double(uniformIndex(rng, 2001)) / 1000.0 - 1.0) * halfWidth;
    };
    Score result = seed;
    for (Note &note : result.notes) {
        const double start = played(seed.tempoMap.tickToSeconds(note.startTick)) + uniform(0.025);
        const double end = start + played(seed.tempoMap.tickToSeconds(note.endTick))
                         - played(seed.tempoMap.tickToSeconds(note.startTick));
        note.startTick = tick(std::max(0.0, start));
        note.endTick = std::max(note.startTick + 1, tick(end));
        note.velocity = std::clamp(note.velocity + int(std::lround(uniform(12.0))), 1, 127);
    }
    result.endTick = tick(played(length));
    for (const Note &note : result.notes)
        result.endTick = std::max(result.endTick, note.startTick + 1);
    result.sortEvents();
    result.updateSeconds();
    return result;
}

std::vector<fs::path> benchFiles(const fs::path &corpus, EvaluationSplit split, int count, const Model &model,
                                 const ModelMetadata &metadata, const fs::path &modelPath,
                                 const fs::path &cacheDir, JobContext &context)
{
    if (split == EvaluationSplit::All)
        return evenlySpaced(findMidiFiles(corpus), count);
    QuietContext quiet(context);
    const ModelCorpus prepared = prepareModelCorpus(corpus, model, metadata, cacheDir, quiet);
    if (!prepared.isTrainingSplit)
        throw ModelError(corpus.string() + " is not the corpus " + modelPath.string()
                         + " was trained on, or its checkpoint does not say how its files were split, so "
                           "its validation files are unknown; use every file instead.");
    std::vector<fs::path> files;
    for (const std::size_t f : prepared.data.split.validation)
        files.push_back(prepared.data.corpus.files[f]); // as the scan found it, under corpus
    std::sort(files.begin(), files.end());
    return evenlySpaced(files, count);
}

ContinuationBenchResult benchContinuation(const ContinuationBenchOptions &o, JobContext &context)
{
    if (!(o.atSec >= 0) || !(o.windowSec > 0))
        throw GenerationError("The seed must start at 0 s or later and last more than 0 s.");
    GenerationSettings settings = o.settings;
    settings.unit = LengthUnit::Seconds;
    settings.length = o.windowSec;
    settings.validate();
    ModelMetadata metadata;
    Model model = Model::load(o.model, &metadata);
    std::optional<Model> blend;
    if (!o.blend.empty())
        blend = Model::load(o.blend);
    const std::vector<fs::path> files =
        benchFiles(o.corpus, o.split, o.files, model, metadata, o.model, o.cacheDir, context);

    ContinuationBenchResult result;
    result.representation = model.spec().representation;
    std::optional<MemorizationIndex> index;
    if (const fs::path memo = memorizationIndexPathFor(o.model); fs::exists(memo))
        index = MemorizationIndex::load(memo);
    result.memorizationChecked = index.has_value();
    std::vector<Excerpt> excerpts;
    std::vector<ContinuationFigures> modelFigures;
    QuietContext quiet(context);
    for (std::size_t i = 0; i < files.size() && !context.isCancelled(); ++i) {
        context.reportProgress(std::int64_t(i), std::int64_t(files.size()), "Continuing seeds");
        const std::string name = files[i].lexically_relative(o.corpus).generic_string();
        std::string why;
        std::optional<Excerpt> excerpt = excerptOf(files[i], o.atSec, o.windowSec, why);
        if (!excerpt) {
            result.skipped.push_back(name + ": " + why);
            continue;
        }
        if (o.humanize)
            excerpt->seed = humanizeSeed(excerpt->seed, settings.rngSeed + i);
        ContinuationBenchFile file;
        file.file = name;
        file.seedNotes = int(excerpt->seedNotes.size());
        file.truthNotes = int(excerpt->truthNotes.size());
        const Generation generation =
            generateContinuations(model, excerpt->seed, settings, quiet, {}, blend ? &*blend : nullptr);
        file.generationSec = generation.seconds;
        std::vector<ContinuationFigures> variations;
        for (const Score &variation : generation.variations) {
            if (index)
                checkCopy(*index, variation, o.copyThreshold, result);
            if (const std::optional<Score> continuation = partNamed(variation, "Continuation"))
                result.continuationStatistics.add(computeStatistics(*continuation));
            variations.push_back(compareContinuation(
                excerpt->seedNotes, continuationNotes(variation, excerpt->seed.durationSec()),
                excerpt->truthNotes));
        }
        modelFigures.insert(modelFigures.end(), variations.begin(), variations.end());
        file.model = averageFigures(variations);
        file.repeat = compareContinuation(excerpt->seedNotes, excerpt->seedNotes, excerpt->truthNotes);
        file.truthLoop = loopShare(excerpt->seedNotes, excerpt->truthNotes);
        result.truthStatistics.add(computeStatistics(excerpt->truth));
        const SeedAndContinuationSteps steps = modelSteps(model.spec(), excerpt->seed, excerpt->truth);
        if (blend) {
            file.natsPerNote = file.networkNatsPerNote = std::numeric_limits<double>::quiet_NaN();
        } else {
            const DrawShaping shaping { settings.stayClose,    settings.followSeed,
                                        settings.holdRegister, settings.holdKey,
                                        settings.holdRhythm,   DrawFloor::kContinuationShare,
                                        steps.unitsToSeedEnd };
            for (const double nats : continuationNatsByHead(model, steps.seed, steps.continuation, shaping))
                file.natsPerNoteByHead.push_back(nats / double(file.truthNotes));
            file.natsPerNote =
                std::accumulate(file.natsPerNoteByHead.begin(), file.natsPerNoteByHead.end(), 0.0);
            file.networkNatsPerNote =
                continuationNats(model, steps.seed, steps.continuation) / double(file.truthNotes);
        }
        result.files.push_back(file);
        excerpts.push_back(std::move(*excerpt));
    }
    if (result.files.empty())
        throw GenerationError(
            "No file of " + o.corpus.string() + " has a seed and a continuation to compare ("
            + std::to_string(result.skipped.size()) + " skipped"
            + (result.skipped.empty() ? std::string() : ", " + result.skipped.front()) + ").");

    std::vector<ContinuationFigures> repeat, other;
    double truthLoop = 0, nats = 0, networkNats = 0, notes = 0, seconds = 0;
    for (std::size_t i = 0; i < result.files.size(); ++i) {
        ContinuationBenchFile &file = result.files[i];
        const Excerpt &next = excerpts[(i + 1) % excerpts.size()];
        file.other = compareContinuation(excerpts[i].seedNotes, next.truthNotes, excerpts[i].truthNotes);
        repeat.push_back(file.repeat);
        other.push_back(file.other);
        truthLoop += file.truthLoop;
        nats += file.natsPerNote * file.truthNotes;
        networkNats += file.networkNatsPerNote * file.truthNotes;
        result.natsPerNoteByHead.resize(file.natsPerNoteByHead.size());
        for (std::size_t h = 0; h < file.natsPerNoteByHead.size(); ++h)
            result.natsPerNoteByHead[h] += file.natsPerNoteByHead[h] * file.truthNotes;
        notes += file.truthNotes;
        seconds += file.generationSec;
    }
    const double count = double(result.files.size());
    result.model = averageFigures(modelFigures);
    result.repeat = averageFigures(repeat);
    result.other = averageFigures(other);
    result.truthLoop = truthLoop / count;
    result.natsPerNote = nats / notes;
    result.networkNatsPerNote = networkNats / notes;
    for (double &nats : result.natsPerNoteByHead)
        nats /= notes;
    result.secondsPerFile = seconds / count;
    result.secondsPerContinuation = result.secondsPerFile / settings.variations;
    context.reportProgress(std::int64_t(files.size()), std::int64_t(files.size()), "Continuing seeds");
    return result;
}

} // namespace continuo
