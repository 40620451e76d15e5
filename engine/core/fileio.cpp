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

void writeFileAtomically(const std::filesystem::path &path, const std::uint8_t *data, std::size_t size)
{
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    FilePtr file(std::fopen(tmp.string().c_str(), "wb"));
    if (!file)
        throw IoError(path.string() + ": cannot write the file (" + systemReason() + ").");
    bool ok = size == 0 || std::fwrite(data, 1, size, file.get()) == size;
    ok = ok && std::fflush(file.get()) == 0;
#if defined(__unix__) || defined(__APPLE__)
    ok = ok && ::fsync(fileno(file.get())) == 0;
#endif
    const std::string reason = ok ? std::string() : systemReason();
    ok = (std::fclose(file.release()) == 0) && ok;
    std::error_code ec;
    if (ok) {
        std::filesystem::rename(tmp, path, ec);
        if (!ec)
            return;
    }
    std::filesystem::remove(tmp, ec);
    throw IoError(path.string() + ": cannot write the file ("
                  + (reason.empty() ? std::string("rename failed") : reason) + ").");
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
