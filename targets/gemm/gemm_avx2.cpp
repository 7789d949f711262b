// GEMM with AVX2 + FMA (ymm registers): the blocked kernel of gemm_blocked.h.
#include <immintrin.h>

#include "gemm_blocked.h"
#include "gemm_kernels.h"
#include "kprof/simd/avx2.h"

namespace kprof::targets {
namespace {

using kprof::simd::avx2::F32;
using kprof::simd::avx2::F64;

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
