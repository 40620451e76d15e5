// SPDX-License-Identifier: GPL-3.0-or-later
// Checkpoint container encoding with bounds checks and a checksum over every byte.
#include "nn/checkpointfile.h"

#include "core/error.h"
#include "core/fileio.h"
#include "core/hash.h"

#include <cstring>

namespace continuo {

namespace {

constexpr char kMagic[] = "CONTINUO-CHECKPOINT\n";
constexpr std::size_t kMagicSize = sizeof kMagic - 1;
constexpr std::size_t kMaxCheckpointBytes = std::size_t(4) << 30; // 4 GiB

template <typename T> void appendLe(std::string &out, T value)
{
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(char((std::uint64_t(value) >> (8 * i)) & 0xFF));
}

std::uint64_t checksum(const std::string &bytes, std::size_t length)
{
    return fnv1a64(reinterpret_cast<const std::uint8_t *>(bytes.data()), length);
}

/// Bounds-checked little-endian reader over the checkpoint bytes.
class Reader
{
public:
    Reader(const std::string &bytes, std::size_t end, const std::string &source)
        : m_bytes(bytes), m_end(end), m_source(source)
    { }

    template <typename T> T read()
    {
        need(sizeof(T));
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i)
            value |= std::uint64_t(std::uint8_t(m_bytes[m_pos + i])) << (8 * i);
        m_pos += sizeof(T);
        return T(value);
    }
    std::string readBytes(std::uint64_t size)
    {
        need(size);
        std::string out = m_bytes.substr(m_pos, std::size_t(size));
        m_pos += std::size_t(size);
        return out;
    }
    bool atEnd() const { return m_pos == m_end; }

private:
    void need(std::uint64_t size) const
    {
        if (size > m_end - m_pos)
            throw ModelError(m_source + ": the model file is damaged (a length points past its end).");
    }
    const std::string &m_bytes;
    std::size_t m_end;
    const std::string &m_source;
    std::size_t m_pos = kMagicSize;
};

} // namespace

const std::string *CheckpointContents::blob(const std::string &name) const
{
    for (const auto &[blobName, bytes] : blobs)
        if (blobName == name)
            return &bytes;
    return nullptr;
}

std::string encodeCheckpoint(const CheckpointContents &contents)
{
    std::string out(kMagic, kMagicSize);
    appendLe<std::uint32_t>(out, kCheckpointContainerVersion);
    appendLe<std::uint64_t>(out, contents.headerJson.size());
    out += contents.headerJson;
    appendLe<std::uint32_t>(out, std::uint32_t(contents.blobs.size()));
    for (const auto &[name, bytes] : contents.blobs) {
        appendLe<std::uint32_t>(out, std::uint32_t(name.size()));
        out += name;
        appendLe<std::uint64_t>(out, bytes.size());
        out += bytes;
    }
    appendLe<std::uint64_t>(out, checksum(out, out.size()));
    return out;
}

CheckpointContents decodeCheckpoint(const std::string &bytes, const std::string &source)
{
    if (bytes.size() < kMagicSize || std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
        throw ModelError(source + ": this is not a Continuo model file.");
    if (bytes.size() < kMagicSize + 4 + 8)
        throw ModelError(source + ": the model file is cut short.");
    Reader version(bytes, bytes.size(), source);
    const auto formatVersion = version.read<std::uint32_t>();
    if (formatVersion > kCheckpointContainerVersion)
        throw ModelError(source + ": this model was saved by a newer version of Continuo (file format "
                         + std::to_string(formatVersion) + ").");
    const std::size_t bodyEnd = bytes.size() - 8;
    std::uint64_t stored = 0;
    for (int i = 0; i < 8; ++i)
        stored |= std::uint64_t(std::uint8_t(bytes[bodyEnd + std::size_t(i)])) << (8 * i);
    if (stored != checksum(bytes, bodyEnd))
        throw ModelError(source + ": the model file is damaged or cut short (its checksum does not match).");

    Reader in(bytes, bodyEnd, source);
    in.read<std::uint32_t>(); // the version, checked above
    CheckpointContents contents;
    contents.headerJson = in.readBytes(in.read<std::uint64_t>());
    const auto blobCount = in.read<std::uint32_t>();
    for (std::uint32_t i = 0; i < blobCount; ++i) {
        std::string name = in.readBytes(in.read<std::uint32_t>());
        std::string blob = in.readBytes(in.read<std::uint64_t>());
        contents.blobs.emplace_back(std::move(name), std::move(blob));
    }
    if (!in.atEnd())
        throw ModelError(source + ": the model file is damaged (unexpected bytes after its contents).");
    return contents;
}

void writeCheckpointFile(const std::filesystem::path &path, const CheckpointContents &contents)
{
    writeFileAtomically(path, encodeCheckpoint(contents));
}

CheckpointContents readCheckpointFile(const std::filesystem::path &path)
{
    const std::vector<std::uint8_t> bytes = readFileBytes(path, kMaxCheckpointBytes);
    return decodeCheckpoint(std::string(bytes.begin(), bytes.end()), path.string());
}

} // namespace continuo
