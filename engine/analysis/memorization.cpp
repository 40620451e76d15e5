// SPDX-License-Identifier: GPL-3.0-or-later
// The melody index: events per file, a chained hash table of symbol runs, and its file format.
#include "analysis/memorization.h"

#include "analysis/meter.h"
#include "analysis/onsets.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/hash.h"
#include "score/smfconvert.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace continuo {

namespace {

/// The symbol of a file's first event: it has no predecessor, so it matches nothing and stops
/// every extension at the file's start. The generation's first event gets another one.
constexpr std::uint32_t kFileStart = 0xFFFFFFFFu;
constexpr std::uint32_t kGenerationStart = 0xFFFFFFFEu;
constexpr std::uint32_t kNoChain = 0xFFFFFFFFu;

/// Interval (semitones, stored + 128) in the high half, grid units since the previous onset
/// (clamped to 16 bits) in the low half. Never kFileStart or kGenerationStart.
std::uint32_t symbolOf(int previousPitch, int pitch, std::int64_t previousUnit, std::int64_t unit)
{
    const std::uint32_t interval = std::uint32_t(pitch - previousPitch + 128);
    const std::uint32_t units = std::uint32_t(std::clamp<std::int64_t>(unit - previousUnit, 0, 0xFFFF));
    return interval << 16 | units;
}

/// How many notes of a run are more than a repeated figure: two, plus the different pairs of
/// consecutive steps in it. A run that never repeats a pair of steps counts all its notes; a
/// figure of p steps repeated (a trill, a tremolo, an arpeggio going round) counts p + 2 however
/// long it goes on.
std::size_t distinctNotesOf(const std::uint32_t *symbols, std::size_t length)
{
    std::vector<std::uint64_t> pairs;
    pairs.reserve(length);
    for (std::size_t i = 1; i < length; ++i)
        pairs.push_back(std::uint64_t(symbols[i - 1]) << 32 | symbols[i]);
    std::sort(pairs.begin(), pairs.end());
    return std::size_t(std::unique(pairs.begin(), pairs.end()) - pairs.begin()) + 2;
}

std::uint64_t gramHash(const std::uint32_t *symbols)
{
    std::uint8_t bytes[4 * MemorizationIndex::kGramSymbols];
    for (std::size_t i = 0; i < MemorizationIndex::kGramSymbols; ++i)
        for (int b = 0; b < 4; ++b)
            bytes[4 * i + std::size_t(b)] = std::uint8_t(symbols[i] >> (8 * b));
    return fnv1a64(bytes, sizeof bytes);
}

// ---- the file format ------------------------------------------------------------------------
//
//   "CONTINUO-MEMO\n"  u32 version  u32 grid per quarter  u64 corpus fingerprint
//   statistics: u32 features  { u32 bins  bins * f64 }*  u64 scores  u64 notes  u64 onsets
//   u32 files  { u32 name length  name  u32 ticks per quarter
//                u32 time signatures  { u64 tick  u32 numerator  u32 denominator }*
//                u64 events  { u8 pitch  varint ticks since the previous event }* }*
//   u64 FNV-1a of everything before
//
// Integers are little-endian; f64 are IEEE 754 bits as u64; varints are LEB128 (7 bits a byte).

constexpr char kMagic[] = "CONTINUO-MEMO\n";
constexpr std::size_t kMagicSize = sizeof kMagic - 1;
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kMaxFileBytes = 1u << 30;

class Writer
{
public:
    std::vector<std::uint8_t> bytes;
    void u8(std::uint8_t value) { bytes.push_back(value); }
    void u32(std::uint32_t value)
    {
        for (int i = 0; i < 4; ++i)
            bytes.push_back(std::uint8_t(value >> (8 * i)));
    }
    void u64(std::uint64_t value)
    {
        for (int i = 0; i < 8; ++i)
            bytes.push_back(std::uint8_t(value >> (8 * i)));
    }
    void f64(double value)
    {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        u64(bits);
    }
    void varint(std::uint64_t value)
    {
        for (; value >= 0x80; value >>= 7)
            bytes.push_back(std::uint8_t(value | 0x80));
        bytes.push_back(std::uint8_t(value));
    }
    void text(const std::string &value)
    {
        u32(std::uint32_t(value.size()));
        bytes.insert(bytes.end(), value.begin(), value.end());
    }
};

/// Bounds-checked reads; anything out of place is a damaged file.
class Reader
{
public:
    Reader(const std::vector<std::uint8_t> &bytes, std::size_t end, const std::string &source)
        : m_bytes(bytes), m_end(end), m_source(source)
    { }
    std::size_t position() const { return m_pos; }
    std::size_t left() const { return m_end - m_pos; }
    void skip(std::size_t n)
    {
        need(n);
        m_pos += n;
    }
    std::uint8_t u8()
    {
        need(1);
        return m_bytes[m_pos++];
    }
    std::uint64_t fixed(int size)
    {
        need(std::size_t(size));
        std::uint64_t value = 0;
        for (int i = 0; i < size; ++i)
            value |= std::uint64_t(m_bytes[m_pos++]) << (8 * i);
        return value;
    }
    std::uint32_t u32() { return std::uint32_t(fixed(4)); }
    std::uint64_t u64() { return fixed(8); }
    double f64()
    {
        const std::uint64_t bits = u64();
        double value = 0.0;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    std::uint64_t varint()
    {
        std::uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            const std::uint8_t byte = u8();
            value |= std::uint64_t(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                return value;
        }
        damaged("a number is too long");
    }
    std::string text(std::size_t maxSize)
    {
        const std::size_t size = u32();
        if (size > maxSize)
            damaged("a name is too long");
        need(size);
        std::string value(reinterpret_cast<const char *>(m_bytes.data() + m_pos), size);
        m_pos += size;
        return value;
    }
    /// A count of items of at least `minBytes` each, checked against the bytes left.
    std::size_t count(std::uint64_t value, std::size_t minBytes)
    {
        if (value > left() / std::max<std::size_t>(1, minBytes))
            damaged("a count is larger than the file");
        return std::size_t(value);
    }
    [[noreturn]] void damaged(const std::string &why) const
    {
        throw ModelError(m_source + ": the memorization index is damaged (" + why + ").",
                         "at byte " + std::to_string(m_pos));
    }

private:
    void need(std::size_t n) const
    {
        if (left() < n)
            damaged("it is cut short");
    }
    const std::vector<std::uint8_t> &m_bytes;
    std::size_t m_end, m_pos = 0;
    const std::string &m_source;
};

} // namespace

struct MemorizationIndex::Impl
{
    struct File
    {
        std::string name;
        int ticksPerQuarter = 480;
        std::vector<TimeSignature> timeSignatures;
        std::size_t firstEvent = 0;
        std::size_t eventCount = 0;
    };
    std::vector<File> files;
    // One entry per event of every file, files one after the other.
    std::vector<std::uint8_t> pitches;
    std::vector<std::int64_t> ticks;
    std::vector<std::uint32_t> symbols;
    std::vector<std::size_t> fileOfEvent;
    // The hash table: every event that starts a run of kGramSymbols symbols inside its file is
    // chained from its bucket (chains are event indices; kNoChain ends them).
    std::vector<std::uint64_t> hashes; ///< per event; meaningful where the event is chained
    std::vector<std::uint32_t> chain; ///< per event: the next event of its bucket
    std::vector<std::uint32_t> buckets; ///< power of two, at most half full
    std::size_t chained = 0;
    MusicStatistics statistics;
    std::uint64_t fingerprint = 0;

