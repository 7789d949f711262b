// GEMM with AVX-512 (zmm registers): the blocked kernel of gemm_blocked.h, plus a threaded driver.
#include <immintrin.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "gemm_blocked.h"
#include "gemm_kernels.h"
#include "kprof/simd/avx512.h"

namespace kprof::targets {
namespace {

using kprof::simd::avx512::F32;
using kprof::simd::avx512::F64;

// 32 zmm registers: an 8×3-vector tile takes 24 accumulators, 3 B vectors and 1 broadcast of A.
// KC×NR of B (one sliver) fits L1 (48 KiB here), MC×KC of A fits L2 (2 MiB), KC×NC of B fits L3.
struct TileF64 {
  static constexpr std::int64_t mr = 8, nv = 3, mc = 192, kc = 256, nc = 3072;
};
struct TileF32 {
  static constexpr std::int64_t mr = 8, nv = 3, mc = 192, kc = 256, nc = 3072;
};

template <class Ops, class Tile>
void gemm_on_threads(std::int64_t m, std::int64_t n, std::int64_t k, const typename Ops::Scalar* a, std::int64_t lda,
                     const typename Ops::Scalar* b, std::int64_t ldb, typename Ops::Scalar* c, std::int64_t ldc,
                     int threads) {
  constexpr std::int64_t NR = Tile::nv * Ops::lanes;
  // Whole NR-wide slivers per thread, so no thread gets an edge tile it need not have.
  const std::int64_t slivers = (n + NR - 1) / NR;
  const std::int64_t workers = std::clamp<std::int64_t>(threads, 1, slivers);
  if (workers == 1) return gemm_simd::gemm<Ops, Tile>(m, n, k, a, lda, b, ldb, c, ldc);
  std::vector<std::thread> pool;
  for (std::int64_t t = 0; t < workers; ++t) {
    const std::int64_t j0 = std::min(n, slivers * t / workers * NR);
    const std::int64_t j1 = std::min(n, slivers * (t + 1) / workers * NR);
    if (j1 > j0) {
      pool.emplace_back([=] { gemm_simd::gemm<Ops, Tile>(m, j1 - j0, k, a, lda, b + j0, ldb, c + j0, ldc); });
    }
  }
  for (auto& worker : pool) worker.join();
}

}  // namespace

template <>
void gemm_avx512(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, std::int64_t lda, const float* b,
                 std::int64_t ldb, float* c, std::int64_t ldc) {
  gemm_simd::gemm<F32, TileF32>(m, n, k, a, lda, b, ldb, c, ldc);
}
template <>
void gemm_avx512(std::int64_t m, std::int64_t n, std::int64_t k, const double* a, std::int64_t lda, const double* b,
                 std::int64_t ldb, double* c, std::int64_t ldc) {
  gemm_simd::gemm<F64, TileF64>(m, n, k, a, lda, b, ldb, c, ldc);
}

template <>
void gemm_avx512_threads(std::int64_t m, std::int64_t n, std::int64_t k, const float* a, std::int64_t lda,
                         const float* b, std::int64_t ldb, float* c, std::int64_t ldc, int threads) {
  gemm_on_threads<F32, TileF32>(m, n, k, a, lda, b, ldb, c, ldc, threads);
}
template <>
void gemm_avx512_threads(std::int64_t m, std::int64_t n, std::int64_t k, const double* a, std::int64_t lda,
                         const double* b, std::int64_t ldb, double* c, std::int64_t ldc, int threads) {
  gemm_on_threads<F64, TileF64>(m, n, k, a, lda, b, ldb, c, ldc, threads);
}

template <>
MicroTile gemm_avx512_tile<float>() {
  return {TileF32::mr, TileF32::nv * F32::lanes, TileF32::mc, TileF32::kc, TileF32::nc};
}
template <>
MicroTile gemm_avx512_tile<double>() {
  return {TileF64::mr, TileF64::nv * F64::lanes, TileF64::mc, TileF64::kc, TileF64::nc};
}

}  // namespace kprof::targets
