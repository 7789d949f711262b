#pragma once
// The sweep part of a run's report, from the sweep analysis (kprof/reports/sweep.h) of the Run
// document's results: where the best variant changes as the size grows, what float32 buys over
// float64, how each variant scales with threads, the job threads x BLAS threads grid with its
// oversubscription warnings, and where a chunked kernel's working set leaves each cache. Each part
// is empty when the run did not sweep its axis. The text report and the HTML page draw the same
// structs (size_sweeps, thread_sweeps, thread_grids, chunk_sweeps).
#include <vector>

#include "kprof/reports/sweep.h"
#include "kprof/reports/tables.h"
#include "kprof/run.h"

namespace kprof {

struct SweepReport {
  std::vector<std::string> crossovers;     // "gemm f64: blas overtakes simd-avx512 from m=512,... (best up to ...)"
  Table dtype_ratio;                       // family/variant, size, f64 time / f32 time, both errors
  Table scaling;                           // per variant and thread count: time, speed-up, ideal, efficiency
  std::vector<std::string> scaling_notes;  // "... best at 2 threads; adding threads stops paying after 2"
  Table grid;                              // job threads x BLAS threads cells with their times
  std::vector<std::string> warnings;       // oversubscribed cells, each with its fix
  Table chunks;                            // time against chunk, the working set placed against the caches
  std::vector<std::string> knees;          // best chunk and where the working set leaves each cache level
  bool empty() const {
    return crossovers.empty() && dtype_ratio.rows.empty() && scaling.rows.empty() && grid.rows.empty() &&
           chunks.rows.empty();
  }
  std::string text() const;
  std::string markdown() const;
};

SweepReport sweep_report(const Run& run);

// A size sweep of one family at one dtype: its sizes in the order the sweep grows (by work per
// call) and where the fastest variant changes. Only families measured at two sizes or more.
struct SizeSweep {
  std::string family;
  DType dtype = DType::f64;
  int threads = 1, blas_threads = 1;  // one sweep per thread count of a run that swept both
  std::vector<Size> sizes;
  struct Crossover {
    std::string from, to;  // `to` is fastest from `at` on; `from` was fastest at `previous`
    Size at, previous;
  };
  std::vector<Crossover> crossovers;
};

std::vector<SizeSweep> size_sweeps(const Run& run);

// How one variant at one size and dtype scales with its threads: the speed-up and efficiency per
// thread count (the ideal line is speed-up = threads), the best count and where adding threads
// stops paying. For a variant on the job x BLAS grid, the curve of its job threads at the fewest
// BLAS threads measured. Only variants measured at two thread counts or more.
struct ThreadSweep {
  std::string family, variant;
  DType dtype = DType::f64;
  Size size;
  sweep::Scaling scaling;
};
std::vector<ThreadSweep> thread_sweeps(const Run& run);

// The job threads x BLAS threads grid of a variant that runs its own threads and calls BLAS (some
// job thread count measured at two BLAS pool sizes or more), with the cells that oversubscribe the
// run's logical CPUs (Environment::logical_cpus) and are slower for it.
struct ThreadGrid {
  std::string family, variant;
  DType dtype = DType::f64;
  Size size;
  int logical_cpus = 0;
  std::vector<sweep::GridPoint> cells;  // job threads, then BLAS threads, increasing
  std::vector<sweep::Oversubscription> oversubscribed;
};
std::vector<ThreadGrid> thread_grids(const Run& run);
// "distances/threads-blas f64 n=...: 2 job threads x 2 BLAS threads = 4 on 2 logical CPUs took
// 1.52x the time of 2 x 1: oversubscribed. Fix: ..." — the warning, with the fix named.
std::string oversubscription_warning(const ThreadGrid& grid, const sweep::Oversubscription& o);

// A chunk sweep: results of one family, dtype and thread count that do the same work per call
// (equal FLOPs and bytes) at different working sets (Result::working_set, the family's hook) — a
// sweep over a tuning parameter such as distances' chunk. Sizes in increasing working set; each
// variant's knee names its best size and the first size whose working set leaves each cache
// level of the run's machine (Environment::caches).
struct ChunkSweep {
  std::string family;
  DType dtype = DType::f64;
  int threads = 1, blas_threads = 1;
  std::vector<Size> sizes;
  std::vector<double> working_sets;  // bytes, per size
  std::string swept;                 // the first parameter that changes across `sizes` ("chunk")
  std::vector<CacheLevel> caches;    // the data caches compared with, smallest first
  struct Knee {
    std::string variant;
    Size best;
    double best_seconds = 0;
    struct Exit {
      std::string level;
      Size at;             // the first size whose working set no longer fits
      double working_set;  // its bytes
    };
    std::vector<Exit> leaves;
  };
  std::vector<Knee> knees;
};
std::vector<ChunkSweep> chunk_sweeps(const Run& run);
// "chunk=256" for "chunk=256,d=64,k=256,n=10000" when only chunk changes across `sizes`.
std::string swept_part(const Size& size, const std::vector<Size>& sizes);

}  // namespace kprof
