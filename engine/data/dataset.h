// SPDX-License-Identifier: GPL-3.0-or-later
// Token datasets for training: corpus encoding, train/validation split by file, windows, transposition.
#pragma once

#include "data/corpusscan.h"
#include "repr/notes.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <random>
#include <vector>

namespace continuo {

/// The token sequences of a corpus, one per usable file. Each step holds `heads` integers
/// (performance: 1 token; notes: pitch set, offset, duration), stored step after step.
struct TokenCorpus
{
    int heads = 1;
    std::vector<std::vector<std::int32_t>> sequences;
    std::vector<std::filesystem::path> files;

    std::size_t stepCount(std::size_t file) const { return sequences[file].size() / std::size_t(heads); }
    std::size_t totalSteps() const;
};

/// The scan encodings of the representations: performance tokens, chord steps (the
/// vocabulary is built afterwards, from the training files only) and compound steps. `cacheDir`
/// empty: no cache.
ScanEncoding performanceScanEncoding(const std::filesystem::path &cacheDir = {});
ScanEncoding notesScanEncoding(const std::filesystem::path &cacheDir = {});
ScanEncoding compoundScanEncoding(const std::filesystem::path &cacheDir = {});

/// Performance tokens of every usable file of a scan made with performanceScanEncoding. Any thread.
/// @throws ModelError if the scan was made with another encoding.
TokenCorpus encodePerformanceCorpus(const CorpusScan &scan);
/// Compound steps of every usable file of a scan made with compoundScanEncoding. Any thread.
/// @throws ModelError if the scan was made with another encoding.
TokenCorpus encodeCompoundCorpus(const CorpusScan &scan);
/// Chord steps of every usable file of a scan made with notesScanEncoding (to build a vocabulary
/// from the training files first). @throws ModelError if the scan was made with another encoding.
std::vector<std::vector<ChordStep>> chordStepsOfCorpus(const CorpusScan &scan);
/// Notes-representation tokens of the files whose chord steps are given.
TokenCorpus encodeNotesCorpus(const CorpusScan &scan, const std::vector<std::vector<ChordStep>> &steps,
                              const NotesVocabulary &vocabulary, NotesEncodingStats *stats = nullptr);

/// Which files train and which validate.
struct FileSplit
{
    std::vector<std::size_t> train;
    std::vector<std::size_t> validation;
};

/// Splits file indices 0..fileCount-1: round(fraction * fileCount) validation files (at least one
/// when fraction > 0 and there are two files or more), chosen by a seeded shuffle that is the same
/// on every platform. Both lists are sorted.
FileSplit splitByFile(std::size_t fileCount, double validationFraction, std::uint64_t seed);

/// A uniform integer in [0, n) from a 64-bit engine, by rejection: the same on every platform
/// (std::uniform_int_distribution is not). n > 0.
std::uint64_t uniformIndex(std::mt19937_64 &rng, std::uint64_t n);

/// Transposes the steps of one window in place; returns false (leaving them unchanged) when a
/// note would leave the representation.
using Transposer = std::function<bool(std::int32_t *steps, std::size_t stepCount, int semitones)>;

/// Shifts NOTE_ON and NOTE_OFF tokens; false if a pitch would leave 0..127.
bool transposePerformance(std::int32_t *tokens, std::size_t count, int semitones);

/// Transposes notes-representation steps through the vocabulary; false if a transposed pitch
/// set is not in the vocabulary (it would become unknown).
class NotesTransposer
{
public:
    NotesTransposer(const NotesVocabulary &vocabulary, int maxSemitones);
    bool operator()(std::int32_t *steps, std::size_t stepCount, int semitones) const;

private:
    int m_maxSemitones;
    std::vector<std::vector<std::int32_t>> m_table; ///< [semitones + max][token] -> token, or -1
};

/// Draws training windows: `windowSteps` + 1 consecutive steps (inputs and their next-step
/// targets) from the given files, each file weighted by how many windows it holds, each window
/// transposed by a random amount in [-maxTranspose, maxTranspose]. Files shorter than a window are
/// left out. The same corpus, files and seed give the same windows. One thread at a time.
class WindowSampler
{
public:
    /// Keeps a reference to `corpus`, which must outlive the sampler.
    WindowSampler(const TokenCorpus &corpus, std::vector<std::size_t> files, std::size_t windowSteps,
                  std::uint64_t seed, int maxTranspose = 0, Transposer transposer = {});
    WindowSampler(TokenCorpus &&corpus, std::vector<std::size_t>, std::size_t, std::uint64_t, int = 0,
                  Transposer = {}) = delete; // a temporary corpus would dangle

    /// Rewrites each window after its transposition (an infilling example: makeInfillingWindow),
    /// drawing from the sampler's random engine.
    using Rewriter = std::function<void(std::int32_t *steps, std::size_t stepCount, std::mt19937_64 &rng)>;
    void setRewriter(Rewriter rewriter) { m_rewriter = std::move(rewriter); }
    /// Compound windows for a network reading positions in the beat: see startOnBeat().
    void setStartsOnBeat(bool startsOnBeat) { m_startsOnBeat = startsOnBeat; }

    /// True if at least one file is long enough for a window.
    bool isEmpty() const { return m_totalStarts == 0; }
    /// `batch` windows, flattened as [batch][windowSteps + 1][heads].
    std::vector<std::int32_t> sample(std::size_t batch);

private:
    const TokenCorpus &m_corpus;
    std::vector<std::size_t> m_files;
    std::vector<std::uint64_t> m_cumulativeStarts; ///< running totals of window starts per file
    std::uint64_t m_totalStarts = 0;
    std::size_t m_windowSteps;
    int m_maxTranspose;
    Transposer m_transposer;
    Rewriter m_rewriter;
    bool m_startsOnBeat = false;
    std::mt19937_64 m_rng;
};

/// Every window of the files in order, non-overlapping (each next window starts where the last
/// one's targets end), flattened as [window][windowSteps + 1][heads]: the same evaluation
/// every time. Files shorter than one window are left out. `startsOnBeat`: see startOnBeat().
std::vector<std::int32_t> sequentialWindows(const TokenCorpus &corpus, const std::vector<std::size_t> &files,
                                            std::size_t windowSteps, bool startsOnBeat = false);

/// Sets the first step's time of a compound window cut from `sequence` at step `start` to that
/// step's position in the beat, so that a network reading positions in the beat counts them right
/// (repr/beatphase.h). Only the window's later times are ever predicted.
void startOnBeat(std::int32_t *window, const std::int32_t *sequence, std::size_t start);

} // namespace continuo
