#pragma once
// forest_predict's kernels: a forest of perfect binary trees of one depth, stored flat in heap order
// (the children of node i are 2i+1 and 2i+2), predicting the mean of the trees' leaf values for each
// row. A row goes left at a node when x[feature] <= threshold (scikit-learn's rule).
//
// Kernels take raw pointers (PredictTask, GemmTask), never the problem object: the SIMD and Eigen
// files are compiled with AVX2/AVX-512 flags, and inline code shared with them (std::vector members)
// would let the linker pick an AVX-512 copy for baseline code.
//
// Every variant adds the trees' values of a row in tree order and divides by the number of trees,
// so all of them give the reference's result bit for bit (the check's tolerance is 0).
#include <cstdint>
#include <string>

#include "kprof/isa.h"

namespace kprof::targets::forest {

template <class T>
struct ForestView {
  std::int64_t trees = 0, depth = 0, features = 0;
  std::int64_t internal = 0;              // 2^depth - 1 internal nodes per tree
  std::int64_t leaves = 0;                // 2^depth leaves per tree
  const std::int32_t* feature = nullptr;  // trees x internal
  const T* threshold = nullptr;           // trees x internal
  const T* leaf_value = nullptr;          // trees x leaves
};

template <class T>
struct PredictTask {
  ForestView<T> forest;
  const T* x = nullptr;  // rows x features, row-major
  std::int64_t rows = 0;
  T* prediction = nullptr;  // rows: the mean of the trees' leaf values
};

// The rows [first, first + count) of a task (the split over threads, the SIMD kernels' tail). Static:
// each translation unit, whatever its ISA flags, keeps its own copy.
template <class T>
static PredictTask<T> rows_of(const PredictTask<T>& t, std::int64_t first, std::int64_t count) {
  PredictTask<T> part = t;
  part.x += first * t.forest.features;
  part.rows = count;
  part.prediction += first;
  return part;
}

// The plain traversal over the flat arrays, one row and one tree at a time: the reference, and the
// tail of the SIMD kernels.
template <class T>
void predict_flat(const PredictTask<T>& t);

// Several rows walked down one tree at once, one row per vector lane, with gathers (forest_simd.h).
template <class T>
void predict_avx2(const PredictTask<T>& t);
template <class T>
void predict_avx512(const PredictTask<T>& t);

// Hummingbird's GEMM strategy (../shared/seeds/003_*), per tree and per chunk of rows:
//   XA = X·A_t        A_t (features x internal): one 1 per column, the node's feature
//   S  = XA <= B_t    B_t (internal): the thresholds; 1 where the row goes left
//   P  = S·C          C (internal x leaves): +1 if the leaf is under the node's left child, -1 under its
//                     right child, 0 otherwise (the same for every perfect tree of one depth)
//   H  = P == D       D (leaves): the left turns on the leaf's path; exactly one 1 per row: its leaf
//   v  = H·E_t        E_t (leaves): the leaf values
// Every product sums exact zeros, ±1 and one value, so the result is exact in any summation order.
template <class T>
struct GemmTask {
  PredictTask<T> predict;
  const T* a = nullptr;      // trees x features x internal, row-major per tree
  const T* c = nullptr;      // internal x leaves
  const T* d = nullptr;      // leaves
  std::int64_t chunk = 1;    // rows per block of intermediates
  T* xa = nullptr;           // chunk x internal
  T* paths = nullptr;        // chunk x leaves
  T* tree_values = nullptr;  // chunk x trees
};

template <class T>
void predict_gemm_blas(const GemmTask<T>& g);
template <class T>
void predict_gemm_eigen(const GemmTask<T>& g);
std::string forest_eigen_code_path();  // "Eigen 3.4.0 (AVX512, FMA, ...)"
Isa forest_eigen_isa();                // what forest_gemm_eigen.cpp was compiled for (KPROF_COMPILED_ISA)

// Shared by both GEMM variants: S = XA <= B, H = P == D as 0/1, and the mean over trees in tree order.
template <class T>
void left_turns(T* xa, std::int64_t rows, std::int64_t internal, const T* thresholds);
template <class T>
void reached_leaf(T* paths, std::int64_t rows, std::int64_t leaves, const T* d);
template <class T>
void mean_over_trees(const T* tree_values, std::int64_t rows, std::int64_t trees, T* prediction);

}  // namespace kprof::targets::forest
