#pragma once
// The AVX-512 vector operations the SIMD kernels are written against (zmm registers), with the
// same members as kprof/simd/avx2.h, so one kernel template serves both ISAs, plus masked loads and
// stores of a vector's first n elements (AVX-512 masks make loop tails free of scalar code).
//
// Include only from a translation unit compiled for AVX-512 (kprof_isa_sources); the unnamed
// namespace gives every including translation unit its own copy (see kprof/simd/avx2.h for why).
#if !defined(__AVX512F__)
#error "kprof/simd/avx512.h needs a translation unit compiled with -mavx512f (kprof_isa_sources ... AVX512)"
#endif
#include <immintrin.h>

#include <cstdint>

namespace kprof::simd::avx512 {
namespace {

struct F64 {
  using Vec = __m512d;
  using Scalar = double;
  static constexpr std::int64_t lanes = 8;
  static Vec zero() { return _mm512_setzero_pd(); }
  static Vec set1(Scalar a) { return _mm512_set1_pd(a); }
  static Vec load(const Scalar* p) { return _mm512_loadu_pd(p); }
  static void store(Scalar* p, Vec v) { _mm512_storeu_pd(p, v); }
  static Vec add(Vec a, Vec b) { return _mm512_add_pd(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_pd(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
  static Scalar reduce(Vec v) { return _mm512_reduce_add_pd(v); }
  // The first min(n, lanes) elements; the others read as 0 and are never written (masked tails).
  static __mmask8 first(std::int64_t n) { return static_cast<__mmask8>(n >= lanes ? 0xFF : (1u << n) - 1); }
  static Vec load_first(const Scalar* p, std::int64_t n) { return _mm512_maskz_loadu_pd(first(n), p); }
  static void store_first(Scalar* p, Vec v, std::int64_t n) { _mm512_mask_storeu_pd(p, first(n), v); }
};

struct F32 {
  using Vec = __m512;
  using Scalar = float;
  static constexpr std::int64_t lanes = 16;
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec set1(Scalar a) { return _mm512_set1_ps(a); }
  static Vec load(const Scalar* p) { return _mm512_loadu_ps(p); }
  static void store(Scalar* p, Vec v) { _mm512_storeu_ps(p, v); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static Scalar reduce(Vec v) { return _mm512_reduce_add_ps(v); }
  static __mmask16 first(std::int64_t n) { return static_cast<__mmask16>(n >= lanes ? 0xFFFF : (1u << n) - 1); }
  static Vec load_first(const Scalar* p, std::int64_t n) { return _mm512_maskz_loadu_ps(first(n), p); }
  static void store_first(Scalar* p, Vec v, std::int64_t n) { _mm512_mask_storeu_ps(p, first(n), v); }
};

}  // namespace
}  // namespace kprof::simd::avx512
