#pragma once
// The one JSON blob the page reads: every figure its charts and tables show, computed here from the
// typed Run documents (spreads, arithmetic intensities, roofs), so that the page itself only lays
// out data and declares charts. Its layout is the page's contract (docs/REPORT.md, "Page data").
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "documents.h"

namespace kprof::html {

inline constexpr int kPageDataVersion = 1;

// `dir` is the report folder (the profilers' files are found in it), `folder` its name for the title.
nlohmann::json page_data(const Documents& documents, const std::filesystem::path& dir, const std::string& folder);

}  // namespace kprof::html
