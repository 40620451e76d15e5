// SPDX-License-Identifier: GPL-3.0-or-later
// Token datasets: encoding a scanned corpus, deterministic splits, windows and transposition.
#include "data/dataset.h"

#include "core/error.h"
#include "repr/beatphase.h"
#include "repr/compound.h"
#include "repr/performance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace continuo {

std::size_t TokenCorpus::totalSteps() const
{
    std::size_t steps = 0;
    for (std::size_t f = 0; f < sequences.size(); ++f)
        steps += stepCount(f);
    return steps;
}

namespace {

// Chord steps as integers: per step, the number of pitches, the pitches, offset and duration.
std::vector<std::int32_t> flattenChordSteps(const std::vector<ChordStep> &steps)
{
    std::vector<std::int32_t> flat;
    for (const ChordStep &step : steps) {
        flat.push_back(std::int32_t(step.pitches.size()));
        flat.insert(flat.end(), step.pitches.begin(), step.pitches.end());
        flat.push_back(step.offsetUnits);
        flat.push_back(step.durationUnits);
    }
    return flat;
}

std::vector<ChordStep> unflattenChordSteps(const std::vector<std::int32_t> &flat,
                                           const std::filesystem::path &file)
{
    std::vector<ChordStep> steps;
    for (std::size_t i = 0; i < flat.size();) {
        const std::size_t count = std::size_t(std::max(0, flat[i]));
        if (flat.size() - i < count + 3)
            throw ModelError(file.string() + ": the file's encoded chord steps are damaged.");
        ChordStep step;
        step.pitches.assign(flat.begin() + std::ptrdiff_t(i + 1),
                            flat.begin() + std::ptrdiff_t(i + 1 + count));
        step.offsetUnits = flat[i + 1 + count];
        step.durationUnits = flat[i + 2 + count];
        steps.push_back(std::move(step));
        i += count + 3;
    }
    return steps;
}

/// The encoding of a usable file of the scan. @throws ModelError if the scan made none.
const std::vector<std::int32_t> &encodingOf(const CorpusFile &file)
{
    if (file.encoded.empty())
        throw ModelError(file.path.string()
                         + ": the corpus was scanned without this representation's encoding.");
    return file.encoded;
}

} // namespace

ScanEncoding performanceScanEncoding(const std::filesystem::path &cacheDir)
{
    const auto encode = [](const Score &score) {
        const std::vector<int> tokens = encodePerformance(score);
        return std::vector<std::int32_t>(tokens.begin(), tokens.end());
    };
    return { "performance v1, " + std::to_string(performance::kVocabularySize) + " events", encode,
             cacheDir };
}

ScanEncoding notesScanEncoding(const std::filesystem::path &cacheDir)
{
    const auto encode = [](const Score &score) { return flattenChordSteps(chordSteps(score)); };
    return { "notes v1, grid 1/" + std::to_string(notesrepr::kGridPerQuarter) + ", offsets to "
                 + std::to_string(notesrepr::kMaxOffsetUnits) + ", durations to "
                 + std::to_string(notesrepr::kMaxDurationUnits),
             encode, cacheDir };
}

ScanEncoding compoundScanEncoding(const std::filesystem::path &cacheDir)
{
    const auto encode = [](const Score &score) { return flattenCompoundSteps(compoundSteps(score)); };
    return { "compound v2, grid 1/" + std::to_string(compoundrepr::kGridPerQuarter) + ", times to "
                 + std::to_string(compoundrepr::kMaxTimeUnits) + ", durations to "
                 + std::to_string(compoundrepr::kMaxDurationUnits) + ", "
                 + std::to_string(compoundrepr::kVelocityBins) + " velocities",
             encode, cacheDir };
}

namespace {
/// The scan's encodings as they are, `heads` integers per step.
TokenCorpus encodedCorpus(const CorpusScan &scan, int heads)
{
    TokenCorpus corpus;
    corpus.heads = heads;
    for (const CorpusFile &file : scan.files) {
        if (file.status != CorpusFileStatus::Usable)
            continue;
        corpus.sequences.push_back(encodingOf(file));
        corpus.files.push_back(file.path);
    }
    return corpus;
}
} // namespace

