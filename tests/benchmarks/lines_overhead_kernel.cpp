// The kernel loops of the line-timer overhead benchmark, compiled twice (with and without
// KPROF_INSTRUMENT) into the namespaces `marked` and `plain`: row-by-row y = A x.
#include <cstdint>

#include "kprof/lines.h"

namespace kprof::bench::LINES_KERNEL_NAMESPACE {

// One KPROF_LINE per row: every mark after the first re-marks the open line (the same-line fast
// path, no clock read), while each row does real work (a cols-element dot product).
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

// Two KPROF_LINEs per row (the dot product, then the store): every mark changes line, so every
// hit closes an interval and reads the clock.
[[gnu::noinline]] void rows_times_vector_two_lines(const double* A, const double* x, double* y, std::int64_t rows,
                                                   std::int64_t cols) {
  KPROF_FUNCTION;
  for (std::int64_t r = 0; r < rows; ++r) {
    KPROF_LINE;
    double sum = 0;
    for (std::int64_t c = 0; c < cols; ++c) sum += A[r * cols + c] * x[c];
    KPROF_LINE;
    y[r] = sum;
  }
}

}  // namespace kprof::bench::LINES_KERNEL_NAMESPACE
