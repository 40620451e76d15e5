// SPDX-License-Identifier: GPL-3.0-or-later
// Filling a span of a score: the notes that start inside it are written anew, from what comes before
// and what comes after, by a compound model that learned to fill gaps (train --infilling).
#pragma once

#include "generate/generator.h"

#include <cstdint>
#include <string>

namespace continuo {

/// Which notes inside the span stay as they are.
enum class KeepRule {
    Nothing, ///< every note that starts in the span is written anew
    Above, ///< notes at or above `pitch` stay: a new accompaniment under the melody (new notes below it)
    Below, ///< notes below `pitch` stay: a new melody over the chords (new notes at or above it)
    Track, ///< the notes of part `part` stay
    TopVoice, ///< the highest note of each onset stays
};

struct KeepChoice
{
    KeepRule rule = KeepRule::Nothing;
    int pitch = 60; ///< Above and Below
    int part = 0; ///< Track: an index into Score::parts

    /// "nothing", "above:C4", "below:60", "track:N" (N counts parts from 1), "top-voice".
    /// @throws GenerationError naming the text.
    static KeepChoice parse(const std::string &text);
    /// The text parse() reads.
    std::string describe() const;
};

/// A span of a score to fill, in its ticks, and what stays in it.
struct FillRequest
{
    std::int64_t startTick = 0;
    std::int64_t endTick = 0;
    KeepChoice keep;
};

/// The part a fill's new notes go to: the last of the result's parts, named so.
constexpr const char *kFillPartName = "Fill";

/// Whether `note` (one that starts in the span) stays under `keep`; `notes` is the score's notes, for
/// the top voice. Any thread.
bool staysInSpan(const Note &note, const KeepChoice &keep, const std::vector<Note> &notes);

/// What a fill reads, and the notes it replaces, as model steps (step-major, one token per head).
struct FillSteps
{
    /// The notes before the span (the latest 128), the fill marker, the kept notes and the notes
    /// after it (48 in all at most), the middle marker (repr/infilling.h).
    std::vector<std::int64_t> prompt;
    /// The notes of the span that do not stay, as the model would write them: to score them.
    std::vector<std::int64_t> middle;
};

/// The steps of a fill of `request` in `score` (on the compound grid, fitted to the notes the
/// prompt reads around the span: seedGridFactor). Any thread.
/// @throws GenerationError for an empty span or one past the score's end.
FillSteps fillSteps(const Score &score, const FillRequest &request);

/// `score` without the notes a fill of `request` replaces: what stays around the new notes. Any thread.
Score withoutReplacedNotes(const Score &score, const FillRequest &request);

/// Fills [request.startTick, request.endTick) of `score` with `model`, which must be a compound
/// model: the notes before the span, the kept notes in it and the notes after it are read first
/// (repr/infilling.h), then the span's notes are drawn, one variation per settings.variations, in
/// one batch, from the span's start up to its end (a step at or past the end ends the variation).
/// With settings.fillCandidates above 1, that many are drawn for each variation, and the one kept
/// after which the notes in a span's length after the span are likeliest, read left to right (the
/// chosen notes stream once chosen). Each variation is `score` with every note that starts in the span and
/// does not stay removed, and the new notes in a part of their own (kFillPartName, on the channel of the
/// first removed note); everything else (kept notes, other notes, tempo, meter, key, parts) is as it was.
/// Keeping notes above (below) a split pitch keeps the new notes below it (at or above it).
/// Constraints, streaming, cancel, blending and reproducibility are those of
/// generateContinuations(); settings.length is not used. Generation::seedEndTick is the span's
/// start. @throws GenerationError for an empty span, one past the score's end, bad settings,
/// constraints that leave nothing, or a model that cannot fill; ModelError.
Generation fillSpan(Model &model, const Score &score, const FillRequest &request,
                    const GenerationSettings &settings, JobContext &context, const NoteStream &stream = {},
                    Model *blend = nullptr);

} // namespace continuo