TokenCorpus encodePerformanceCorpus(const CorpusScan &scan) { return encodedCorpus(scan, 1); }

TokenCorpus encodeCompoundCorpus(const CorpusScan &scan) { return encodedCorpus(scan, compoundrepr::kHeads); }

std::vector<std::vector<ChordStep>> chordStepsOfCorpus(const CorpusScan &scan)
{
    std::vector<std::vector<ChordStep>> steps;
    for (const CorpusFile &file : scan.files)
        if (file.status == CorpusFileStatus::Usable)
            steps.push_back(unflattenChordSteps(encodingOf(file), file.path));
    return steps;
}

TokenCorpus encodeNotesCorpus(const CorpusScan &scan, const std::vector<std::vector<ChordStep>> &steps,
                              const NotesVocabulary &vocabulary, NotesEncodingStats *stats)
{
    TokenCorpus corpus;
    corpus.heads = 3;
    std::size_t index = 0;
    for (const CorpusFile &file : scan.files) {
        if (file.status != CorpusFileStatus::Usable)
            continue;
        std::vector<std::int32_t> flat;
        if (stats)
            for (const ChordStep &step : steps[index])
                stats->notes += step.pitches.size();
        for (const NoteStep &step : tokenizeNotes(steps[index++], vocabulary, stats)) {
            flat.push_back(step.pitchSet);
            flat.push_back(step.offset);
            flat.push_back(step.duration);
        }
        corpus.sequences.push_back(std::move(flat));
        corpus.files.push_back(file.path);
    }
    return corpus;
}

std::uint64_t uniformIndex(std::mt19937_64 &rng, std::uint64_t n)
{
    // Reject the top partial range so every value is equally likely.
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t value;
    do {
        value = rng();
    } while (value >= limit);
    return value % n;
}

FileSplit splitByFile(std::size_t fileCount, double validationFraction, std::uint64_t seed)
{
    std::vector<std::size_t> order(fileCount);
    for (std::size_t i = 0; i < fileCount; ++i)
        order[i] = i;
    std::mt19937_64 rng(seed);
    for (std::size_t i = fileCount; i > 1; --i) // Fisher-Yates
        std::swap(order[i - 1], order[uniformIndex(rng, i)]);
    std::size_t validation =
        std::size_t(std::llround(std::clamp(validationFraction, 0.0, 1.0) * double(fileCount)));
    if (validationFraction > 0 && validation == 0 && fileCount >= 2)
        validation = 1;
    FileSplit split;
    split.validation.assign(order.begin(), order.begin() + std::ptrdiff_t(validation));
    split.train.assign(order.begin() + std::ptrdiff_t(validation), order.end());
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
    return split;
}

bool transposePerformance(std::int32_t *tokens, std::size_t count, int semitones)
{
    using namespace performance;
    for (std::size_t i = 0; i < count; ++i) {
        const std::int32_t t = tokens[i];
        if (t < kTimeShiftBase) {
            const int pitch = (t % 128) + semitones;
            if (pitch < 0 || pitch > 127)
                return false;
        }
    }
    for (std::size_t i = 0; i < count; ++i)
        if (tokens[i] < kTimeShiftBase)
            tokens[i] += semitones;
    return true;
}

NotesTransposer::NotesTransposer(const NotesVocabulary &vocabulary, int maxSemitones)
    : m_maxSemitones(maxSemitones)
{
    for (int shift = -maxSemitones; shift <= maxSemitones; ++shift) {
        std::vector<std::int32_t> row(std::size_t(vocabulary.size()), -1);
        for (int token = 1; token < vocabulary.size(); ++token) {
            PitchSet moved = vocabulary.pitchSetOf(token);
            bool inRange = true;
            for (int &pitch : moved) {
                pitch += shift;
                inRange = inRange && pitch >= 0 && pitch <= 127;
            }
            const int target = inRange ? vocabulary.tokenOf(moved) : notesrepr::kUnknownToken;
            row[std::size_t(token)] = target == notesrepr::kUnknownToken ? -1 : target;
        }
        row[notesrepr::kUnknownToken] = notesrepr::kUnknownToken;
        m_table.push_back(std::move(row));
    }
}

