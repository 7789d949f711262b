#pragma once
// The sweep part of a run's report: where the best variant changes as the size grows, and what
// float32 buys over float64 (time ratio next to both errors). Empty when the run measured one
// size per family and dtype.
#include <vector>

#include "kprof/reports/tables.h"
#include "kprof/run.h"

namespace kprof {

struct SweepReport {
  std::vector<std::string> crossovers;  // "gemm f64: blas overtakes simd-avx512 from m=512,... (best up to ...)"
  Table dtype_ratio;                    // family/variant, size, f64 time / f32 time, both errors
  bool empty() const { return crossovers.empty() && dtype_ratio.rows.empty(); }
  std::string text() const;
  std::string markdown() const;
};

SweepReport sweep_report(const Run& run);

// A size sweep of one family at one dtype: its sizes in the order the sweep grows (by work per
// call) and where the fastest variant changes. Only families measured at two sizes or more.
struct SizeSweep {
  std::string family;
  DType dtype = DType::f64;
  std::vector<Size> sizes;
  struct Crossover {
    std::string from, to;  // `to` is fastest from `at` on; `from` was fastest at `previous`
    Size at, previous;
  };
  std::vector<Crossover> crossovers;
};

std::vector<SizeSweep> size_sweeps(const Run& run);

}  // namespace kprof
