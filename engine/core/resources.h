// SPDX-License-Identifier: GPL-3.0-or-later
// Finding what ships with Continuo: bundled models and seeds.
#pragma once

#include <filesystem>
#include <vector>

namespace continuo {

/// Folders that may hold the resource folder `name` ("models", "seeds"), in search order: next to
/// the executable (resources/NAME), the installed share folder (../share/continuo/NAME), and the
/// source tree's resources/NAME. Only folders that exist are listed. Any thread.
std::vector<std::filesystem::path> resourceFolders(const std::string &name);

/// The bundled models: the *.ckpt files of the first models folder that has any, sorted.
std::vector<std::filesystem::path> bundledModels();

/// The model used when none is chosen: the first bundled model whose name starts with "default",
/// else the first bundled model. @throws ModelError when no model is bundled.
std::filesystem::path defaultModelPath();

/// The model that fills a span when none is chosen, and in the app when the default is: the first
/// bundled model whose name starts with "fill" (the default taught to fill gaps), else
/// defaultModelPath(). @throws ModelError when no model is bundled.
std::filesystem::path defaultFillModelPath();

} // namespace continuo
