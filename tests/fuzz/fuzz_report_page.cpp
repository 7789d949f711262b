// libFuzzer target for what `kprof report` builds from a document it found in a report folder:
// a Run document (any section) or a gate or history document, read as collect_documents reads
// it (reports/html/src/documents.cpp), then turned into the page's data (page_data.cpp), whose
// sweeps, roofs, flame graphs and source views compute with the document's figures. Properties
// checked: nothing but UsageError escapes (a hostile document is left out with a note, never an
// internal error), and the page data serialises as the page writes it.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "documents.h"
#include "kprof/errors.h"
#include "kprof/reports/run_json.h"
#include "page_data.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return 0;
  kprof::html::Documents documents;
  const std::string kind = j.value("kind", std::string());
  if (kind == "kprof-regress" || kind == "kprof-history") {
    // As add_gate_document admits them: version 1 with its list.
    const char* list = kind == "kprof-regress" ? "benchmarks" : "series";
    if (j.value("schema_version", 0) != 1 || !j.contains(list) || !j[list].is_array()) return 0;
    (kind == "kprof-regress" ? documents.comparisons : documents.histories).push_back({"fuzz.json", j});
  } else {
    try {
      documents.runs.push_back({"fuzz.json", kprof::run_from_json(j, "fuzz.json")});
    } catch (const kprof::UsageError&) {
      return 0;  // left out with a note
    }
  }
  try {
    const nlohmann::json page = kprof::html::page_data(documents, "/nonexistent/kprof-fuzz-report", "fuzz");
    (void)page.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const kprof::UsageError&) {
  }
  return 0;
}
