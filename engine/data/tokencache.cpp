// SPDX-License-Identifier: GPL-3.0-or-later
// Cache entries: a magic line, the key, the file's facts, the encoded integers and a checksum,
// all little-endian.
#include "data/tokencache.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/hash.h"

#include <cstring>
#include <system_error>

namespace continuo {

namespace {

constexpr char kMagic[] = "CONTINUO-TOKENS 1\n";
constexpr std::size_t kMagicSize = sizeof kMagic - 1;
constexpr std::size_t kMaxEntryBytes = 256u << 20;

std::uint64_t keyHash(std::uint64_t contentHash, const std::string &key)
{
    std::uint8_t bytes[8];
    for (int i = 0; i < 8; ++i)
        bytes[i] = std::uint8_t(contentHash >> (8 * i));
    return fnv1a64(reinterpret_cast<const std::uint8_t *>(key.data()), key.size(), fnv1a64(bytes, 8));
}

void putU64(std::vector<std::uint8_t> &out, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(std::uint8_t(value >> (8 * i)));
}

class Reader
{
public:
    Reader(const std::vector<std::uint8_t> &bytes, std::size_t end) : m_bytes(bytes), m_end(end) { }
    bool u64(std::uint64_t &value)
    {
        if (m_end - m_pos < 8)
            return false;
        value = 0;
        for (int i = 0; i < 8; ++i)
            value |= std::uint64_t(m_bytes[m_pos++]) << (8 * i);
        return true;
    }
    std::size_t position() const { return m_pos; }
    void skip(std::size_t n) { m_pos += n; }

private:
    const std::vector<std::uint8_t> &m_bytes;
    std::size_t m_end, m_pos = 0;
};

} // namespace

std::filesystem::path cachedEncodingPath(const std::filesystem::path &cacheDir, std::uint64_t contentHash,
                                         const std::string &encodingKey)
{
    static const char digits[] = "0123456789abcdef";
    std::uint64_t hash = keyHash(contentHash, encodingKey);
    std::string name(16, '0');
    for (int i = 15; i >= 0; --i, hash >>= 4)
        name[std::size_t(i)] = digits[hash & 15];
    return cacheDir / (name + ".tokens");
}

std::optional<CachedEncoding> readCachedEncoding(const std::filesystem::path &cacheDir,
                                                 std::uint64_t contentHash, const std::string &encodingKey)
{
    std::vector<std::uint8_t> bytes;
    try {
        bytes = readFileBytes(cachedEncodingPath(cacheDir, contentHash, encodingKey), kMaxEntryBytes);
    } catch (const Error &) {
        return std::nullopt;
    }
    if (bytes.size() < kMagicSize + 8 || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
        return std::nullopt;
    const std::size_t body = bytes.size() - 8;
    Reader reader(bytes, bytes.size());
    reader.skip(body);
    std::uint64_t checksum = 0, key = 0, notes = 0, warnings = 0, duration = 0, count = 0;
    if (!reader.u64(checksum) || checksum != fnv1a64(bytes.data(), body))
        return std::nullopt;
    Reader fields(bytes, body);
    fields.skip(kMagicSize);
    if (!fields.u64(key) || key != keyHash(contentHash, encodingKey) || !fields.u64(notes)
        || !fields.u64(warnings) || !fields.u64(duration) || !fields.u64(count)
        || count != (body - fields.position()) / 4 || (body - fields.position()) % 4 != 0)
        return std::nullopt;
    CachedEncoding entry;
    entry.noteCount = std::size_t(notes);
    entry.warningCount = std::size_t(warnings);
    std::memcpy(&entry.durationSec, &duration, sizeof duration);
    entry.encoded.resize(std::size_t(count));
    for (std::size_t i = 0, at = fields.position(); i < entry.encoded.size(); ++i, at += 4)
        entry.encoded[i] =
            std::int32_t(std::uint32_t(bytes[at]) | std::uint32_t(bytes[at + 1]) << 8
                         | std::uint32_t(bytes[at + 2]) << 16 | std::uint32_t(bytes[at + 3]) << 24);
    return entry;
}

void writeCachedEncoding(const std::filesystem::path &cacheDir, std::uint64_t contentHash,
                         const std::string &encodingKey, const CachedEncoding &entry)
{
    std::error_code ec;
    std::filesystem::create_directories(cacheDir, ec);
    if (ec)
        throw IoError(cacheDir.string() + ": cannot create the cache folder (" + ec.message() + ").");
    std::vector<std::uint8_t> bytes(kMagic, kMagic + kMagicSize);
    std::uint64_t duration = 0;
    std::memcpy(&duration, &entry.durationSec, sizeof duration);
    putU64(bytes, keyHash(contentHash, encodingKey));
    putU64(bytes, entry.noteCount);
    putU64(bytes, entry.warningCount);
    putU64(bytes, duration);
    putU64(bytes, entry.encoded.size());
    for (const std::int32_t value : entry.encoded)
        for (int i = 0; i < 4; ++i)
            bytes.push_back(std::uint8_t(std::uint32_t(value) >> (8 * i)));
    putU64(bytes, fnv1a64(bytes.data(), bytes.size()));
    writeFileAtomically(cachedEncodingPath(cacheDir, contentHash, encodingKey), bytes);
}

} // namespace continuo
