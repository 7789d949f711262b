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

}  // namespace kprof
