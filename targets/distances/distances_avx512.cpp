// The direct formulation with AVX-512 (zmm registers: 8 doubles or 16 floats per vector).
#include <immintrin.h>

#include "distances_kernels.h"
#include "distances_simd.h"

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
  static Vec sub(Vec a, Vec b) { return _mm512_sub_pd(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
};

struct F32 {
  using Vec = __m512;
  using Scalar = float;
  static constexpr std::int64_t lanes = 16;
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec set1(Scalar a) { return _mm512_set1_ps(a); }
  static Vec load(const Scalar* p) { return _mm512_loadu_ps(p); }
  static void store(Scalar* p, Vec v) { _mm512_storeu_ps(p, v); }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
};

}  // namespace

template <>
void pack_centroids_avx512(const DistancesTask<float>& t) {
  simd::pack_centroids<F32>(t);
}
template <>
void pack_centroids_avx512(const DistancesTask<double>& t) {
  simd::pack_centroids<F64>(t);
}
template <>
void assign_rows_avx512(const DistancesTask<float>& t) {
  simd::assign_rows<F32>(t);
}
template <>
void assign_rows_avx512(const DistancesTask<double>& t) {
  simd::assign_rows<F64>(t);
}

}  // namespace kprof::targets
