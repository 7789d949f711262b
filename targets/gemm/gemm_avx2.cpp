// GEMM with AVX2 + FMA (ymm registers): the blocked kernel of gemm_blocked.h.
#include <immintrin.h>

#include "gemm_blocked.h"
#include "gemm_kernels.h"

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
};

// 16 ymm registers: the classic Haswell 6×2-vector tile takes 12 accumulators, 2 B vectors and
// 1 broadcast of A.
struct TileF64 {
  static constexpr std::int64_t mr = 6, nv = 2, mc = 192, kc = 256, nc = 3072;
};
struct TileF32 {
  static constexpr std::int64_t mr = 6, nv = 2, mc = 192, kc = 256, nc = 3072;
};

}  // namespace

template <>
void gemm_avx2(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, std::int64_t lda, const float* b,
               std::int64_t ldb, float* c, std::int64_t ldc) {
  gemm_simd::gemm<F32, TileF32>(m, n, k, a, lda, b, ldb, c, ldc);
}
template <>
void gemm_avx2(std::int64_t m, std::int64_t n, std::int64_t k, const double* a, std::int64_t lda, const double* b,
               std::int64_t ldb, double* c, std::int64_t ldc) {
  gemm_simd::gemm<F64, TileF64>(m, n, k, a, lda, b, ldb, c, ldc);
}

template <>
MicroTile gemm_avx2_tile<float>() {
  return {TileF32::mr, TileF32::nv * F32::lanes, TileF32::mc, TileF32::kc, TileF32::nc};
}
template <>
MicroTile gemm_avx2_tile<double>() {
  return {TileF64::mr, TileF64::nv * F64::lanes, TileF64::mc, TileF64::kc, TileF64::nc};
}

}  // namespace kprof::targets
