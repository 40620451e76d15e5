// SPDX-License-Identifier: GPL-3.0-or-later
#include "train/fillbench.h"

#include "core/error.h"
#include "generate/seed.h"
#include "jobs/jobcontext.h"
#include "midi/midifiles.h"
#include "nn/model.h"
#include "score/smfconvert.h"
#include "train/continuationbench.h"
#include "train/evaluation.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace continuo {

namespace {

namespace fs = std::filesystem;

constexpr int kFewestTruthNotes = 8;

/// The window cut out of a piece, and its gap and the bar after it, in the window's ticks.
struct Window
{
    Score score;
    std::int64_t gapStart = 0, gapEnd = 0, nextEnd = 0;
    double seconds(std::int64_t tick) const { return score.tempoMap.tickToSeconds(tick); }
};

std::optional<Window> windowOf(const Score &score, const FillBenchOptions &o, std::string &why)
{
    const auto from = std::int64_t(score.tempoMap.secondsToTick(o.atSec));
    const std::vector<std::int64_t> bars = barStartTicks(score, score.endTick);
    const auto first = std::size_t(std::lower_bound(bars.begin(), bars.end(), from) - bars.begin());
    const std::size_t last = first + std::size_t(o.windowBars);
    const std::size_t gap = first + std::size_t(o.windowBars - o.gapBars) / 2;
    if (last >= bars.size() || bars[last] > score.endTick) {
        why = "shorter than " + std::to_string(o.windowBars) + " bars after " + std::to_string(int(o.atSec))
            + " s";
        return std::nullopt;
    }
    Window window;
    window.score = seedFromRange(score, bars[first], bars[last]);
    window.gapStart = bars[gap] - bars[first];
    window.gapEnd = bars[gap + std::size_t(o.gapBars)] - bars[first];
    window.nextEnd = bars[gap + std::size_t(o.gapBars) + 1] - bars[first];
    return window;
}

bool startsIn(const Note &note, std::int64_t start, std::int64_t end)
{
    return !note.isDrum() && note.startTick >= start && note.startTick < end;
}

/// The notes of `notes` that start in [start, end), and do not stay under `keep` among them.
std::vector<Note> regenerated(const std::vector<Note> &notes, std::int64_t start, std::int64_t end,
                              const KeepChoice &keep)
{
    std::vector<Note> out;
    for (const Note &note : notes)
        if (startsIn(note, start, end) && !staysInSpan(note, keep, notes))
            out.push_back(note);
    return out;
}

/// Notes in seconds from `tick` of the window (as compareContinuation reads them).
std::vector<Note> fromTick(const Window &window, std::vector<Note> notes, std::int64_t tick)
{
    const double zero = window.seconds(tick);
    for (Note &note : notes) {
        note.startSec = window.seconds(note.startTick) - zero;
        note.endSec = window.seconds(note.endTick) - zero;
    }
    return notes;
}

/// The NLL per note of the bar after the gap, read after the window's opening, the notes that stay
/// in the gap and `inGap` (notes in the window's ticks).
double seamNats(Model &model, const Window &window, const KeepChoice &keep, const std::vector<Note> &inGap,
                double stayClose)
{
    Score context = window.score;
    std::vector<Note> notes;
    for (const Note &note : window.score.notes)
        if (note.startTick < window.gapStart
            || (startsIn(note, window.gapStart, window.gapEnd)
                && staysInSpan(note, keep, window.score.notes)))
            notes.push_back(note);
    notes.insert(notes.end(), inGap.begin(), inGap.end());
    context.notes = notes;
    context.sortEvents();
    context.updateSeconds();
    const Score seed = seedFromRange(context, 0, window.gapEnd);
    const Score next = seedFromRange(window.score, window.gapEnd, window.nextEnd);
    const SeedAndContinuationSteps steps = modelSteps(model.spec(), seed, next);
    return continuationNats(model, steps.seed, steps.continuation, { stayClose }) / double(next.notes.size());
}

/// Figures and seam of the variations of one way of filling, averaged.
FillCandidateFigures candidateFigures(Model &model, const Window &window, const FillBenchOptions &o,
                                      const std::vector<std::vector<Note>> &variations,
                                      const std::vector<Note> &opening, const std::vector<Note> &truth,
                                      std::vector<ContinuationFigures> &all)
{
    ContinuationSummary summary;
    double seam = 0;
    for (const std::vector<Note> &inGap : variations) {
        const ContinuationFigures figures =
            compareContinuation(opening, fromTick(window, inGap, window.gapStart), truth);
        summary.add(figures);
        all.push_back(figures);
        seam += seamNats(model, window, o.keep, inGap, o.settings.stayClose);
    }
    return { summary.average(), seam / double(variations.size()) };
}

} // namespace