bool NotesTransposer::operator()(std::int32_t *steps, std::size_t stepCount, int semitones) const
{
    if (semitones < -m_maxSemitones || semitones > m_maxSemitones)
        return false;
    const auto &row = m_table[std::size_t(semitones + m_maxSemitones)];
    for (std::size_t i = 0; i < stepCount; ++i) {
        const std::int32_t token = steps[i * 3];
        if (token < 0 || std::size_t(token) >= row.size() || row[std::size_t(token)] < 0)
            return false;
    }
    for (std::size_t i = 0; i < stepCount; ++i)
        steps[i * 3] = row[std::size_t(steps[i * 3])];
    return true;
}

WindowSampler::WindowSampler(const TokenCorpus &corpus, std::vector<std::size_t> files,
                             std::size_t windowSteps, std::uint64_t seed, int maxTranspose,
                             Transposer transposer)
    : m_corpus(corpus)
    , m_windowSteps(windowSteps)
    , m_maxTranspose(transposer ? maxTranspose : 0)
    , m_transposer(std::move(transposer))
    , m_rng(seed)
{
    for (const std::size_t file : files) {
        const std::size_t steps = corpus.stepCount(file);
        if (steps < windowSteps + 1)
            continue;
        m_files.push_back(file);
        m_totalStarts += steps - windowSteps; // starts 0 .. steps - (windowSteps + 1)
        m_cumulativeStarts.push_back(m_totalStarts);
    }
}

std::vector<std::int32_t> WindowSampler::sample(std::size_t batch)
{
    const std::size_t heads = std::size_t(m_corpus.heads);
    const std::size_t windowValues = (m_windowSteps + 1) * heads;
    std::vector<std::int32_t> out(batch * windowValues);
    if (isEmpty())
        return {};
    for (std::size_t b = 0; b < batch; ++b) {
        const std::uint64_t pick = uniformIndex(m_rng, m_totalStarts);
        const auto it = std::upper_bound(m_cumulativeStarts.begin(), m_cumulativeStarts.end(), pick);
        const std::size_t slot = std::size_t(it - m_cumulativeStarts.begin());
        const std::uint64_t start = pick - (slot == 0 ? 0 : m_cumulativeStarts[slot - 1]);
        const auto &sequence = m_corpus.sequences[m_files[slot]];
        std::int32_t *window = out.data() + b * windowValues;
        std::copy_n(sequence.begin() + std::ptrdiff_t(start * heads), windowValues, window);
        if (m_startsOnBeat)
            startOnBeat(window, sequence.data(), std::size_t(start));
        if (m_maxTranspose > 0) {
            const int shift =
                int(uniformIndex(m_rng, std::uint64_t(2 * m_maxTranspose + 1))) - m_maxTranspose;
            if (shift != 0)
                m_transposer(window, m_windowSteps + 1, shift);
        }
        if (m_rewriter)
            m_rewriter(window, m_windowSteps + 1, m_rng);
    }
    return out;
}

std::vector<std::int32_t> sequentialWindows(const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                                            std::size_t windowSteps, bool startsOnBeat)
{
    const std::size_t heads = std::size_t(corpus.heads);
    std::vector<std::int32_t> out;
    for (const std::size_t file : files) {
        const auto &sequence = corpus.sequences[file];
        const std::size_t steps = corpus.stepCount(file);
        for (std::size_t start = 0; start + windowSteps + 1 <= steps; start += windowSteps) {
            const std::size_t at = out.size();
            out.insert(out.end(), sequence.begin() + std::ptrdiff_t(start * heads),
                       sequence.begin() + std::ptrdiff_t((start + windowSteps + 1) * heads));
            if (startsOnBeat)
                startOnBeat(out.data() + at, sequence.data(), start);
        }
    }
    return out;
}

void startOnBeat(std::int32_t *window, const std::int32_t *sequence, std::size_t start)
{
    window[0] = std::int32_t(beatphase::onsetOfStep(sequence, start) % beatphase::kPhases);
}

} // namespace continuo
