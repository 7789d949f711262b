#pragma once
// Google Benchmark's JSON output (`--benchmark_format=json` or `--benchmark_out=FILE`) read as a
// kprof Run, so that `kprof regress` and `kprof history` gate and record a Google Benchmark suite
// with the same typed Run as their own documents (read_run recognises it by content).
// docs/FORMATS.md "Google Benchmark JSON" says how each field maps.
#include <string_view>

#include <nlohmann/json.hpp>

#include "kprof/run.h"

namespace kprof {

// True for an object with "context" and "benchmarks": what Google Benchmark writes, never a Run.
bool is_gbench_json(const nlohmann::json& j);

// One Result per benchmark instance (run_name): the per-repetition runs are its samples;
// aggregates (mean, median, stddev, cv, ...) are checked and not used. Throws UsageError naming
// `source` and the field for what the gate cannot compare: negative or non-finite times, an
// unknown time_unit, two benchmarks of one name, a benchmark with only aggregates.
Run run_from_gbench_json(const nlohmann::json& j, std::string_view source);

}  // namespace kprof
