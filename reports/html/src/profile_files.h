#pragma once
// The files a section names (callgrind.out files, sources): written relative to the folder the
// profiler ran in, which for the main job is the report folder itself; a document moved with its
// folder is still found next to itself.
#include <filesystem>
#include <optional>
#include <string>

namespace kprof::html {

// `named` as written in the document at `document` (relative to `dir`); nullopt when not found.
std::optional<std::filesystem::path> find_named_file(const std::filesystem::path& dir, const std::string& document,
                                                     const std::string& named);

}  // namespace kprof::html
