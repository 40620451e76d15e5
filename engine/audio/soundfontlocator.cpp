// SPDX-License-Identifier: GPL-3.0-or-later
// SoundFont discovery in the documented order.
#include "audio/soundfontlocator.h"

#include "core/error.h"

#include <algorithm>
#include <cstdlib>

namespace continuo {

namespace {
namespace fs = std::filesystem;

struct Resolved
{
    fs::path executableFolder; // soundfonts/ next to the executable
    fs::path sourceFolder;
    fs::path environment;
    fs::path system;
};

Resolved resolve(const SoundFontSearch &search)
{
    Resolved r;
    std::error_code ec;
    fs::path exeDir = search.executableDir;
    if (exeDir.empty()) {
        const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (!ec)
            exeDir = exe.parent_path();
    }
    if (!exeDir.empty())
        r.executableFolder = exeDir / "soundfonts";
#ifdef CONTINUO_SOURCE_SOUNDFONT_DIR
    r.sourceFolder = search.sourceDir.empty() ? fs::path(CONTINUO_SOURCE_SOUNDFONT_DIR) : search.sourceDir;
#else
    r.sourceFolder = search.sourceDir;
#endif
    r.environment = search.environmentChoice;
    if (r.environment.empty())
        if (const char *value = std::getenv("CONTINUO_SOUNDFONT"))
            r.environment = value;
    r.system = search.systemDir;
    return r;
}

bool isSoundFontName(const fs::path &path)
{
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".sf2" || ext == ".sf3";
}

/// A file as it is, or the SoundFonts of a folder in their documented order.
void addFrom(const fs::path &place, std::vector<fs::path> &out)
{
    std::error_code ec;
    if (place.empty())
        return;
    if (fs::is_regular_file(place, ec)) {
        out.push_back(place);
        return;
    }
    if (!fs::is_directory(place, ec))
        return;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(place, ec), end; !ec && it != end; it.increment(ec))
        if (isSoundFontName(it->path()) && fs::is_regular_file(it->path(), ec)) // follows links
            files.push_back(it->path());
    std::sort(files.begin(), files.end(), [](const fs::path &a, const fs::path &b) {
        const bool aDefault = a.filename() == "default-GM.sf2", bDefault = b.filename() == "default-GM.sf2";
        return aDefault != bDefault ? aDefault : a.filename() < b.filename();
    });
    out.insert(out.end(), files.begin(), files.end());
}
} // namespace

std::vector<fs::path> soundFontCandidates(const SoundFontSearch &search)
{
    const Resolved r = resolve(search);
    std::vector<fs::path> found;
    addFrom(search.userChoice, found);
    addFrom(r.executableFolder, found);
    addFrom(r.sourceFolder, found);
    addFrom(r.environment, found);
    addFrom(r.system, found);
    // The same file reached twice (say, the build's soundfonts/ is the source tree's) counts once.
    std::vector<fs::path> unique;
    for (const fs::path &path : found) {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(path, ec);
        const bool seen = std::any_of(unique.begin(), unique.end(), [&](const fs::path &u) {
            std::error_code ec2;
            return fs::weakly_canonical(u, ec2) == canonical;
        });
        if (!seen)
            unique.push_back(path);
    }
    return unique;
}

std::string soundFontSearchDescription(const SoundFontSearch &search)
{
    const Resolved r = resolve(search);
    std::string text;
    for (const fs::path &place : { r.executableFolder, r.sourceFolder })
        if (!place.empty())
            text += place.string() + ", ";
    text += "$CONTINUO_SOUNDFONT"
          + (r.environment.empty() ? std::string(" (unset)") : " (" + r.environment.string() + ")");
    return text + ", " + r.system.string();
}

fs::path findSoundFont(const SoundFontSearch &search)
{
    std::error_code ec;
    if (!search.userChoice.empty() && !fs::exists(search.userChoice, ec))
        throw AudioError(search.userChoice.string() + ": the chosen SoundFont does not exist.");
    const std::vector<fs::path> candidates = soundFontCandidates(search);
    if (candidates.empty())
        throw AudioError("No SoundFont was found; put a General MIDI .sf2 file in one of: "
                         + soundFontSearchDescription(search) + ".");
    return candidates.front();
}

fs::path findSoundFont(const std::string &userChoice)
{
    SoundFontSearch search;
    search.userChoice = userChoice;
    return findSoundFont(search);
}

} // namespace continuo
