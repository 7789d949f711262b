#pragma once
// The profilers' sections as the page draws them: flame graphs of CPU samples, of callgrind's
// inclusive instructions and of allocations (from the callgrind-format files the sections name),
// differential flame graphs of variants, and the memory of each variant (totals, heap over the
// region, call sites).
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "documents.h"

namespace kprof::html {

struct FlameGraphs {
  nlohmann::json cpu = nlohmann::json::array();          // [{label, key, document, event, total, frames}]
  nlohmann::json callgrind = nlohmann::json::array();    // the same, instructions (Ir)
  nlohmann::json allocations = nlohmann::json::array();  // the same, bytes allocated (kprof mem)
  // Two variants of one family and size under callgrind, per call: the first variant of the
  // document as the base, each other one as current ({label, ...differential_flame}).
  nlohmann::json differential = nlohmann::json::array();
  std::vector<std::string> notes;  // profile files missing or unreadable
};

FlameGraphs flame_graphs(const Documents& documents, const std::filesystem::path& dir);

// [{key, family, variant, dtype, size, document, peak_bytes, bytes_allocated, allocations,
//   temporary_allocations, leaked_bytes, iterations, per_call{...}, timeline[[t, heap]], sites[...]}]
nlohmann::json memory_entries(const Documents& documents);

}  // namespace kprof::html
