// Row norms with Eigen: a row-major map of the matrix, rowwise().norm().
#include <kprof/isa.h>
#include <Eigen/Core>

#include "row_norms.h"

// What this file was compiled for (AVX512_PORTABLE: AVX-512 in row_norms, AVX2 in row_norms-valgrind).
kprof::Isa row_norms_eigen_isa() { return KPROF_COMPILED_ISA; }

template <class T>
void row_norms_eigen(const T* x, T* out, std::size_t rows, std::size_t cols) {
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const Matrix> m(x, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> norms(out, static_cast<Eigen::Index>(rows));
  norms = m.rowwise().norm();
}

template void row_norms_eigen<float>(const float*, float*, std::size_t, std::size_t);
template void row_norms_eigen<double>(const double*, double*, std::size_t, std::size_t);
