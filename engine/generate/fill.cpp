// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate/fill.h"

#include "core/error.h"
#include "generate/internal/walker.h"
#include "generate/internal/walkloop.h"
#include "generate/pitchconstraints.h"
#include "generate/seed.h"
#include "generate/seedgrid.h"
#include "jobs/jobcontext.h"
#include "nn/model.h"
#include "repr/infilling.h"
#include "train/evaluation.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>

namespace continuo {

namespace {

/// The context a fill reads: the latest notes before the span, and the earliest known ones.
constexpr std::size_t kNotesBefore = 128;
constexpr std::size_t kNotesKnown = 48;

InfillingNote gridNoteOf(const Note &note, int ticksPerQuarter)
{
    const std::int64_t onset = grid::toGrid(note.startTick, ticksPerQuarter);
    const std::int64_t end = grid::toGrid(note.endTick, ticksPerQuarter);
    return { onset, std::max<std::int64_t>(1, end - onset), note.pitch,
             compoundrepr::velocityBin(note.velocity) };
}

std::vector<InfillingNote> gridNotesOf(const std::vector<Note> &notes, int ticksPerQuarter)
{
    std::vector<InfillingNote> grid;
    for (const Note &note : notes)
        grid.push_back(gridNoteOf(note, ticksPerQuarter));
    return grid;
}

/// The score's notes around and in the span, by their onsets on the grid.
struct SpanNotes
{
    std::vector<Note> before, kept, replaced, after;
};

SpanNotes spanNotes(const Score &score, const FillRequest &request, std::int64_t startUnit,
                    std::int64_t endUnit)
{
    SpanNotes notes;
    const int tpq = score.ticksPerQuarter();
    for (const Note &note : score.notes) {
        if (note.isDrum())
            continue;
        const std::int64_t onset = grid::toGrid(note.startTick, tpq);
        if (onset < startUnit)
            notes.before.push_back(note);
        else if (onset >= endUnit)
            notes.after.push_back(note);
        else
            (staysInSpan(note, request.keep, score.notes) ? notes.kept : notes.replaced).push_back(note);
    }
    return notes;
}

/// Whether some grid unit of the gap has a key the constraints allow, not held by a staying note,
/// under the polyphony limit.
bool roomForANote(const generation::GapToFill &gap, const PitchConstraints &constraints, int ticksPerQuarter)
{
    for (std::int64_t unit = gap.startUnit; unit < gap.endUnit; ++unit) {
        std::vector<bool> held(128, false);
        int sounding = 0;
        for (const Note &note : gap.staying)
            if (grid::toGrid(note.startTick, ticksPerQuarter) <= unit
                && grid::toGrid(note.endTick, ticksPerQuarter) > unit) {
                held[std::size_t(note.pitch)] = true;
                ++sounding;
            }
        if (constraints.maxPolyphony > 0 && sounding >= constraints.maxPolyphony)
            continue;
        for (int pitch = 0; pitch < 128; ++pitch)
            if (constraints.allows(pitch) && !held[std::size_t(pitch)])
                return true;
    }
    return false;
}

/// Flattened steps as the model reads them.
std::vector<std::int64_t> tokensOf(const std::vector<CompoundStep> &steps)
{
    const std::vector<std::int32_t> flat = flattenCompoundSteps(steps);
    return { flat.begin(), flat.end() };
}

/// `settings` with the new notes kept to the other side of a split: under a kept melody, over a
/// kept accompaniment. @throws GenerationError when the range leaves nothing there.
GenerationSettings onTheOtherSide(GenerationSettings settings, const KeepChoice &keep)
{
    PitchConstraints &constraints = settings.constraints;
    if (keep.rule == KeepRule::Above)
        constraints.highest = std::min(constraints.highest, keep.pitch - 1);
    else if (keep.rule == KeepRule::Below)
        constraints.lowest = std::max(constraints.lowest, keep.pitch);
    if (constraints.lowest > constraints.highest)
        throw GenerationError("The pitch range leaves no room "
                              + std::string(keep.rule == KeepRule::Above ? "under" : "over")
                              + " the split at " + noteName(keep.pitch) + " for new notes.");
    return settings;
}

/// The notes before the span that the prompt reads (the latest kNotesBefore), and those it knows
/// (the kept ones, then the first after it, kNotesKnown in all).
std::pair<std::vector<Note>, std::vector<Note>> promptNotes(const SpanNotes &notes)
{
    const std::vector<Note> before(
        notes.before.end() - std::ptrdiff_t(std::min(kNotesBefore, notes.before.size())), notes.before.end());
    std::vector<Note> known = notes.kept;
    const std::size_t room = kNotesKnown - std::min(kNotesKnown, known.size());
    known.insert(known.end(), notes.after.begin(),
                 notes.after.begin() + std::ptrdiff_t(std::min(notes.after.size(), room)));
    return { before, known };
}

/// The compound tokens a fill's register hold reads: those of the prompt's notes (promptNotes) within
/// the span's length of it, before it, kept in it and after it; the whole `prompt` when fewer than
/// kNearNotesAtLeast of them lie in `range`. The bars next to a gap say where it lies better than
/// the prompt's earliest ones.
std::vector<std::int64_t> registerSteps(const SpanNotes &notes, const FillRequest &request,
                                        int ticksPerQuarter, const PitchConstraints &range,
                                        const std::vector<std::int64_t> &prompt)
{
    constexpr std::ptrdiff_t kNearNotesAtLeast = 8;
    const std::int64_t length = request.endTick - request.startTick;
    const auto [before, known] = promptNotes(notes);
    std::vector<Note> nearBefore, nearKnown;
    std::copy_if(before.begin(), before.end(), std::back_inserter(nearBefore),
                 [&](const Note &note) { return note.startTick >= request.startTick - length; });
    std::copy_if(known.begin(), known.end(), std::back_inserter(nearKnown),
                 [&](const Note &note) { return note.startTick < request.endTick + length; });
    const auto inRange = [&](const Note &note) {
        return note.pitch >= range.lowest && note.pitch <= range.highest;
    };
    if (std::count_if(nearBefore.begin(), nearBefore.end(), inRange)
            + std::count_if(nearKnown.begin(), nearKnown.end(), inRange)
        < kNearNotesAtLeast)
        return prompt;
    return tokensOf(infillingLayout(gridNotesOf(nearBefore, ticksPerQuarter),
                                    gridNotesOf(nearKnown, ticksPerQuarter), {},
                                    grid::toGrid(request.startTick, ticksPerQuarter))
                        .prompt);
}

/// `score` on the grid fitted to the notes the prompt reads around the span (seedGridFactor).
Score readForFill(const Score &score, const FillRequest &request)
{
    const int tpq = score.ticksPerQuarter();
    const auto [before, known] = promptNotes(
        spanNotes(score, request, grid::toGrid(request.startTick, tpq), grid::toGrid(request.endTick, tpq)));
    Score around = score;
    around.notes = before;
    around.notes.insert(around.notes.end(), known.begin(), known.end());
    return readFiner(score, seedGridFactor(around));
}

/// The notes that start in a span's length after the span, from the span's end; none when there
/// are none.
std::optional<Score> notesAfterSpan(const Score &score, const FillRequest &request)
{
    const std::int64_t end = request.endTick + (request.endTick - request.startTick);
    const bool any = std::any_of(score.notes.begin(), score.notes.end(), [&](const Note &note) {
        return !note.isDrum() && note.startTick >= request.endTick && note.startTick < end;
    });
    return any ? std::optional<Score>(seedFromRange(score, request.endTick, end)) : std::nullopt;
}

/// How likely `next` (notesAfterSpan) is (nats, summed) after `fill`, read left to right after the
/// notes `before` it and the kept ones.
double leadInNats(Model &model, const Score &score, const FillRequest &request,
                  const std::vector<Note> &before, const std::vector<Note> &kept,
                  const std::vector<Note> &fill, const Score &next, double stayClose)
{
    Score context = score;
    context.notes = before;
    context.notes.insert(context.notes.end(), kept.begin(), kept.end());
    context.notes.insert(context.notes.end(), fill.begin(), fill.end());
    context.sortEvents();
    context.updateSeconds();
    std::int64_t from = request.startTick;
    for (const Note &note : context.notes)
        from = std::min(from, note.startTick);
    const SeedAndContinuationSteps steps =
        modelSteps(model.spec(), seedFromRange(context, from, request.endTick), next);
    return continuationNats(model, steps.seed, steps.continuation, { stayClose });
}

/// Of each variation's `candidates` fills in `drawn` (variation after variation), the one after
/// which the notes that follow the span are likeliest (leadInNats); the first when nothing follows
/// it, or when the job is cancelled.
std::vector<std::vector<Note>> leadingFills(Model &model, const Score &score, const FillRequest &request,
                                            const SpanNotes &notes, std::vector<std::vector<Note>> drawn,
                                            int candidates, double stayClose, JobContext &context)
{
    const std::vector<Note> before = promptNotes(notes).first;
    const std::optional<Score> next = candidates > 1 ? notesAfterSpan(score, request) : std::nullopt;
    std::vector<std::vector<Note>> chosen;
    for (std::size_t first = 0; first < drawn.size(); first += std::size_t(candidates)) {
        std::size_t best = first;
        double bestNats = 0;
        for (std::size_t c = first; next && c < first + std::size_t(candidates); ++c) {
            if (context.isCancelled())
                break;
            const double nats =
                leadInNats(model, score, request, before, notes.kept, drawn[c], *next, stayClose);
            if (c == first || nats < bestNats) {
                best = c;
                bestNats = nats;
            }
        }
        chosen.push_back(std::move(drawn[best]));
    }
    return chosen;
}

/// fillSteps of `score` as readForFill reads it.
FillSteps stepsOfRead(const Score &score, const FillRequest &request)
{
    const int tpq = score.ticksPerQuarter();
    const std::int64_t startUnit = grid::toGrid(request.startTick, tpq);
    const std::int64_t endUnit = grid::toGrid(request.endTick, tpq);
    if (endUnit <= startUnit)
        throw GenerationError("The span to fill is empty: it must end after it starts.");
    if (request.startTick >= score.endTick)
        throw GenerationError("The span to fill starts after the end of the piece.");
    const SpanNotes notes = spanNotes(score, request, startUnit, endUnit);
    const auto [before, known] = promptNotes(notes);
    const InfillingLayout layout = infillingLayout(gridNotesOf(before, tpq), gridNotesOf(known, tpq),
                                                   gridNotesOf(notes.replaced, tpq), startUnit);
    return { tokensOf(layout.prompt), tokensOf(layout.middle) };
}

} // namespace

FillSteps fillSteps(const Score &score, const FillRequest &request)
{
    return stepsOfRead(readForFill(score, request), request);
}

Score withoutReplacedNotes(const Score &score, const FillRequest &request)
{
    const int tpq = score.ticksPerQuarter();
    const SpanNotes notes =
        spanNotes(score, request, grid::toGrid(request.startTick, tpq), grid::toGrid(request.endTick, tpq));
    Score base = score;
    base.notes.erase(std::remove_if(base.notes.begin(), base.notes.end(),
                                    [&](const Note &note) {
                                        return std::find(notes.replaced.begin(), notes.replaced.end(), note)
                                            != notes.replaced.end();
                                    }),
                     base.notes.end());
    return base;
}

Generation fillSpan(Model &model, const Score &score, const FillRequest &request,
                    const GenerationSettings &requested, JobContext &context, const NoteStream &stream,
                    Model *blend)
{
    const GenerationSettings settings = onTheOtherSide(requested, request.keep);
    settings.validate();
    const auto started = std::chrono::steady_clock::now();
    const ModelSpec &spec = model.spec();
    if (spec.representation != Representation::Compound)
        throw GenerationError(std::string("Only a compound model can fill a span; this one reads music as ")
                              + representationName(spec.representation) + ".");
    const Score read = readForFill(score, request);
    const int tpq = read.ticksPerQuarter();
    const std::int64_t startUnit = grid::toGrid(request.startTick, tpq);
    const std::int64_t endUnit = grid::toGrid(request.endTick, tpq);
    const SpanNotes notes = spanNotes(read, request, startUnit, endUnit);
    const std::vector<std::int64_t> prompt = stepsOfRead(read, request).prompt;

    generation::GapToFill gap { startUnit, endUnit, notes.kept,
                                registerSteps(notes, request, tpq, settings.constraints, prompt) };
    for (const Note &note : notes.before)
        if (note.endTick > request.startTick)
            gap.staying.push_back(note); // rings into the span
    if (!roomForANote(gap, settings.constraints, tpq))
        throw GenerationError(
            "The constraints (" + settings.constraints.describe()
            + ") leave no room for a new note in the span beside the notes that stay: allow "
              "more notes at once, or keep fewer.");
    generation::WalkContext walk;
    walk.seed = &read;
    walk.settings = &settings;
    walk.budget.endTick = request.endTick;
    walk.style = generation::noteStyleOf(score);
    if (!notes.replaced.empty()) {
        walk.style.channel = notes.replaced.front().channel;
        walk.style.program = notes.replaced.front().program;
    }
    walk.gap = &gap;
    // With candidates to choose from, the chosen ones stream once chosen.
    const int candidates = settings.fillCandidates;
    const auto walkers =
        generation::makeWalkers(walk, spec.representation, spec.vocabulary, prompt,
                                settings.variations * candidates, candidates > 1 ? NoteStream() : stream);
    const std::int64_t steps = generation::walkToTheEnd(model, blend, prompt, generation::PromptKind::Gap,
                                                        walkers, settings, context);
    std::vector<std::vector<Note>> drawn;
    for (const auto &walker : walkers)
        drawn.push_back(walker->finish());
    const std::vector<std::vector<Note>> fills =
        leadingFills(model, score, request, notes, std::move(drawn), candidates, settings.stayClose, context);
    for (std::size_t v = 0; candidates > 1 && stream && v < fills.size(); ++v)
        for (const Note &note : fills[v])
            stream(int(v), note);

    Generation result;
    result.settingsText = settings.describe(spec.representation)
                        + " fill=" + std::to_string(request.startTick) + "-" + std::to_string(request.endTick)
                        + " keep=" + request.keep.describe() + " candidates=" + std::to_string(candidates);
    result.seedEndTick = request.startTick;
    result.steps = steps;
    Score base = withoutReplacedNotes(score, request);
    base.parts.push_back(Part { kFillPartName, {}, -1, false });
    const int fillPart = int(base.parts.size()) - 1;
    for (const std::vector<Note> &fill : fills) {
        Score variation = base;
        for (Note note : fill) {
            note.part = fillPart;
            variation.notes.push_back(note);
        }
        variation.sortEvents();
        result.variations.push_back(std::move(variation));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace continuo
