// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-file reads and atomic writes (temporary file + rename), plain C++17 and POSIX fsync.
#include "core/fileio.h"

#include "core/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace continuo {

namespace {
std::string systemReason() { return std::strerror(errno); }

struct FileCloser
{
    void operator()(std::FILE *f) const
    {
        if (f)
            std::fclose(f);
    }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;
} // namespace

std::vector<std::uint8_t> readFileBytes(const std::filesystem::path &path, std::size_t maxBytes)
{
    FilePtr file(std::fopen(path.string().c_str(), "rb"));
    if (!file)
        throw IoError(path.string() + ": cannot open the file (" + systemReason() + ").");
    if (std::fseek(file.get(), 0, SEEK_END) != 0)
        throw IoError(path.string() + ": cannot read the file (" + systemReason() + ").");
    const long size = std::ftell(file.get());
    if (size < 0)
        throw IoError(path.string() + ": cannot read the file (" + systemReason() + ").");
    if (static_cast<unsigned long>(size) > maxBytes)
        throw IoError(path.string() + ": the file is too large (" + std::to_string(size)
                      + " bytes; the limit is " + std::to_string(maxBytes) + ").");
    std::rewind(file.get());
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (size > 0 && std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size())
        throw IoError(path.string() + ": cannot read the file (" + systemReason() + ").");
    return bytes;
}

AtomicFile::AtomicFile(const std::filesystem::path &path) : m_path(path), m_tmp(path)
{
    m_tmp += ".tmp";
    m_file = std::fopen(m_tmp.string().c_str(), "wb");
    if (!m_file)
        throw IoError(path.string() + ": cannot write the file (" + systemReason() + ").");
}

AtomicFile::~AtomicFile() { discard(); }

int AtomicFile::descriptor() const { return fileno(m_file); }

void AtomicFile::write(const std::uint8_t *data, std::size_t size)
{
    if (size > 0 && std::fwrite(data, 1, size, m_file) != size) {
        const std::string reason = systemReason();
        discard();
        throw IoError(m_path.string() + ": cannot write the file (" + reason + ").");
    }
}

void AtomicFile::commit()
{
    if (!m_file)
        throw IoError(m_path.string() + ": cannot write the file (it was already closed).");
    bool ok = std::fflush(m_file) == 0;
#if defined(__unix__) || defined(__APPLE__)
    ok = ok && ::fsync(fileno(m_file)) == 0;
#endif
    std::string reason = ok ? std::string() : systemReason();
    ok = (std::fclose(m_file) == 0) && ok;
    m_file = nullptr;
    std::error_code ec;
    if (ok)
        std::filesystem::rename(m_tmp, m_path, ec);
    if (!ok || ec) {
        discard();
        if (reason.empty())
            reason = ec ? ec.message() : std::string("close failed");
        throw IoError(m_path.string() + ": cannot write the file (" + reason + ").");
    }
    m_tmp.clear(); // committed: nothing to remove
}

void AtomicFile::discard()
{
    if (m_file)
        std::fclose(m_file);
    m_file = nullptr;
    if (!m_tmp.empty()) {
        std::error_code ec;
        std::filesystem::remove(m_tmp, ec);
        m_tmp.clear();
    }
}

void writeFileAtomically(const std::filesystem::path &path, const std::uint8_t *data, std::size_t size)
{
    AtomicFile file(path);
    file.write(data, size);
    file.commit();
}

void writeFileAtomically(const std::filesystem::path &path, const std::vector<std::uint8_t> &bytes)
{
    writeFileAtomically(path, bytes.data(), bytes.size());
}

void writeFileAtomically(const std::filesystem::path &path, std::string_view text)
{
    writeFileAtomically(path, reinterpret_cast<const std::uint8_t *>(text.data()), text.size());
}

} // namespace continuo
