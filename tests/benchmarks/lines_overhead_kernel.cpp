// The kernel loop of the line-timer overhead benchmark, compiled twice (with and without
// KPROF_INSTRUMENT) into the namespaces `marked` and `plain`: row-by-row y = A x, one KPROF_LINE
// per row, so each hit closes an interval of real work (a 64-element dot product).
#include <cstdint>

#include "kprof/lines.h"

namespace kprof::bench::LINES_KERNEL_NAMESPACE {

[[gnu::noinline]] void rows_times_vector(const double* A, const double* x, double* y, std::int64_t rows,
                                         std::int64_t cols) {
  KPROF_FUNCTION;
  for (std::int64_t r = 0; r < rows; ++r) {
    KPROF_LINE;
    double sum = 0;
    for (std::int64_t c = 0; c < cols; ++c) sum += A[r * cols + c] * x[c];
    y[r] = sum;
  }
}

}  // namespace kprof::bench::LINES_KERNEL_NAMESPACE
