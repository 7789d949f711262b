#pragma once
// The sweeps of the folder's main run as the page draws them, from the same analysis as the text
// report (kprof/reports/sweep_tables.h); the points of each chart are the run's result rows.
#include <nlohmann/json.hpp>

#include "kprof/run.h"

namespace kprof::html {

// [{family, dtype, threads, blas_threads, sizes[], crossovers[{from, to, size, previous}]}]
nlohmann::json size_sweeps_json(const Run& run);
// [{family, variant, dtype, size, best_threads, stops_paying_at|null, steps[{threads, seconds, speedup, efficiency}]}]
nlohmann::json thread_sweeps_json(const Run& run);
// [{family, variant, dtype, size, logical_cpus, cells[{threads, blas_threads, seconds}], warnings[text]}]
nlohmann::json thread_grids_json(const Run& run);
// [{family, dtype, threads, blas_threads, swept, sizes[], working_sets[], caches[{name, bytes}],
//   knees[{variant, best, best_seconds, leaves[{level, at, working_set}]}]}]
nlohmann::json chunk_sweeps_json(const Run& run);

}  // namespace kprof::html
