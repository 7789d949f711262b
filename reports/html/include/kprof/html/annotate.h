#pragma once
// `kprof annotate DIR` (and `kprof lines --with ...`): the per-line view of the page's annotated
// source as a table in the terminal. For each profiled function, its lines hottest first with every
// figure kprof has for them: line-timer time and hits, callgrind Ir, CPU samples, bytes allocated —
// one column per profile found in DIR, each cell also a share of its profile's region.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kprof::html {

struct AnnotateOptions {
  std::string function;        // only functions whose name contains it ("" = every function)
  std::size_t max_lines = 25;  // per function, the hottest first (0 = all)
};

struct Annotated {
  nlohmann::json functions;        // the page's source views (docs/REPORT.md, "Annotated source")
  std::vector<std::string> notes;  // documents or profiles that could not be read, and why
};

// Throws UsageError (exit 2) when DIR is no folder or none of its documents has per-line figures
// (the message says which profilers give them).
Annotated annotate(const std::filesystem::path& dir, const AnnotateOptions& options = {});

std::string render_annotated_text(const Annotated& annotated, const AnnotateOptions& options = {});
std::string render_annotated_markdown(const Annotated& annotated, const AnnotateOptions& options = {});

}  // namespace kprof::html
