// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's one error convention: typed exceptions carrying a sentence for people and detail for logs.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace continuo {

/// Base of every error the engine throws. what() is the sentence a user reads;
/// detail() is technical context for the log (may be empty).
class Error : public std::runtime_error
{
public:
    explicit Error(const std::string &message, std::string detail = {})
        : std::runtime_error(message), m_detail(std::move(detail))
    { }
    const std::string &detail() const { return m_detail; }

private:
    std::string m_detail;
};

/// A Standard MIDI File could not be read. Names the file, the byte offset and the problem.
class SmfError : public Error
{
public:
    /// @param source  file name (or "<memory>") the bytes came from
    /// @param byteOffset  offset in bytes from the start of the input where the problem was found
    /// @param chunkIndex  index of the chunk being read, or -1 for the header / outside chunks
    /// @param problem  one sentence, without the file name, e.g. "the track ends in the middle of an event"
    SmfError(const std::string &source, std::uint64_t byteOffset, int chunkIndex, const std::string &problem);
    const std::string &source() const { return m_source; }
    std::uint64_t byteOffset() const { return m_byteOffset; }
    int chunkIndex() const { return m_chunkIndex; }
    const std::string &problem() const { return m_problem; }

private:
    std::string m_source;
    std::uint64_t m_byteOffset;
    int m_chunkIndex;
    std::string m_problem;
};

/// Reading or writing a file failed at the operating-system level.
class IoError : public Error
{
public:
    using Error::Error;
};

/// A model or checkpoint could not be built, loaded or saved.
class ModelError : public Error
{
public:
    using Error::Error;
};

/// A seed, generation settings or constraints cannot produce a continuation.
class GenerationError : public Error
{
public:
    using Error::Error;
};

/// The synthesizer, an audio driver or a MIDI port failed.
class AudioError : public Error
{
public:
    using Error::Error;
};

} // namespace continuo
