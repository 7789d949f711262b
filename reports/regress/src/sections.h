#pragma once
// Per-benchmark views of the profilers' sections of a Run document: run.sections["callgrind"]
// (written by `kprof callgrind`) and run.sections["memory"] (written by `kprof mem`). Both are
// {"results": [{"key": Result::key(), ...}]}; fields missing from a record read as absent, so a
// section from an older or newer profiler never crashes the gate.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kprof/run.h"

namespace kprof::regress {

struct CallgrindRecord {
  std::string key;
  double ir_per_call = 0;
  double iterations = 1;
  std::string file;                         // callgrind.out path, for the function/line diff
  std::map<std::string, double> functions;  // from top_functions: "function (file:line)" -> Ir per call
};

struct SiteRecord {
  std::string label;  // "function (file:line)"
  double bytes = 0;
  double count = 0;
};

struct MemoryRecord {
  std::string key;
  std::optional<double> peak_bytes;
  std::optional<double> bytes_per_call;
  std::optional<double> allocations_per_call;
  std::vector<SiteRecord> sites;
};

std::map<std::string, CallgrindRecord> callgrind_records(const Run& run);
std::map<std::string, MemoryRecord> memory_records(const Run& run);

}  // namespace kprof::regress
