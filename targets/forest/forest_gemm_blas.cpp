// gemm-blas: Hummingbird's GEMM strategy (forest_kernels.h) with CBLAS (OpenBLAS), per chunk of rows
// and per tree: X·A_t and S·C as cblas_?gemm, H·E_t as cblas_?gemv into the tree's column of values.
#include <cblas.h>

#include <algorithm>
#include <type_traits>

#include "forest_kernels.h"

namespace kprof::targets::forest {
namespace {

// C (m x n) = A (m x k) · B (k x n), row-major, packed leading dimensions.
template <class T>
void gemm(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, const T* b, T* c) {
  const auto M = static_cast<blasint>(m), N = static_cast<blasint>(n), K = static_cast<blasint>(k);
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0f, a, K, b, N, 0.0f, c, N);
  else
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1.0, a, K, b, N, 0.0, c, N);
}

// y (m, stride incy) = A (m x n) · x (n)
template <class T>
void gemv(std::int64_t m, std::int64_t n, const T* a, const T* x, T* y, std::int64_t incy) {
  const auto M = static_cast<blasint>(m), N = static_cast<blasint>(n), inc = static_cast<blasint>(incy);
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemv(CblasRowMajor, CblasNoTrans, M, N, 1.0f, a, N, x, 1, 0.0f, y, inc);
  else
    cblas_dgemv(CblasRowMajor, CblasNoTrans, M, N, 1.0, a, N, x, 1, 0.0, y, inc);
}

}  // namespace

template <class T>
void predict_gemm_blas(const GemmTask<T>& g) {
  const PredictTask<T>& t = g.predict;
  const ForestView<T>& f = t.forest;
  for (std::int64_t start = 0; start < t.rows; start += g.chunk) {
    const std::int64_t rows = std::min(g.chunk, t.rows - start);
    const T* x = t.x + start * f.features;
    for (std::int64_t tree = 0; tree < f.trees; ++tree) {
      gemm(rows, f.internal, f.features, x, g.a + tree * f.features * f.internal, g.xa);
      left_turns(g.xa, rows, f.internal, f.threshold + tree * f.internal);
      gemm(rows, f.leaves, f.internal, g.xa, g.c, g.paths);
      reached_leaf(g.paths, rows, f.leaves, g.d);
      gemv(rows, f.leaves, g.paths, f.leaf_value + tree * f.leaves, g.tree_values + tree, f.trees);
    }
    mean_over_trees(g.tree_values, rows, f.trees, t.prediction + start);
  }
}

template void predict_gemm_blas(const GemmTask<float>&);
template void predict_gemm_blas(const GemmTask<double>&);

}  // namespace kprof::targets::forest
