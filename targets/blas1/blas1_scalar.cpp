// Plain loops at the x86-64 baseline. dot keeps one accumulator, as a first C++ port would.
#include "blas1_kernels.h"

namespace kprof::targets {

template <class T>
T dot_scalar(const T* x, const T* y, std::int64_t n) {
  T sum = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

template <class T>
void axpy_scalar(T a, const T* x, T* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] += a * x[i];
}

template float dot_scalar(const float*, const float*, std::int64_t);
template double dot_scalar(const double*, const double*, std::int64_t);
template void axpy_scalar(float, const float*, float*, std::int64_t);
template void axpy_scalar(double, const double*, double*, std::int64_t);

}  // namespace kprof::targets
