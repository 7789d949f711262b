#include "sweeps_data.h"

#include "kprof/reports/sweep_tables.h"

namespace kprof::html {

using nlohmann::json;

json size_sweeps_json(const Run& run) {
  json out = json::array();
  for (const SizeSweep& sweep : size_sweeps(run)) {
    json sizes = json::array(), crossovers = json::array();
    for (const Size& size : sweep.sizes) sizes.push_back(size.str());
    for (const auto& c : sweep.crossovers)
      crossovers.push_back({{"from", c.from}, {"to", c.to}, {"size", c.at.str()}, {"previous", c.previous.str()}});
    out.push_back({{"family", sweep.family},
                   {"dtype", to_string(sweep.dtype)},
                   {"threads", sweep.threads},
                   {"blas_threads", sweep.blas_threads},
                   {"sizes", sizes},
                   {"crossovers", crossovers}});
  }
  return out;
}

json thread_sweeps_json(const Run& run) {
  json out = json::array();
  for (const ThreadSweep& sweep : thread_sweeps(run)) {
    json steps = json::array();
    for (const auto& s : sweep.scaling.steps)
      steps.push_back(
          {{"threads", s.threads}, {"seconds", s.seconds}, {"speedup", s.speedup}, {"efficiency", s.efficiency}});
    out.push_back({{"family", sweep.family},
                   {"variant", sweep.variant},
                   {"dtype", to_string(sweep.dtype)},
                   {"size", sweep.size.str()},
                   {"best_threads", sweep.scaling.best_threads},
                   {"stops_paying_at", sweep.scaling.stops_paying_at ? json(*sweep.scaling.stops_paying_at) : json()},
                   {"steps", steps}});
  }
  return out;
}

json thread_grids_json(const Run& run) {
  json out = json::array();
  for (const ThreadGrid& grid : thread_grids(run)) {
    json cells = json::array(), warnings = json::array();
    for (const auto& c : grid.cells)
      cells.push_back({{"threads", c.threads}, {"blas_threads", c.blas_threads}, {"seconds", c.seconds}});
    for (const auto& o : grid.oversubscribed) warnings.push_back(oversubscription_warning(grid, o));
    out.push_back({{"family", grid.family},
                   {"variant", grid.variant},
                   {"dtype", to_string(grid.dtype)},
                   {"size", grid.size.str()},
                   {"logical_cpus", grid.logical_cpus},
                   {"cells", cells},
                   {"warnings", warnings}});
  }
  return out;
}

json chunk_sweeps_json(const Run& run) {
  json out = json::array();
  for (const ChunkSweep& sweep : chunk_sweeps(run)) {
    json sizes = json::array(), caches = json::array(), knees = json::array();
    for (const Size& size : sweep.sizes) sizes.push_back(size.str());
    for (const auto& c : sweep.caches) caches.push_back({{"name", c.name()}, {"bytes", c.bytes}});
    for (const auto& k : sweep.knees) {
      json leaves = json::array();
      for (const auto& e : k.leaves)
        leaves.push_back({{"level", e.level}, {"at", swept_part(e.at, sweep.sizes)}, {"working_set", e.working_set}});
      knees.push_back({{"variant", k.variant},
                       {"best", swept_part(k.best, sweep.sizes)},
                       {"best_seconds", k.best_seconds},
                       {"leaves", leaves}});
    }
    out.push_back({{"family", sweep.family},
                   {"dtype", to_string(sweep.dtype)},
                   {"threads", sweep.threads},
                   {"blas_threads", sweep.blas_threads},
                   {"swept", sweep.swept},
                   {"sizes", sizes},
                   {"working_sets", sweep.working_sets},
                   {"caches", caches},
                   {"knees", knees}});
  }
  return out;
}

}  // namespace kprof::html
