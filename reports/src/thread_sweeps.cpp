// Thread scaling per variant and the job threads x BLAS threads grid (kprof/reports/sweep_tables.h).
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "kprof/job.h"
#include "kprof/reports/sweep_tables.h"
#include "sweep_parts.h"

namespace kprof {
namespace {

// The ok results of one variant at one size and dtype, across thread counts.
using VariantKey = std::tuple<std::string, std::string, DType, std::string>;  // family, variant, dtype, size
std::map<VariantKey, std::vector<const Result*>> by_variant(const Run& run) {
  std::map<VariantKey, std::vector<const Result*>> groups;
  for (const Result& r : run.results)
    if (r.status == Status::ok) groups[{r.family, r.variant, r.dtype, r.size.str()}].push_back(&r);
  return groups;
}

// A grid: some job thread count was measured at two BLAS pool sizes or more.
bool is_grid(const std::vector<const Result*>& results) {
  std::set<std::pair<int, int>> cells;
  std::set<int> threads;
  for (const Result* r : results) {
    cells.insert({r->threads, r->blas_threads});
    threads.insert(r->threads);
  }
  return cells.size() > threads.size();
}

// The scaling curve's points: per job thread count, the result with the fewest BLAS threads (the
// only one, off the grid).
std::vector<sweep::Point> scaling_points(const std::vector<const Result*>& results) {
  std::map<int, const Result*> fewest_blas;
  for (const Result* r : results) {
    const Result*& kept = fewest_blas[r->threads];
    if (!kept || r->blas_threads < kept->blas_threads) kept = r;
  }
  std::vector<sweep::Point> points;
  for (const auto& [threads, r] : fewest_blas) points.push_back({r->variant, threads, r->time.median_ns * 1e-9});
  return points;
}

std::string label(const std::string& family, const std::string& variant, DType dtype, const Size& size) {
  return family + "/" + variant + " " + std::string(to_string(dtype)) + " " + size.str();
}

Table scaling_table(const std::vector<ThreadSweep>& sweeps) {
  Table t{{"variant", "size", "threads", "median", "speed-up", "ideal", "efficiency"}, {true, true}, {}};
  for (const ThreadSweep& s : sweeps)
    for (const sweep::ScalingStep& step : s.scaling.steps)
      t.rows.push_back({s.family + "/" + s.variant + " " + std::string(to_string(s.dtype)), s.size.str(),
                        std::to_string(step.threads), format_duration_ns(step.seconds * 1e9),
                        format_fixed(step.speedup, 2) + "x", std::to_string(step.threads) + "x",
                        format_fixed(100 * step.efficiency, 0) + "%"});
  return t;
}

std::string scaling_note(const ThreadSweep& s) {
  std::string note = label(s.family, s.variant, s.dtype, s.size) + ": fastest at " +
                     std::to_string(s.scaling.best_threads) + " thread(s)";
  if (s.scaling.stops_paying_at)
    note += "; adding threads stops paying after " + std::to_string(*s.scaling.stops_paying_at) +
            " (the next count cuts the time by less than 10%)";
  return note;
}

Table grid_table(const std::vector<ThreadGrid>& grids) {
  Table t{{"variant", "size", "job threads", "BLAS threads", "total", "median", "vs best fitting"}, {true, true}, {}};
  for (const ThreadGrid& g : grids) {
    double best_fit = 0;
    for (const sweep::GridPoint& c : g.cells)
      if (c.total() <= g.logical_cpus && (best_fit == 0 || c.seconds < best_fit)) best_fit = c.seconds;
    for (const sweep::GridPoint& c : g.cells)
      t.rows.push_back(
          {g.family + "/" + g.variant + " " + std::string(to_string(g.dtype)), g.size.str(), std::to_string(c.threads),
           std::to_string(c.blas_threads), std::to_string(c.total()) + (c.total() > g.logical_cpus ? " > CPUs" : ""),
           format_duration_ns(c.seconds * 1e9), best_fit > 0 ? format_fixed(c.seconds / best_fit, 2) + "x" : "-"});
  }
  return t;
}

}  // namespace

std::vector<ThreadSweep> thread_sweeps(const Run& run) {
  std::vector<ThreadSweep> out;
  for (const auto& [key, results] : by_variant(run)) {
    std::vector<sweep::Point> points = scaling_points(results);
    std::set<std::int64_t> counts;
    for (const sweep::Point& p : points) counts.insert(p.x);
    if (counts.size() < 2) continue;
    const Result& first = *results.front();
    out.push_back({first.family, first.variant, first.dtype, first.size, sweep::scaling(points).front()});
  }
  return out;
}

std::vector<ThreadGrid> thread_grids(const Run& run) {
  std::vector<ThreadGrid> out;
  for (const auto& [key, results] : by_variant(run)) {
    if (!is_grid(results)) continue;
    const Result& first = *results.front();
    ThreadGrid g{first.family, first.variant, first.dtype, first.size, run.environment.logical_cpus, {}, {}};
    for (const Result* r : results)
      g.cells.push_back({r->variant, r->threads, r->blas_threads, r->time.median_ns * 1e-9});
    std::sort(g.cells.begin(), g.cells.end(), [](const auto& a, const auto& b) {
      return std::make_pair(a.threads, a.blas_threads) < std::make_pair(b.threads, b.blas_threads);
    });
    g.oversubscribed = sweep::oversubscriptions(g.cells, g.logical_cpus);
    out.push_back(std::move(g));
  }
  return out;
}

std::string oversubscription_warning(const ThreadGrid& g, const sweep::Oversubscription& o) {
  return label(g.family, g.variant, g.dtype, g.size) + ": " + std::to_string(o.slow.threads) + " job threads x " +
         std::to_string(o.slow.blas_threads) + " BLAS threads = " + std::to_string(o.slow.total()) + " on " +
         std::to_string(g.logical_cpus) + " logical CPUs took " + format_fixed(o.slowdown, 2) + "x the time of " +
         std::to_string(o.fit.threads) + " x " + std::to_string(o.fit.blas_threads) +
         ": oversubscribed. Fix: cap BLAS inside the job's threads, kprof::ThreadLimits limits({.blas = 1}) around "
         "the parallel region in the code, or OPENBLAS_NUM_THREADS=1 in the environment";
}

std::string threads_suffix(int threads, int blas_threads) {
  const std::string label = threads_label(threads, blas_threads);
  return label.empty() ? "" : " (" + label + ")";
}

void add_thread_parts(const Run& run, SweepReport& report) {
  const std::vector<ThreadSweep> sweeps = thread_sweeps(run);
  report.scaling = scaling_table(sweeps);
  for (const ThreadSweep& s : sweeps) report.scaling_notes.push_back(scaling_note(s));
  const std::vector<ThreadGrid> grids = thread_grids(run);
  report.grid = grid_table(grids);
  for (const ThreadGrid& g : grids)
    for (const sweep::Oversubscription& o : g.oversubscribed) report.warnings.push_back(oversubscription_warning(g, o));
}

}  // namespace kprof