FillBenchResult benchFill(const FillBenchOptions &o, JobContext &context)
{
    if (o.gapBars < 1 || o.windowBars < o.gapBars + 2)
        throw GenerationError("The window must hold the gap and a bar on each side of it.");
    GenerationSettings settings = o.settings;
    settings.unit = LengthUnit::Bars;
    settings.length = o.gapBars;
    settings.validate();
    ModelMetadata metadata;
    Model model = Model::load(o.model, &metadata);
    if (model.spec().representation != Representation::Compound)
        throw GenerationError("Only a compound model can fill a gap.");
    const std::vector<fs::path> files =
        benchFiles(o.corpus, o.split, o.files, model, metadata, o.model, o.cacheDir, context);
    FillBenchResult result;
    std::vector<ContinuationFigures> fills, continuations, repeats;
    double truthNotes = 0, nextNotes = 0, seconds = 0, leftToRightNats = 0;
    QuietContext quiet(context);
    for (std::size_t i = 0; i < files.size() && !context.isCancelled(); ++i) {
        context.reportProgress(std::int64_t(i), std::int64_t(files.size()), "Filling gaps");
        FillBenchFile file;
        file.file = files[i].lexically_relative(o.corpus).generic_string();
        std::string why;
        try {
            const std::optional<Window> window = windowOf(readScoreFile(files[i]), o, why);
            if (!window) {
                result.skipped.push_back(file.file + ": " + why);
                continue;
            }
            const Window &w = *window;
            const std::vector<Note> truthTicks = regenerated(w.score.notes, w.gapStart, w.gapEnd, o.keep);
            const std::int64_t nextCount =
                std::count_if(w.score.notes.begin(), w.score.notes.end(),
                              [&](const Note &note) { return startsIn(note, w.gapEnd, w.nextEnd); });
            if (int(truthTicks.size()) < kFewestTruthNotes || nextCount == 0) {
                result.skipped.push_back(file.file + ": fewer than " + std::to_string(kFewestTruthNotes)
                                         + " notes to fill, or none after the gap");
                continue;
            }
            file.truthNotes = int(truthTicks.size());
            file.nextBarNotes = int(nextCount);
            const std::vector<Note> truth = fromTick(w, truthTicks, w.gapStart);
            const std::vector<Note> opening = fromTick(w, regenerated(w.score.notes, 0, w.gapStart, {}), 0);
            const FillRequest request { w.gapStart, w.gapEnd, o.keep };

            const Generation filled = fillSpan(model, w.score, request, settings, quiet);
            file.fillSec = filled.seconds;
            std::vector<std::vector<Note>> fillNotes;
            for (const Score &variation : filled.variations) {
                const int fillPart = int(variation.parts.size()) - 1;
                std::vector<Note> notes;
                for (const Note &note : variation.notes)
                    if (note.part == fillPart)
                        notes.push_back(note);
                fillNotes.push_back(notes);
            }
            const Score opened = seedFromRange(w.score, 0, w.gapStart);
            const Generation continued = generateContinuations(model, opened, settings, quiet);
            std::vector<std::vector<Note>> continuationNotes;
            for (const Score &variation : continued.variations)
                continuationNotes.push_back(regenerated(variation.notes, w.gapStart, w.gapEnd, o.keep));
            const std::int64_t gapLength = w.gapEnd - w.gapStart;
            std::vector<Note> repeated =
                regenerated(w.score.notes, w.gapStart - gapLength, w.gapStart, o.keep);
            for (Note &note : repeated) {
                note.startTick += gapLength;
                note.endTick += gapLength;
            }

            file.fill = candidateFigures(model, w, o, fillNotes, opening, truth, fills);
            file.leftToRight =
                candidateFigures(model, w, o, continuationNotes, opening, truth, continuations);
            file.repeat = candidateFigures(model, w, o, { repeated }, opening, truth, repeats);
            file.truthSeamNatsPerNote = seamNats(model, w, o.keep, truthTicks, settings.stayClose);
            const FillSteps steps = fillSteps(w.score, request);
            file.fillNatsPerNote = continuationNats(model, steps.prompt, steps.middle, { settings.stayClose })
                                 / double(file.truthNotes);
            file.leftToRightNatsPerNote = std::numeric_limits<double>::quiet_NaN();
            if (o.keep.rule == KeepRule::Nothing) {
                const SeedAndContinuationSteps read =
                    modelSteps(model.spec(), opened, seedFromRange(w.score, w.gapStart, w.gapEnd));
                file.leftToRightNatsPerNote =
                    continuationNats(model, read.seed, read.continuation, { settings.stayClose })
                    / double(file.truthNotes);
            }
        } catch (const GenerationError &error) {
            result.skipped.push_back(file.file + ": " + error.what());
            continue;
        } catch (const IoError &error) {
            result.skipped.push_back(file.file + ": " + error.what());
            continue;
        }
        result.files.push_back(file);
        truthNotes += file.truthNotes;
        nextNotes += file.nextBarNotes;
        seconds += file.fillSec;
        result.fillNatsPerNote += file.fillNatsPerNote * file.truthNotes;
        leftToRightNats += file.leftToRightNatsPerNote * file.truthNotes;
        result.fillSeam += file.fill.seamNatsPerNote * file.nextBarNotes;
        result.leftToRightSeam += file.leftToRight.seamNatsPerNote * file.nextBarNotes;
        result.repeatSeam += file.repeat.seamNatsPerNote * file.nextBarNotes;
        result.truthSeam += file.truthSeamNatsPerNote * file.nextBarNotes;
    }
    if (result.files.empty())
        throw GenerationError("No file of " + o.corpus.string() + " has a window with a gap to fill ("
                              + std::to_string(result.skipped.size()) + " skipped"
                              + (result.skipped.empty() ? std::string() : ", " + result.skipped.front())
                              + ").");
    result.fill = averageFigures(fills);
    result.leftToRight = averageFigures(continuations);
    result.repeat = averageFigures(repeats);
    result.fillNatsPerNote /= truthNotes;
    result.leftToRightNatsPerNote = leftToRightNats / truthNotes;
    for (double *seam : { &result.fillSeam, &result.leftToRightSeam, &result.repeatSeam, &result.truthSeam })
        *seam /= nextNotes;
    result.secondsPerFill = seconds / double(result.files.size());
    context.reportProgress(std::int64_t(files.size()), std::int64_t(files.size()), "Filling gaps");
    return result;
}

} // namespace continuo
