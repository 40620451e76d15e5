// SPDX-License-Identifier: GPL-3.0-or-later
// The memorization check: the longest run of notes a generation shares with a training file,
// transposition-invariant, from an index that travels beside the model (NAME.memo).
#pragma once

#include "analysis/statistics.h"
#include "jobs/jobcontext.h"
#include "score/score.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace continuo {

/// Where a generation repeats a training file.
struct MemorizationMatch
{
    /// Length of the shared run in notes (onsets of the melody); 0 when no run of
    /// MemorizationIndex::kMinimumNotes notes or more is shared.
    std::size_t notes = 0;
    /// How much of the run is more than a repeated figure: 2 plus the number of different pairs
    /// of consecutive steps (interval and time from the note before) in it. A run that never
    /// repeats a pair of steps counts all its notes; a figure of p steps going round (a trill, a
    /// tremolo, an arpeggio, repeated notes) counts p + 2 however long it lasts; a scale about 5.
    /// Thresholds compare with this.
    std::size_t distinctNotes = 0;
    std::string file; ///< the training file, relative to the corpus folder, '/'-separated
    int bar = 0; ///< 1-based bar of the training file where the run starts (its time signatures)
    std::int64_t trainingStartTick = 0; ///< onset of the run's first note in the training file (its ticks)
    std::int64_t trainingEndTick = 0; ///< onset of the run's last note there
    std::int64_t generatedStartTick = 0; ///< onset of the run's first note in the generation
    std::int64_t generatedEndTick = 0; ///< onset of the run's last note there
    /// The run's notes in the generation: indices into its Score::notes, one per onset (its highest
    /// note), in time order; for highlighting on the piano roll.
    std::vector<std::size_t> generatedNotes;
    int transposition = 0; ///< semitones from the training file to the generation (+5: a fourth up)

    bool isFound() const { return notes > 0; }
};

/// An index of the melodies of a training corpus for the memorization check, with the corpus's
/// statistics, so that both work without the corpus.
///
/// Each file becomes a sequence of events, one per onset on the 1/12-quarter grid: its highest
/// note. An event's symbol is what does not change when the music is transposed or moved in time:
/// the interval in semitones from the previous event's pitch and the time since its onset in grid
/// units. A run of n equal symbols is a shared run of n + 1 notes. Every run of kGramSymbols
/// symbols is hashed into a table (rebuilt in memory when a file is loaded); a query looks up the
/// generation's runs, extends each hit both ways, and keeps the longest.
///
/// Building (addFile, load) is for one thread; once built, longestMatch and the accessors may be
/// called from any thread at once.
class MemorizationIndex
{
public:
    /// Symbols hashed together: hits are runs of kGramSymbols + 1 notes or more.
    static constexpr std::size_t kGramSymbols = 6;
    /// The shortest run that is reported.
    static constexpr std::size_t kMinimumNotes = kGramSymbols + 1;

    MemorizationIndex();
    ~MemorizationIndex();
    MemorizationIndex(MemorizationIndex &&) noexcept;
    MemorizationIndex &operator=(MemorizationIndex &&) noexcept;

    /// Adds a training file's melody and its statistics (pitched notes; drums are left out).
    /// @param name  how results name it: the path relative to the corpus folder
    void addFile(const std::string &name, const Score &score);

    std::size_t fileCount() const;
    std::size_t eventCount() const; ///< melody notes indexed, over all files
    const std::string &fileName(std::size_t file) const;
    /// The corpus's statistics: the sum over the files added.
    const MusicStatistics &corpusStatistics() const;
    /// CorpusScan::fingerprint() of the corpus it was built from (0: unknown).
    std::uint64_t corpusFingerprint() const;
    void setCorpusFingerprint(std::uint64_t fingerprint);

    /// The most distinctive run of the generation's melody shared with a training file (see the
    /// class notes): the one with the most distinctNotes, then the longest, then the earliest in
    /// the generation, then the first in the corpus. Any thread.
    MemorizationMatch longestMatch(const Score &generated) const;

    /// Writes the index (versioned, with a checksum) through a temporary file renamed into place.
    /// @throws IoError.
    void save(const std::filesystem::path &path) const;
    /// Reads an index written by save(). @throws IoError if the file cannot be read; ModelError
    /// with one sentence naming the file if it is not an index, is from a newer version, or is
    /// damaged or cut short.
    static MemorizationIndex load(const std::filesystem::path &path);

    /// The file format as bytes (what save writes) and back; `source` names the file in errors.
    std::vector<std::uint8_t> toBytes() const;
    static MemorizationIndex fromBytes(const std::vector<std::uint8_t> &bytes, const std::string &source);

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// Where a model's index sits: NAME.memo beside NAME.ckpt (NAME.last.ckpt also gives NAME.memo).
std::filesystem::path memorizationIndexPathFor(const std::filesystem::path &checkpoint);

/// Indexes the given MIDI files (reading each; unreadable ones are skipped), naming them relative
/// to `root`. Reports progress in files; a cancelled build returns what it has.
/// Call on a job's worker thread. Never throws for a bad file.
/// @param skipped  if given, receives "NAME: problem" for every file that could not be read
MemorizationIndex buildMemorizationIndex(const std::filesystem::path &root,
                                         const std::vector<std::filesystem::path> &files, JobContext &context,
                                         std::vector<std::string> *skipped = nullptr);

} // namespace continuo
