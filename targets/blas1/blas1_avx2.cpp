// dot and axpy with AVX2 + FMA (ymm registers).
#include <immintrin.h>

#include "blas1_kernels.h"
#include "blas1_simd.h"

namespace kprof::targets {
namespace {

struct F64 {
  using Vec = __m256d;
  using Scalar = double;
  static constexpr std::int64_t lanes = 4;
  static Vec zero() { return _mm256_setzero_pd(); }
  static Vec set1(Scalar a) { return _mm256_set1_pd(a); }
  static Vec load(const Scalar* p) { return _mm256_loadu_pd(p); }
  static void store(Scalar* p, Vec v) { _mm256_storeu_pd(p, v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm256_add_pd(a, b); }
  static Scalar reduce(Vec v) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
  }
};

struct F32 {
  using Vec = __m256;
  using Scalar = float;
  static constexpr std::int64_t lanes = 8;
  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec set1(Scalar a) { return _mm256_set1_ps(a); }
  static Vec load(const Scalar* p) { return _mm256_loadu_ps(p); }
  static void store(Scalar* p, Vec v) { _mm256_storeu_ps(p, v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Scalar reduce(Vec v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
  }
};

}  // namespace

template <>
float dot_avx2(const float* x, const float* y, std::int64_t n) {
  return simd::dot<F32>(x, y, n);
}
template <>
double dot_avx2(const double* x, const double* y, std::int64_t n) {
  return simd::dot<F64>(x, y, n);
}
template <>
void axpy_avx2(float a, const float* x, float* y, std::int64_t n) {
  simd::axpy<F32>(a, x, y, n);
}
template <>
void axpy_avx2(double a, const double* x, double* y, std::int64_t n) {
  simd::axpy<F64>(a, x, y, n);
}

}  // namespace kprof::targets
