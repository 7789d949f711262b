#pragma once
// The one JSON blob the page reads: every figure its charts and tables show, computed here from the
// typed Run documents (spreads, arithmetic intensities, roofs), so that the page itself only lays
// out data and declares charts. Its layout is the page's contract (docs/REPORT.md, "Page data").
#include <string>

#include <nlohmann/json.hpp>

#include "documents.h"

namespace kprof::html {

inline constexpr int kPageDataVersion = 1;

// `folder` names the report folder in the page's title.
nlohmann::json page_data(const Documents& documents, const std::string& folder);

}  // namespace kprof::html
