// The gradient step with AVX-512 intrinsics: one row of X (d features, a masked load for the
// tail) against w for z, and g += r_i·x_i accumulated in registers for the gradient.
#include <immintrin.h>

#include <vector>

#include "kprof/simd/avx512.h"
#include "sgd_kernels.h"

namespace kprof::targets {
namespace {

using kprof::simd::avx512::F32;
using kprof::simd::avx512::F64;

template <class Ops, class T>
void step(const T* x, const T* y, std::int64_t rows, std::int64_t d, T lr, T* w, T* b, T* r) {
  constexpr std::int64_t L = Ops::lanes;
  const std::int64_t blocks = (d + L - 1) / L;
  // w stays in registers for the usual small d (up to 4 vectors), else it is reloaded.
  for (std::int64_t i = 0; i < rows; ++i) {
    const T* row = x + i * d;
    typename Ops::Vec acc = Ops::zero();
    for (std::int64_t k = 0; k < blocks; ++k)
      acc = Ops::fma(Ops::load_first(row + k * L, d - k * L), Ops::load_first(w + k * L, d - k * L), acc);
    r[i] = sigmoid(Ops::reduce(acc) + *b) - y[i];
  }
  const T step_size = lr / static_cast<T>(rows);
  T gb = 0;
  for (std::int64_t i = 0; i < rows; ++i) gb += r[i];
  for (std::int64_t k = 0; k < blocks; ++k) {
    const std::int64_t n = d - k * L;
    typename Ops::Vec g = Ops::zero();
    for (std::int64_t i = 0; i < rows; ++i) g = Ops::fma(Ops::set1(r[i]), Ops::load_first(x + i * d + k * L, n), g);
    typename Ops::Vec wk = Ops::load_first(w + k * L, n);
    Ops::store_first(w + k * L, Ops::fma(Ops::set1(-step_size), g, wk), n);
  }
  *b -= step_size * gb;
}

}  // namespace

template <>
void sgd_step_avx512<float>(const float* x, const float* y, std::int64_t rows, std::int64_t d, float lr, float* w,
                            float* b, float* r) {
  step<F32>(x, y, rows, d, lr, w, b, r);
}
template <>
void sgd_step_avx512<double>(const double* x, const double* y, std::int64_t rows, std::int64_t d, double lr, double* w,
                             double* b, double* r) {
  step<F64>(x, y, rows, d, lr, w, b, r);
}

}  // namespace kprof::targets
