// SPDX-License-Identifier: GPL-3.0-or-later
// Message formatting for the engine's error types.
#include "core/error.h"

namespace continuo {

namespace {
std::string smfMessage(const std::string &source, std::uint64_t byteOffset, int chunkIndex,
                       const std::string &problem)
{
    std::string message = source + ": " + problem + " (at byte " + std::to_string(byteOffset);
    if (chunkIndex >= 0)
        message += ", chunk " + std::to_string(chunkIndex);
    message += ")";
    return message;
}
} // namespace

SmfError::SmfError(const std::string &source, std::uint64_t byteOffset, int chunkIndex,
                   const std::string &problem)
    : Error(smfMessage(source, byteOffset, chunkIndex, problem))
    , m_source(source)
    , m_byteOffset(byteOffset)
    , m_chunkIndex(chunkIndex)
    , m_problem(problem)
{ }

} // namespace continuo
