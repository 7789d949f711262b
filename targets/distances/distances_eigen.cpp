// The GEMM formulation with Eigen over mapped buffers (no copies), built for AVX-512 so Eigen's
// GEMM kernels vectorise as wide as the CPU allows. Same steps as distances_blas.cpp.
#include <algorithm>

// GCC 12 reports a false -Wmaybe-uninitialized inside Eigen's AVX-512 packet code (the
// `__m256d __Y = __Y;` idiom of _mm256_undefined_pd); it is not in kprof's code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>

#include "distances_kernels.h"
#include "kprof/isa.h"

namespace kprof::targets {
namespace {

template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ConstMatrix = Eigen::Map<const RowMajor<T>>;
template <class T>
using Block = Eigen::Map<RowMajor<T>, Eigen::Unaligned, Eigen::OuterStride<>>;
template <class T>
using Vector = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;

}  // namespace

template <class T>
void distances_eigen(const DistancesTask<T>& t) {
  const ConstMatrix<T> centroids(t.c, t.k, t.d);
  Vector<T>(t.c_norms, t.k) = centroids.rowwise().squaredNorm();
  for (std::int64_t start = 0; start < t.n; start += t.chunk) {
    const std::int64_t rows = std::min(t.chunk, t.n - start);
    const ConstMatrix<T> x(t.x + start * t.d, rows, t.d);
    Vector<T>(t.x_norms, rows) = x.rowwise().squaredNorm();
    Block<T>(t.block, rows, t.k, Eigen::OuterStride<>(t.ldb)).noalias() = T(-2) * x * centroids.transpose();
    gemm_block_row_min(t.block, rows, t.k, t.ldb, t.x_norms, t.c_norms, t.min_dist + start, t.labels + start);
  }
}

std::string distances_eigen_code_path() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION) + " GEMM (" + Eigen::SimdInstructionSetsInUse() + ")";
}

// What this file was compiled for: AVX-512 in the native build, AVX2 in the valgrind-safe flavour.
Isa distances_eigen_isa() { return KPROF_COMPILED_ISA; }

template void distances_eigen(const DistancesTask<float>&);
template void distances_eigen(const DistancesTask<double>&);

#pragma GCC diagnostic pop

}  // namespace kprof::targets
