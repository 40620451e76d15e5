// SPDX-License-Identifier: GPL-3.0-or-later
// Recursive MIDI file listing.
#include "midi/midifiles.h"

#include "core/error.h"

#include <algorithm>
#include <cctype>

namespace continuo {

bool hasMidiExtension(const std::filesystem::path &path)
{
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".mid" || ext == ".midi" || ext == ".kar" || ext == ".smf" || ext == ".rmi";
}

std::vector<std::filesystem::path> findMidiFiles(const std::filesystem::path &folder)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw IoError(folder.string() + ": not a folder, or it cannot be read.");
    std::vector<fs::path> files;
    const auto options = fs::directory_options::skip_permission_denied;
    for (fs::recursive_directory_iterator it(folder, options, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && hasMidiExtension(it->path()))
            files.push_back(it->path());
    if (ec)
        throw IoError(folder.string() + ": cannot list the folder (" + ec.message() + ").");
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace continuo
