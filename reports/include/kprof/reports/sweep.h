#pragma once
// What a sweep shows, computed from its measured points: where the best variant changes as a size
// grows (crossovers), how time scales with threads (speed-up, efficiency, the point where adding
// threads stops paying), and where a chunked kernel's working set leaves each cache level (the
// knee). Pure functions of the measurements, so the tables, the HTML report and the tests agree.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kprof/caches.h"

namespace kprof::sweep {

// One measured point of one variant: the swept value (a size parameter, a thread count or a
// chunk size) and its median time per call.
struct Point {
  std::string variant;
  std::int64_t x = 0;
  double seconds = 0;
};

// The best variant changes at `x`: `to` is faster than `from` from here on (until the next one).
struct Crossover {
  std::int64_t x = 0;
  std::int64_t previous_x = 0;  // the last value measured before it, where `from` was still best
  std::string from, to;
};
// Crossovers in increasing x; the best variant at each x is the one with the least time.
std::vector<Crossover> crossovers(const std::vector<Point>& points);

struct ScalingStep {
  int threads = 0;
  double seconds = 0;
  double speedup = 0;     // time at the fewest threads measured / time here, scaled to 1 thread
  double efficiency = 0;  // speedup / threads
};
struct Scaling {
  std::string variant;
  std::vector<ScalingStep> steps;  // increasing threads
  int best_threads = 0;            // least time
  // The thread count after which the next measured count gains less than `min_gain` (or loses):
  // where adding threads stops paying. Empty when every step paid.
  std::optional<int> stops_paying_at;
};
// One curve per variant; x is the thread count. `min_gain` 0.1: a step must cut time by 10%.
std::vector<Scaling> scaling(const std::vector<Point>& points, double min_gain = 0.1);

// One cell of a variant's job threads x BLAS threads grid (a variant that runs its own threads and
// calls BLAS from each: scikit-learn's n_jobs workers over a threaded BLAS).
struct GridPoint {
  std::string variant;
  int threads = 1;
  int blas_threads = 1;
  double seconds = 0;
  int total() const { return threads * blas_threads; }
};
// A cell that asks for more threads than the machine has and pays for it: `slow` runs
// threads x BLAS threads > logical CPUs and takes `slowdown` times as long as `fit`, the variant's
// fastest cell that fits the CPUs.
struct Oversubscription {
  GridPoint slow, fit;
  double slowdown = 0;
};
// Oversubscribed cells, per variant in grid order: slower than the best fitting cell by more than
// `min_loss` (0.05: 5%, above the noise of interleaved medians). Needs a fitting cell to compare.
std::vector<Oversubscription> oversubscriptions(const std::vector<GridPoint>& grid, int logical_cpus,
                                                double min_loss = 0.05);

struct Knee {
  std::string variant;
  std::int64_t best_x = 0;  // the chunk with the least time
  double best_seconds = 0;
  struct Exit {
    std::string level;
    std::int64_t x = 0;            // the first chunk whose working set no longer fits
    std::int64_t working_set = 0;  // its working set, bytes
  };
  std::vector<Exit> leaves;  // one per level the sweep crosses, smallest level first
};
// x is the chunk size; `working_set(x)` gives one chunk's bytes; `caches` smallest level first
// (kprof::data_caches() for this machine's).
template <class WorkingSet>
std::vector<Knee> knees(const std::vector<Point>& points, const std::vector<CacheLevel>& caches,
                        WorkingSet working_set);

// ---- implementation of the template
std::vector<Knee> knees_of(const std::vector<Point>& points, const std::vector<CacheLevel>& caches,
                           const std::vector<std::pair<std::int64_t, std::int64_t>>& working_sets);
template <class WorkingSet>
std::vector<Knee> knees(const std::vector<Point>& points, const std::vector<CacheLevel>& caches,
                        WorkingSet working_set) {
  std::vector<std::pair<std::int64_t, std::int64_t>> sets;
  for (const Point& p : points) sets.emplace_back(p.x, working_set(p.x));
  return knees_of(points, caches, sets);
}

}  // namespace kprof::sweep
