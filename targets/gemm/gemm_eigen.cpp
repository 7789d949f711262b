// Eigen's matrix product over mapped buffers (no copies), built for AVX-512.
#include <Eigen/Core>

#include "gemm_kernels.h"
#include "kprof/isa.h"

namespace kprof::targets {

template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ConstMap = Eigen::Map<const RowMajor<T>, Eigen::Unaligned, Eigen::OuterStride<>>;
template <class T>
using Map = Eigen::Map<RowMajor<T>, Eigen::Unaligned, Eigen::OuterStride<>>;

template <class T>
void gemm_eigen(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                std::int64_t ldb, T* c, std::int64_t ldc) {
  const ConstMap<T> A(a, m, k, Eigen::OuterStride<>(lda));
  const ConstMap<T> B(b, k, n, Eigen::OuterStride<>(ldb));
  Map<T> C(c, m, n, Eigen::OuterStride<>(ldc));
  C.noalias() = A * B;
}

std::string gemm_eigen_code_path() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION) + " (" + Eigen::SimdInstructionSetsInUse() + ")";
}

// What this file was compiled for: AVX-512 in the native build, AVX2 in the valgrind-safe flavour.
Isa gemm_eigen_isa() { return KPROF_COMPILED_ISA; }

template void gemm_eigen(std::int64_t, std::int64_t, std::int64_t, const float*, std::int64_t, const float*,
                         std::int64_t, float*, std::int64_t);
template void gemm_eigen(std::int64_t, std::int64_t, std::int64_t, const double*, std::int64_t, const double*,
                         std::int64_t, double*, std::int64_t);

}  // namespace kprof::targets
