// cblas_sgemm / cblas_dgemm: whatever BLAS the build links (OpenBLAS on our machines).
#include <cblas.h>

#include <type_traits>

#include "gemm_kernels.h"

namespace kprof::targets {

template <class T>
void gemm_blas(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
               std::int64_t ldb, T* c, std::int64_t ldc) {
  const auto M = static_cast<blasint>(m), N = static_cast<blasint>(n), K = static_cast<blasint>(k);
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, a, static_cast<blasint>(lda), b,
                static_cast<blasint>(ldb), 0.0f, c, static_cast<blasint>(ldc));
  } else {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0, a, static_cast<blasint>(lda), b,
                static_cast<blasint>(ldb), 0.0, c, static_cast<blasint>(ldc));
  }
}

template void gemm_blas(std::int64_t, std::int64_t, std::int64_t, const float*, std::int64_t, const float*,
                        std::int64_t, float*, std::int64_t);
template void gemm_blas(std::int64_t, std::int64_t, std::int64_t, const double*, std::int64_t, const double*,
                        std::int64_t, double*, std::int64_t);

}  // namespace kprof::targets
