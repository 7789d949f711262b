// The direct formulation with AVX2 + FMA (ymm registers: 4 doubles or 8 floats per vector).
#include <immintrin.h>

#include "distances_kernels.h"
#include "distances_simd.h"

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
  static Vec sub(Vec a, Vec b) { return _mm256_sub_pd(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }
};

struct F32 {
  using Vec = __m256;
  using Scalar = float;
  static constexpr std::int64_t lanes = 8;
  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec set1(Scalar a) { return _mm256_set1_ps(a); }
  static Vec load(const Scalar* p) { return _mm256_loadu_ps(p); }
  static void store(Scalar* p, Vec v) { _mm256_storeu_ps(p, v); }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
};

}  // namespace

template <>
void pack_centroids_avx2(const DistancesTask<float>& t) {
  simd::pack_centroids<F32>(t);
}
template <>
void pack_centroids_avx2(const DistancesTask<double>& t) {
  simd::pack_centroids<F64>(t);
}
template <>
void assign_rows_avx2(const DistancesTask<float>& t) {
  simd::assign_rows<F32>(t);
}
template <>
void assign_rows_avx2(const DistancesTask<double>& t) {
  simd::assign_rows<F64>(t);
}

}  // namespace kprof::targets
