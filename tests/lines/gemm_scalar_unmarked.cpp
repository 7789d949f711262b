// The test copy of targets/gemm/gemm_scalar.cpp with its KPROF_FUNCTION / KPROF_LINE lines removed:
// test_auto_lines compiles it through kprof_line_profile and compares the table with the manual one.
// The reference and the scalar variant: plain loops at the x86-64 baseline.
#include <algorithm>
#include <vector>

#include "gemm_kernels.h"

namespace kprof::targets {

// C[i][j] = sum over p of A[i][p]·B[p][j], in ascending p, in double. The loops run i-p-j so that
// the reference reads B row by row (it also checks 1024³ in well under a second); each C[i][j]
// still sees the same sum in the same order as the textbook i-j-p form.
template <class T>
void gemm_reference(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                    std::int64_t ldb, T* c, std::int64_t ldc) {
  std::vector<double> row(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < m; ++i) {
    std::fill(row.begin(), row.end(), 0.0);
    for (std::int64_t p = 0; p < k; ++p) {
      const double aip = a[i * lda + p];
      for (std::int64_t j = 0; j < n; ++j) row[j] += aip * static_cast<double>(b[p * ldb + j]);
    }
    for (std::int64_t j = 0; j < n; ++j) c[i * ldc + j] = static_cast<T>(row[j]);
  }
}

// i-k-j: the inner loop walks a row of B and a row of C with unit stride, the order a careful
// programmer picks first (the compiler vectorises it with SSE2). No blocking, no packing.
template <class T>
void gemm_scalar(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                 std::int64_t ldb, T* c, std::int64_t ldc) {
  for (std::int64_t i = 0; i < m; ++i) {
    T* c_row = c + i * ldc;
    for (std::int64_t j = 0; j < n; ++j) c_row[j] = 0;
    for (std::int64_t p = 0; p < k; ++p) {
      const T aip = a[i * lda + p];
      const T* b_row = b + p * ldb;
      for (std::int64_t j = 0; j < n; ++j) c_row[j] += aip * b_row[j];
    }
  }
}

template void gemm_reference(std::int64_t, std::int64_t, std::int64_t, const float*, std::int64_t, const float*,
                             std::int64_t, float*, std::int64_t);
template void gemm_reference(std::int64_t, std::int64_t, std::int64_t, const double*, std::int64_t, const double*,
                             std::int64_t, double*, std::int64_t);
template void gemm_scalar(std::int64_t, std::int64_t, std::int64_t, const float*, std::int64_t, const float*,
                          std::int64_t, float*, std::int64_t);
template void gemm_scalar(std::int64_t, std::int64_t, std::int64_t, const double*, std::int64_t, const double*,
                          std::int64_t, double*, std::int64_t);

}  // namespace kprof::targets
