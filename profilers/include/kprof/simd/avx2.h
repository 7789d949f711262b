#pragma once
// The AVX2 + FMA vector operations kprof's SIMD code is written against (ymm registers), one struct
// per element type: Vec, Scalar, lanes, zero, set1, load, store, add, sub, fma, reduce. Kernels are
// templates over such a struct (the families' blas1_simd.h, gemm_blocked.h, distances_simd.h, and
// the machine-peak FMA probe in profilers/core/peak_fma.h), so the same source serves AVX2 and
// AVX-512.
//
// Include only from a translation unit compiled for AVX2 (kprof_isa_sources). The structs live in
// an unnamed namespace on purpose: every including translation unit gets its own copy, so the
// linker can never pick one compiled with other ISA flags for code that runs on a narrower CPU.
#if !defined(__AVX2__) || !defined(__FMA__)
#error "kprof/simd/avx2.h needs a translation unit compiled with -mavx2 -mfma (kprof_isa_sources ... AVX2)"
#endif
#include <immintrin.h>

#include <cstdint>

namespace kprof::simd::avx2 {
namespace {

struct F64 {
  using Vec = __m256d;
  using Scalar = double;
  static constexpr std::int64_t lanes = 4;
  static Vec zero() { return _mm256_setzero_pd(); }
  static Vec set1(Scalar a) { return _mm256_set1_pd(a); }
  static Vec load(const Scalar* p) { return _mm256_loadu_pd(p); }
  static void store(Scalar* p, Vec v) { _mm256_storeu_pd(p, v); }
  static Vec add(Vec a, Vec b) { return _mm256_add_pd(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_pd(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }
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
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static Scalar reduce(Vec v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
  }
};

}  // namespace
}  // namespace kprof::simd::avx2
