// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/resources.h"

#include "core/error.h"

#include <algorithm>
#include <string>
#include <system_error>

namespace continuo {

namespace fs = std::filesystem;

namespace {
fs::path executableDir()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}
} // namespace

std::vector<fs::path> resourceFolders(const std::string &name)
{
    std::vector<fs::path> candidates;
    if (const fs::path exeDir = executableDir(); !exeDir.empty()) {
        candidates.push_back(exeDir / "resources" / name);
        candidates.push_back(exeDir.parent_path() / "share" / "continuo" / name);
    }
#ifdef CONTINUO_SOURCE_RESOURCES_DIR
    candidates.push_back(fs::path(CONTINUO_SOURCE_RESOURCES_DIR) / name);
#endif
    std::vector<fs::path> folders;
    for (const fs::path &folder : candidates) {
        std::error_code ec;
        if (fs::is_directory(folder, ec))
            folders.push_back(folder);
    }
    return folders;
}

std::vector<fs::path> bundledModels()
{
    std::vector<fs::path> models;
    for (const fs::path &folder : resourceFolders("models")) {
        std::vector<fs::path> here;
        std::error_code ec;
        for (const fs::directory_entry &entry : fs::directory_iterator(folder, ec))
            if (entry.path().extension() == ".ckpt"
                && entry.path().stem().string().find(".last") == std::string::npos)
                here.push_back(entry.path());
        std::sort(here.begin(), here.end());
        if (!here.empty())
            return here; // one installation's models: an installed copy hides the source tree's
    }
    return models;
}

namespace {
/// The first bundled model whose file name starts with `prefix`; empty when none does.
fs::path bundledModelNamed(const std::vector<fs::path> &models, const std::string &prefix)
{
    for (const fs::path &model : models)
        if (model.filename().string().rfind(prefix, 0) == 0)
            return model;
    return {};
}
} // namespace

fs::path defaultModelPath()
{
    const std::vector<fs::path> models = bundledModels();
    if (fs::path model = bundledModelNamed(models, "default"); !model.empty())
        return model;
    if (models.empty())
        throw ModelError(
            "No model was chosen and no bundled model was found (looked for resources/models next to "
            "the program, in share/continuo/models and in the source tree).");
    return models.front();
}

fs::path defaultFillModelPath()
{
    const fs::path model = bundledModelNamed(bundledModels(), "fill");
    return model.empty() ? defaultModelPath() : model;
}

} // namespace continuo
