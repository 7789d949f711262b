// The gradient step with AVX-512 intrinsics: one row of X (d features, a masked load for the
// tail) against w for z, and g += r_i·x_i accumulated in registers for the gradient.
#include <immintrin.h>

#include <vector>

#include "sgd_kernels.h"

namespace kprof::targets {
namespace {

struct F32 {
  using Vec = __m512;
  static constexpr std::int64_t lanes = 16;
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec set1(float a) { return _mm512_set1_ps(a); }
  static __mmask16 mask(std::int64_t n) { return static_cast<__mmask16>(n >= 16 ? 0xFFFF : (1u << n) - 1); }
  static Vec load(const float* p, std::int64_t n) { return _mm512_maskz_loadu_ps(mask(n), p); }
  static void store(float* p, Vec v, std::int64_t n) { _mm512_mask_storeu_ps(p, mask(n), v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static float reduce(Vec v) { return _mm512_reduce_add_ps(v); }
};

struct F64 {
  using Vec = __m512d;
  static constexpr std::int64_t lanes = 8;
  static Vec zero() { return _mm512_setzero_pd(); }
  static Vec set1(double a) { return _mm512_set1_pd(a); }
  static __mmask8 mask(std::int64_t n) { return static_cast<__mmask8>(n >= 8 ? 0xFF : (1u << n) - 1); }
  static Vec load(const double* p, std::int64_t n) { return _mm512_maskz_loadu_pd(mask(n), p); }
  static void store(double* p, Vec v, std::int64_t n) { _mm512_mask_storeu_pd(p, mask(n), v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
  static double reduce(Vec v) { return _mm512_reduce_add_pd(v); }
};

template <class Ops, class T>
void step(const T* x, const T* y, std::int64_t rows, std::int64_t d, T lr, T* w, T* b, T* r) {
  constexpr std::int64_t L = Ops::lanes;
  const std::int64_t blocks = (d + L - 1) / L;
  // w stays in registers for the usual small d (up to 4 vectors), else it is reloaded.
  for (std::int64_t i = 0; i < rows; ++i) {
    const T* row = x + i * d;
    typename Ops::Vec acc = Ops::zero();
    for (std::int64_t k = 0; k < blocks; ++k)
      acc = Ops::fma(Ops::load(row + k * L, d - k * L), Ops::load(w + k * L, d - k * L), acc);
    r[i] = sigmoid(Ops::reduce(acc) + *b) - y[i];
  }
  const T step_size = lr / static_cast<T>(rows);
  T gb = 0;
  for (std::int64_t i = 0; i < rows; ++i) gb += r[i];
  for (std::int64_t k = 0; k < blocks; ++k) {
    const std::int64_t n = d - k * L;
    typename Ops::Vec g = Ops::zero();
    for (std::int64_t i = 0; i < rows; ++i) g = Ops::fma(Ops::set1(r[i]), Ops::load(x + i * d + k * L, n), g);
    typename Ops::Vec wk = Ops::load(w + k * L, n);
    Ops::store(w + k * L, Ops::fma(Ops::set1(-step_size), g, wk), n);
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
