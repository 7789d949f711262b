#pragma once
// The kprof documents in a report folder: every *.json under it that is a kprof Run document,
// read with the Run reader (so a document of another schema version is refused with its reason),
// and the regression gate's comparisons and the history's trends.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kprof/run.h"

namespace kprof::html {

struct Document {
  std::string file;  // relative to the report folder, '/'-separated: "cpu/nmf-scalar/cpu.json"
  Run run;
};

// A document of the gate or the history as written: a comparison (`kprof regress --json FILE`,
// "kind": "kprof-regress") or trends (`kprof history show --json FILE`, "kind": "kprof-history").
struct Comparison {
  std::string file;
  nlohmann::json json;
};

struct Documents {
  std::vector<Document> runs;           // in path order, run.json of the folder itself first
  std::vector<Comparison> comparisons;  // in path order
  std::vector<Comparison> histories;    // in path order
  std::vector<std::string> notes;       // "<file>: <why it was left out>"
};

// JSON files that are not kprof documents (no "schema_version" and "kprof_version") are ignored;
// kprof documents that cannot be read are noted, not fatal. Throws UsageError when `dir` is no folder.
Documents collect_documents(const std::filesystem::path& dir);

}  // namespace kprof::html
