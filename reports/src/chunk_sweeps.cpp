// Chunk sweeps and their cache knees (kprof/reports/sweep_tables.h): time against a tuning
// parameter whose working set (Result::working_set) grows past the caches while the work per call
// stays the same.
#include <algorithm>
#include <map>
#include <tuple>

#include "kprof/reports/sweep_tables.h"
#include "sweep_parts.h"

namespace kprof {
namespace {

// One family, dtype and thread count doing the same work per call.
using ChunkKey = std::tuple<std::string, DType, int, int, double, double>;

std::map<ChunkKey, std::vector<const Result*>> chunk_groups(const Run& run) {
  std::map<ChunkKey, std::vector<const Result*>> groups;
  for (const Result& r : run.results)
    if (r.status == Status::ok && r.working_set > 0)
      groups[{r.family, r.dtype, r.threads, r.blas_threads, r.flops, r.bytes}].push_back(&r);
  return groups;
}

std::vector<CacheLevel> data_caches_of(const Environment& e) {
  std::vector<CacheLevel> caches = e.caches;
  std::erase_if(caches, [](const CacheLevel& c) { return c.type == "Instruction"; });
  std::stable_sort(caches.begin(), caches.end(), [](const auto& a, const auto& b) { return a.level < b.level; });
  return caches;
}

// The sizes in increasing working set, each once.
void order_sizes(const std::vector<const Result*>& results, ChunkSweep& sweep) {
  std::vector<std::pair<double, Size>> sizes;
  for (const Result* r : results)
    if (std::none_of(sizes.begin(), sizes.end(), [&](const auto& s) { return s.second == r->size; }))
      sizes.emplace_back(r->working_set, r->size);
  std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.first, a.second.str()) < std::make_pair(b.first, b.second.str());
  });
  for (auto& [bytes, size] : sizes) {
    sweep.working_sets.push_back(bytes);
    sweep.sizes.push_back(std::move(size));
  }
}

void find_knees(const std::vector<const Result*>& results, ChunkSweep& sweep) {
  std::vector<sweep::Point> points;
  std::vector<std::pair<std::int64_t, std::int64_t>> sets;
  for (std::size_t i = 0; i < sweep.sizes.size(); ++i)
    sets.emplace_back(static_cast<std::int64_t>(i), static_cast<std::int64_t>(sweep.working_sets[i]));
  for (const Result* r : results) {
    auto at = std::find(sweep.sizes.begin(), sweep.sizes.end(), r->size) - sweep.sizes.begin();
    points.push_back({r->variant, static_cast<std::int64_t>(at), r->time.median_ns * 1e-9});
  }
  for (const sweep::Knee& k : sweep::knees_of(points, sweep.caches, sets)) {
    ChunkSweep::Knee knee{k.variant, sweep.sizes[static_cast<std::size_t>(k.best_x)], k.best_seconds, {}};
    for (const auto& exit : k.leaves)
      knee.leaves.push_back(
          {exit.level, sweep.sizes[static_cast<std::size_t>(exit.x)], static_cast<double>(exit.working_set)});
    sweep.knees.push_back(std::move(knee));
  }
}

// The smallest cache level the working set fits in ("L2"); "> L3" past the largest known level (not
// "memory": a level the machine did not describe may still hold it); "?" with no caches known.
std::string fits_in(double bytes, const std::vector<CacheLevel>& caches) {
  if (caches.empty()) return "?";
  for (const CacheLevel& c : caches)
    if (bytes <= static_cast<double>(c.bytes)) return c.name();
  return "> " + caches.back().name();
}

std::string sweep_label(const ChunkSweep& s) {
  return s.family + " " + std::string(to_string(s.dtype)) + threads_suffix(s.threads, s.blas_threads);
}

Table chunk_table(const Run& run, const std::vector<ChunkSweep>& sweeps) {
  Table t{{"sweep", "variant", "size", "working set", "fits in", "median"}, {true, true, true}, {}};
  for (const ChunkSweep& s : sweeps)
    for (std::size_t i = 0; i < s.sizes.size(); ++i)
      for (const Result& r : run.results)
        if (r.status == Status::ok && r.family == s.family && r.dtype == s.dtype && r.threads == s.threads &&
            r.blas_threads == s.blas_threads && r.size == s.sizes[i])
          t.rows.push_back({sweep_label(s), r.variant, swept_part(s.sizes[i], s.sizes), format_bytes(s.working_sets[i]),
                            fits_in(s.working_sets[i], s.caches), format_duration_ns(r.time.median_ns)});
  return t;
}

std::string knee_line(const ChunkSweep& s, const ChunkSweep::Knee& k) {
  std::string line = sweep_label(s) + " " + k.variant + ": best at " + swept_part(k.best, s.sizes) + " (" +
                     format_duration_ns(k.best_seconds * 1e9) + ")";
  for (const auto& exit : k.leaves)
    line +=
        "; leaves " + exit.level + " at " + swept_part(exit.at, s.sizes) + " (" + format_bytes(exit.working_set) + ")";
  if (s.caches.empty()) line += "; cache sizes unknown on this machine";
  return line;
}

}  // namespace

std::string swept_part(const Size& size, const std::vector<Size>& sizes) {
  std::string out;
  for (const auto& dimension : size.values()) {
    // Not a structured binding: clang 14 (the fuzzing build's) cannot capture one in a lambda.
    const auto& [name, value] = dimension;
    const bool varies =
        std::any_of(sizes.begin(), sizes.end(), [&](const Size& s) { return s[dimension.first] != dimension.second; });
    if (varies) out += (out.empty() ? "" : ",") + name + "=" + std::to_string(value);
  }
  return out.empty() ? size.str() : out;
}

std::vector<ChunkSweep> chunk_sweeps(const Run& run) {
  std::vector<ChunkSweep> out;
  for (const auto& [key, results] : chunk_groups(run)) {
    ChunkSweep sweep;
    std::tie(sweep.family, sweep.dtype, sweep.threads, sweep.blas_threads, std::ignore, std::ignore) = key;
    order_sizes(results, sweep);
    if (sweep.sizes.size() < 2) continue;
    sweep.swept = swept_part(sweep.sizes.front(), sweep.sizes);
    sweep.swept = sweep.swept.substr(0, sweep.swept.find('='));  // the first changing parameter's name
    sweep.caches = data_caches_of(run.environment);
    find_knees(results, sweep);
    out.push_back(std::move(sweep));
  }
  return out;
}

void add_chunk_parts(const Run& run, SweepReport& report) {
  const std::vector<ChunkSweep> sweeps = chunk_sweeps(run);
  report.chunks = chunk_table(run, sweeps);
  for (const ChunkSweep& s : sweeps)
    for (const ChunkSweep::Knee& k : s.knees) report.knees.push_back(knee_line(s, k));
}

}  // namespace kprof
