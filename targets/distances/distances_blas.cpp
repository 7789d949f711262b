// The GEMM formulation with CBLAS (OpenBLAS): per chunk of rows, -2·X·Cᵀ lands in the chunk x k
// block through one cblas_?gemm call, then the norms are added back during the row minimum. This is
// how scikit-learn computes euclidean_distances: almost all the work moves into a tuned GEMM.
#include <cblas.h>

#include <algorithm>
#include <type_traits>

#include "distances_kernels.h"

namespace kprof::targets {
namespace {

// block (rows x k, leading dimension ldb) = -2 · X (rows x d) · Cᵀ (d x k)
template <class T>
void gemm_minus_two_x_ct(const T* x, std::int64_t rows, const T* c, std::int64_t k, std::int64_t d, T* block,
                         std::int64_t ldb) {
  const auto m = static_cast<blasint>(rows), n = static_cast<blasint>(k), kk = static_cast<blasint>(d);
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, kk, -2.0f, x, kk, c, kk, 0.0f, block,
                static_cast<blasint>(ldb));
  else
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, kk, -2.0, x, kk, c, kk, 0.0, block,
                static_cast<blasint>(ldb));
}

}  // namespace

template <class T>
void distances_blas(const DistancesTask<T>& t) {
  row_norms(t.c, t.k, t.d, t.c_norms);
  distances_blas_rows(t);
}

template <class T>
void distances_blas_rows(const DistancesTask<T>& t) {
  for (std::int64_t start = 0; start < t.n; start += t.chunk) {
    const std::int64_t rows = std::min(t.chunk, t.n - start);
    const T* x = t.x + start * t.d;
    row_norms(x, rows, t.d, t.x_norms);
    gemm_minus_two_x_ct(x, rows, t.c, t.k, t.d, t.block, t.ldb);
    gemm_block_row_min(t.block, rows, t.k, t.ldb, t.x_norms, t.c_norms, t.min_dist + start, t.labels + start);
  }
}

template void distances_blas(const DistancesTask<float>&);
template void distances_blas(const DistancesTask<double>&);
template void distances_blas_rows(const DistancesTask<float>&);
template void distances_blas_rows(const DistancesTask<double>&);

}  // namespace kprof::targets