    void appendEvents(File file, const std::vector<std::uint8_t> &filePitches,
                      const std::vector<std::int64_t> &fileTicks);
    void chainIn(std::size_t event);
    void rehash(std::size_t bucketCount);
};

void MemorizationIndex::Impl::appendEvents(File file, const std::vector<std::uint8_t> &filePitches,
                                           const std::vector<std::int64_t> &fileTicks)
{
    // Runs start after the file's first event and end inside the file.
    const std::size_t runs = filePitches.size() > kGramSymbols ? filePitches.size() - kGramSymbols : 0;
    if (2 * (chained + runs) > buckets.size()) {
        std::size_t bucketCount = 1024;
        while (bucketCount < 4 * (chained + runs))
            bucketCount *= 2;
        rehash(bucketCount);
    }
    file.firstEvent = pitches.size();
    file.eventCount = filePitches.size();
    const std::size_t fileIndex = files.size();
    std::int64_t previousUnit = 0;
    for (std::size_t i = 0; i < filePitches.size(); ++i) {
        const std::int64_t unit = onsetGridUnit(fileTicks[i], file.ticksPerQuarter);
        symbols.push_back(i == 0 ? kFileStart
                                 : symbolOf(filePitches[i - 1], filePitches[i], previousUnit, unit));
        previousUnit = unit;
        pitches.push_back(filePitches[i]);
        ticks.push_back(fileTicks[i]);
        fileOfEvent.push_back(fileIndex);
    }
    hashes.resize(pitches.size(), 0);
    chain.resize(pitches.size(), kNoChain);
    for (std::size_t i = 1; i <= runs; ++i) {
        const std::size_t event = file.firstEvent + i;
        hashes[event] = gramHash(&symbols[event]);
        chainIn(event);
    }
    files.push_back(std::move(file));
}

void MemorizationIndex::Impl::chainIn(std::size_t event)
{
    std::uint32_t &head = buckets[hashes[event] & (buckets.size() - 1)];
    chain[event] = head;
    head = std::uint32_t(event);
    ++chained;
}

void MemorizationIndex::Impl::rehash(std::size_t bucketCount)
{
    buckets.assign(bucketCount, kNoChain);
    chained = 0;
    for (const File &f : files)
        for (std::size_t i = 1; i + kGramSymbols <= f.eventCount; ++i)
            chainIn(f.firstEvent + i);
}

MemorizationIndex::MemorizationIndex() : m(std::make_unique<Impl>()) { }
MemorizationIndex::~MemorizationIndex() = default;
MemorizationIndex::MemorizationIndex(MemorizationIndex &&) noexcept = default;
MemorizationIndex &MemorizationIndex::operator=(MemorizationIndex &&) noexcept = default;

void MemorizationIndex::addFile(const std::string &name, const Score &score)
{
    const std::vector<Onset> onsets = onsetsOf(score);
    if (m->pitches.size() + onsets.size() >= kNoChain)
        throw ModelError("The corpus is too large for one memorization index.");
    Impl::File file;
    file.name = name;
    file.ticksPerQuarter = score.ticksPerQuarter();
    file.timeSignatures = score.timeSignatures;
    std::vector<std::uint8_t> pitches;
    std::vector<std::int64_t> ticks;
    for (const Onset &onset : onsets) {
        pitches.push_back(std::uint8_t(onset.highestPitch));
        ticks.push_back(onset.tick);
    }
    m->appendEvents(std::move(file), pitches, ticks);
    m->statistics.add(computeStatistics(score));
}

std::size_t MemorizationIndex::fileCount() const { return m->files.size(); }
std::size_t MemorizationIndex::eventCount() const { return m->pitches.size(); }
const std::string &MemorizationIndex::fileName(std::size_t file) const { return m->files.at(file).name; }
const MusicStatistics &MemorizationIndex::corpusStatistics() const { return m->statistics; }
std::uint64_t MemorizationIndex::corpusFingerprint() const { return m->fingerprint; }
void MemorizationIndex::setCorpusFingerprint(std::uint64_t fingerprint) { m->fingerprint = fingerprint; }

MemorizationMatch MemorizationIndex::longestMatch(const Score &generated) const
{
    const std::vector<Onset> onsets = onsetsOf(generated);
    const std::size_t count = onsets.size();
    std::vector<std::uint32_t> symbols(count);
    for (std::size_t i = 0; i < count; ++i)
        symbols[i] = i == 0 ? kGenerationStart
                            : symbolOf(onsets[i - 1].highestPitch, onsets[i].highestPitch,
                                       onsets[i - 1].gridUnit, onsets[i].gridUnit);
    const std::vector<std::uint32_t> &corpus = m->symbols;
    std::size_t bestLength = 0, bestDistinct = 0, bestStart = 0, bestCorpusStart = 0; // in symbols
    for (std::size_t j = 1; !m->buckets.empty() && j + kGramSymbols <= count; ++j) {
        const std::uint64_t hash = gramHash(&symbols[j]);
        for (std::uint32_t c = m->buckets[hash & (m->buckets.size() - 1)]; c != kNoChain; c = m->chain[c]) {
            // Only hits that cannot be extended to the left start a run: the others lie inside a
            // run found at j - 1 already. The start symbols never match, so every loop stops at a
            // file's start and at the generation's.
            if (m->hashes[c] != hash || symbols[j - 1] == corpus[c - 1]
                || !std::equal(&symbols[j], &symbols[j] + kGramSymbols, &corpus[c]))
                continue;
            std::size_t length = kGramSymbols;
            while (j + length < count && c + length < corpus.size()
                   && symbols[j + length] == corpus[c + length])
                ++length;
            const std::size_t distinct = distinctNotesOf(&symbols[j], length);
            const bool better = distinct > bestDistinct || (distinct == bestDistinct && length > bestLength)
                             || (distinct == bestDistinct && length == bestLength && j == bestStart
                                 && c < bestCorpusStart);
            if (better) {
                bestLength = length;
                bestDistinct = distinct;
                bestStart = j;
                bestCorpusStart = c;
            }
        }
    }
    MemorizationMatch match;
    if (bestLength == 0)
        return match;
    // A run of n symbols from symbol s spans the events s - 1 .. s + n - 1.
    const std::size_t first = bestStart - 1, last = bestStart + bestLength - 1;
    const std::size_t corpusFirst = bestCorpusStart - 1, corpusLast = bestCorpusStart + bestLength - 1;
    const Impl::File &file = m->files[m->fileOfEvent[corpusFirst]];
    match.notes = bestLength + 1;
    match.distinctNotes = bestDistinct;
    match.file = file.name;
    match.trainingStartTick = m->ticks[corpusFirst];
    match.trainingEndTick = m->ticks[corpusLast];
    match.bar = barAt(file.timeSignatures, file.ticksPerQuarter, match.trainingStartTick).bar;
    match.generatedStartTick = onsets[first].tick;
    match.generatedEndTick = onsets[last].tick;
    for (std::size_t i = first; i <= last; ++i)
        match.generatedNotes.push_back(onsets[i].highestNote);
    match.transposition = onsets[first].highestPitch - int(m->pitches[corpusFirst]);
    return match;
}

std::vector<std::uint8_t> MemorizationIndex::toBytes() const
{
    Writer out;
    out.bytes.assign(kMagic, kMagic + kMagicSize);
    out.u32(kFormatVersion);
    out.u32(kOnsetGridPerQuarter);
    out.u64(m->fingerprint);
    const MusicStatistics &stats = m->statistics;
    out.u32(std::uint32_t(kFeatureCount));
    for (const Histogram &histogram : stats.histograms) {
        out.u32(std::uint32_t(histogram.counts.size()));
        for (const double value : histogram.counts)
            out.f64(value);
    }
    out.u64(stats.scoreCount);
    out.u64(stats.noteCount);
    out.u64(stats.onsetCount);
    out.u32(std::uint32_t(m->files.size()));
    for (const Impl::File &file : m->files) {
        out.text(file.name);
        out.u32(std::uint32_t(file.ticksPerQuarter));
        out.u32(std::uint32_t(file.timeSignatures.size()));
        for (const TimeSignature &ts : file.timeSignatures) {
            out.u64(std::uint64_t(ts.tick));
            out.u32(std::uint32_t(ts.numerator));
            out.u32(std::uint32_t(ts.denominator));
        }
        out.u64(file.eventCount);
        std::int64_t previous = 0;
        for (std::size_t e = file.firstEvent; e < file.firstEvent + file.eventCount; ++e) {
            out.u8(m->pitches[e]);
            out.varint(std::uint64_t(m->ticks[e] - previous)); // onsets never go back
            previous = m->ticks[e];
        }
    }
    out.u64(fnv1a64(out.bytes.data(), out.bytes.size()));
    return std::move(out.bytes);
}

MemorizationIndex MemorizationIndex::fromBytes(const std::vector<std::uint8_t> &bytes,
                                               const std::string &source)
{
    if (bytes.size() < kMagicSize || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
        throw ModelError(source + ": this is not a Continuo memorization index.");
    Reader header(bytes, bytes.size(), source);
    header.skip(kMagicSize);
    const std::uint32_t version = header.u32();
    if (version > kFormatVersion)
        throw ModelError(source
                         + ": this memorization index was written by a newer version of Continuo (format "
                         + std::to_string(version) + "; this one reads " + std::to_string(kFormatVersion)
                         + "). Rebuild it with continuo-cli index.");
    if (bytes.size() < kMagicSize + 4 + 8)
        header.damaged("it is cut short");
    const std::size_t body = bytes.size() - 8;
    Reader tail(bytes, bytes.size(), source);
    tail.skip(body);
    if (tail.u64() != fnv1a64(bytes.data(), body))
        throw ModelError(source
                         + ": the memorization index is damaged or cut short (its checksum does not match).");

    Reader in(bytes, body, source);
    in.skip(kMagicSize + 4);
    if (in.u32() != std::uint32_t(kOnsetGridPerQuarter))
        in.damaged("its onset grid is not the one this version uses");
    MemorizationIndex index;
    index.m->fingerprint = in.u64();
    MusicStatistics &stats = index.m->statistics;
    if (in.u32() != kFeatureCount)
        in.damaged("it has another set of statistics");
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
        if (in.u32() != stats.histograms[f].counts.size())
            in.damaged("a histogram has the wrong size");
        for (double &value : stats.histograms[f].counts) {
            value = in.f64();
            if (!(value >= 0.0) || value > 1e300)
                in.damaged("a histogram count is not a count");
        }
    }
    stats.scoreCount = std::size_t(in.u64());
    stats.noteCount = std::size_t(in.u64());
    stats.onsetCount = std::size_t(in.u64());
    const std::size_t fileCount = in.count(in.u32(), 4 + 4 + 4 + 8);
    for (std::size_t f = 0; f < fileCount; ++f) {
        Impl::File file;
        file.name = in.text(4096);
        file.ticksPerQuarter = int(in.u32());
        if (file.ticksPerQuarter <= 0 || file.ticksPerQuarter > 0x7FFF * 256)
            in.damaged("a file's division is impossible");
        const std::size_t signatures = in.count(in.u32(), 16);
        for (std::size_t s = 0; s < signatures; ++s) {
            TimeSignature ts;
            ts.tick = std::int64_t(in.u64());
            ts.numerator = int(in.u32());
            ts.denominator = int(in.u32());
            if (ts.tick < 0 || ts.numerator < 1 || ts.numerator > 255 || ts.denominator < 1
                || ts.denominator > 1 << 16
                || (!file.timeSignatures.empty() && ts.tick < file.timeSignatures.back().tick))
                in.damaged("a time signature is impossible");
            file.timeSignatures.push_back(ts);
        }
        const std::size_t events = in.count(in.u64(), 2);
        if (index.m->pitches.size() + events >= kNoChain)
            in.damaged("it holds too many events");
        std::vector<std::uint8_t> pitches(events);
        std::vector<std::int64_t> ticks(events);
        std::int64_t tick = 0;
        for (std::size_t e = 0; e < events; ++e) {
            pitches[e] = in.u8();
            const std::uint64_t delta = in.varint();
            if (pitches[e] > 127 || delta > std::uint64_t(1) << 40)
                in.damaged("an event is impossible");
            tick += std::int64_t(delta);
            ticks[e] = tick;
        }
        index.m->appendEvents(std::move(file), pitches, ticks);
    }
    if (in.left() != 0)
        in.damaged("unexpected bytes after its contents");
    return index;
}

void MemorizationIndex::save(const std::filesystem::path &path) const
{
    writeFileAtomically(path, toBytes());
}

MemorizationIndex MemorizationIndex::load(const std::filesystem::path &path)
{
    return fromBytes(readFileBytes(path, kMaxFileBytes), path.string());
}

std::filesystem::path memorizationIndexPathFor(const std::filesystem::path &checkpoint)
{
    std::string name = checkpoint.string();
    for (const std::string suffix : { ".last.ckpt", ".ckpt" })
        if (name.size() > suffix.size()
            && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            name.resize(name.size() - suffix.size());
            break;
        }
    return name + ".memo";
}

MemorizationIndex buildMemorizationIndex(const std::filesystem::path &root,
                                         const std::vector<std::filesystem::path> &files, JobContext &context,
                                         std::vector<std::string> *skipped)
{
    MemorizationIndex index;
    for (std::size_t i = 0; i < files.size() && !context.isCancelled(); ++i) {
        context.reportProgress(std::int64_t(i), std::int64_t(files.size()), "Indexing melodies");
        std::string name = files[i].lexically_relative(root).generic_string();
        if (name.empty() || name.compare(0, 2, "..") == 0)
            name = files[i].filename().generic_string();
        try {
            index.addFile(name, readScoreFile(files[i]));
        } catch (const Error &error) {
            if (skipped)
                skipped->push_back(name + ": " + error.what());
        }
    }
    context.reportProgress(std::int64_t(files.size()), std::int64_t(files.size()), "Indexing melodies");
    return index;
}

} // namespace continuo
