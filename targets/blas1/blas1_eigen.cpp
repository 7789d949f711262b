// Eigen's dot and axpy over mapped buffers (no copies), built for AVX-512.
#include <Eigen/Core>

#include "blas1_kernels.h"
#include "kprof/isa.h"

namespace kprof::targets {

template <class T>
using ConstVec = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;
template <class T>
using Vec = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;

template <class T>
T dot_eigen(const T* x, const T* y, std::int64_t n) {
  return ConstVec<T>(x, n).dot(ConstVec<T>(y, n));
}

template <class T>
void axpy_eigen(T a, const T* x, T* y, std::int64_t n) {
  Vec<T>(y, n).noalias() += a * ConstVec<T>(x, n);
}

std::string eigen_code_path() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION) + " (" + Eigen::SimdInstructionSetsInUse() + ")";
}

// What this file was compiled for: AVX-512 in the native build, AVX2 in the valgrind-safe flavour.
Isa eigen_isa() { return KPROF_COMPILED_ISA; }

template float dot_eigen(const float*, const float*, std::int64_t);
template double dot_eigen(const double*, const double*, std::int64_t);
template void axpy_eigen(float, const float*, float*, std::int64_t);
template void axpy_eigen(double, const double*, double*, std::int64_t);

}  // namespace kprof::targets
