// gemm-eigen: the same GEMM strategy as forest_gemm_blas.cpp with Eigen products over mapped buffers
// (no copies), built for AVX-512 so that Eigen's kernels vectorise as wide as the CPU allows.
#include <algorithm>
#include <string>

// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 packet code (the
// `__m256d __Y = __Y;` idiom of _mm256_undefined_pd); it is not in kprof's code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>

#include "forest_kernels.h"
#include "kprof/isa.h"

namespace kprof::targets::forest {
namespace {

template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ConstMatrix = Eigen::Map<const RowMajor<T>>;
template <class T>
using Matrix = Eigen::Map<RowMajor<T>>;
template <class T>
using ConstVector = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;
template <class T>
using StridedVector = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>, Eigen::Unaligned, Eigen::InnerStride<>>;

}  // namespace

template <class T>
void predict_gemm_eigen(const GemmTask<T>& g) {
  const PredictTask<T>& t = g.predict;
  const ForestView<T>& f = t.forest;
  const ConstMatrix<T> c(g.c, f.internal, f.leaves);
  for (std::int64_t start = 0; start < t.rows; start += g.chunk) {
    const std::int64_t rows = std::min(g.chunk, t.rows - start);
    const ConstMatrix<T> x(t.x + start * f.features, rows, f.features);
    Matrix<T> xa(g.xa, rows, f.internal);
    Matrix<T> paths(g.paths, rows, f.leaves);
    for (std::int64_t tree = 0; tree < f.trees; ++tree) {
      xa.noalias() = x * ConstMatrix<T>(g.a + tree * f.features * f.internal, f.features, f.internal);
      left_turns(g.xa, rows, f.internal, f.threshold + tree * f.internal);
      paths.noalias() = xa * c;
      reached_leaf(g.paths, rows, f.leaves, g.d);
      StridedVector<T>(g.tree_values + tree, rows, Eigen::InnerStride<>(f.trees)).noalias() =
          paths * ConstVector<T>(f.leaf_value + tree * f.leaves, f.leaves);
    }
    mean_over_trees(g.tree_values, rows, f.trees, t.prediction + start);
  }
}

std::string forest_eigen_code_path() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION) + " GEMM (" + Eigen::SimdInstructionSetsInUse() + ")";
}

// What this file was compiled for: AVX-512 in the native build, AVX2 in the valgrind-safe flavour.
Isa forest_eigen_isa() { return KPROF_COMPILED_ISA; }

template void predict_gemm_eigen(const GemmTask<float>&);
template void predict_gemm_eigen(const GemmTask<double>&);

#pragma GCC diagnostic pop

}  // namespace kprof::targets::forest
