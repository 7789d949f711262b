// dot and axpy with AVX-512 (zmm registers).
#include <immintrin.h>

#include "blas1_kernels.h"
#include "blas1_simd.h"

namespace kprof::targets {
namespace {

struct F64 {
  using Vec = __m512d;
  using Scalar = double;
  static constexpr std::int64_t lanes = 8;
  static Vec zero() { return _mm512_setzero_pd(); }
  static Vec set1(Scalar a) { return _mm512_set1_pd(a); }
  static Vec load(const Scalar* p) { return _mm512_loadu_pd(p); }
  static void store(Scalar* p, Vec v) { _mm512_storeu_pd(p, v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm512_add_pd(a, b); }
  static Scalar reduce(Vec v) { return _mm512_reduce_add_pd(v); }
};

struct F32 {
  using Vec = __m512;
  using Scalar = float;
  static constexpr std::int64_t lanes = 16;
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec set1(Scalar a) { return _mm512_set1_ps(a); }
  static Vec load(const Scalar* p) { return _mm512_loadu_ps(p); }
  static void store(Scalar* p, Vec v) { _mm512_storeu_ps(p, v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  static Scalar reduce(Vec v) { return _mm512_reduce_add_ps(v); }
};

}  // namespace

template <>
float dot_avx512(const float* x, const float* y, std::int64_t n) {
  return simd::dot<F32>(x, y, n);
}
template <>
double dot_avx512(const double* x, const double* y, std::int64_t n) {
  return simd::dot<F64>(x, y, n);
}
template <>
void axpy_avx512(float a, const float* x, float* y, std::int64_t n) {
  simd::axpy<F32>(a, x, y, n);
}
template <>
void axpy_avx512(double a, const double* x, double* y, std::int64_t n) {
  simd::axpy<F64>(a, x, y, n);
}

}  // namespace kprof::targets
