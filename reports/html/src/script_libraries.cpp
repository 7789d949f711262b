#include "script_libraries.h"

#include <cstdlib>
#include <system_error>

#include <nlohmann/json.hpp>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"

namespace kprof::html {
namespace {

namespace fs = std::filesystem;

struct LibraryFile {
  const char* package;
  const char* build;  // relative to the package folder
};

constexpr LibraryFile kLibraries[] = {
    {"vega", "build/vega.min.js"},
    {"vega-lite", "build/vega-lite.min.js"},
    {"vega-embed", "build/vega-embed.min.js"},
};

std::vector<fs::path> candidate_folders() {
  std::vector<fs::path> folders;
  if (const char* env = std::getenv("KPROF_NODE_MODULES"); env && *env) folders.emplace_back(env);
  folders.emplace_back(KPROF_SOURCE_NODE_MODULES);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) folders.push_back(exe.parent_path().parent_path() / KPROF_INSTALLED_NODE_MODULES);
  return folders;
}

bool holds_every_library(const fs::path& folder) {
  std::error_code ec;
  for (const auto& lib : kLibraries)
    if (!fs::is_regular_file(folder / lib.package / lib.build, ec)) return false;
  return true;
}

// The browser ignores a source map unless its developer tools are open, but a page that names a
// file it does not carry is one request away from the network: the comment goes.
std::string without_source_map_comment(std::string code) {
  const std::string marker = "//# sourceMappingURL=";
  if (auto at = code.rfind(marker); at != std::string::npos) code.erase(at, code.find('\n', at) - at);
  return code;
}

ScriptLibrary load(const fs::path& folder, const LibraryFile& lib) {
  const fs::path package = folder / lib.package;
  ScriptLibrary loaded;
  loaded.name = lib.package;
  const auto manifest = nlohmann::json::parse(read_file(package / "package.json"), nullptr, false);
  if (manifest.is_object() && manifest.contains("version") && manifest["version"].is_string())
    loaded.version = manifest["version"].get<std::string>();
  std::error_code ec;
  if (fs::is_regular_file(package / "LICENSE", ec)) loaded.license = read_file(package / "LICENSE");
  loaded.code = without_source_map_comment(read_file(package / lib.build));
  return loaded;
}

}  // namespace

std::vector<ScriptLibrary> load_script_libraries() {
  const std::vector<fs::path> folders = candidate_folders();
  for (const fs::path& folder : folders) {
    if (!holds_every_library(folder)) continue;
    std::vector<ScriptLibrary> libraries;
    for (const auto& lib : kLibraries) libraries.push_back(load(folder, lib));
    return libraries;
  }
  std::string looked;
  for (const fs::path& folder : folders) looked += "\n  " + folder.string();
  throw UsageError(
      "the page's charting libraries (vega, vega-lite, vega-embed) are not installed; looked in:" + looked +
      "\ninstall them with scripts/setup.sh (npm ci in kprof's source folder), or point KPROF_NODE_MODULES at "
      "a node_modules folder that holds them");
}

}  // namespace kprof::html
