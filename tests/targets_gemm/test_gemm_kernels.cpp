// gemm specifics: the micro-kernel's edge tiles, packing with odd leading dimensions, shapes that
// cross the cache blocks, thin rectangular shapes, and a tolerance that a wrong GEMM fails.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "gemm_test_util.h"

namespace kprof::test {
namespace {

using targets::MicroTile;

template <class T>
class GemmKernels : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(GemmKernels, Types);

struct SimdKernel {
  std::string name;
  Isa isa;
};

const SimdKernel kAvx2{"simd-avx2", Isa::avx2};
const SimdKernel kAvx512{"simd-avx512", Isa::avx512};

template <class T>
GemmFn<T> simd_fn(Isa isa) {
  if (isa == Isa::avx2) return [](auto... a) { targets::gemm_avx2<T>(a...); };
  return [](auto... a) { targets::gemm_avx512<T>(a...); };
}

template <class T>
MicroTile simd_tile(Isa isa) {
  return isa == Isa::avx2 ? targets::gemm_avx2_tile<T>() : targets::gemm_avx512_tile<T>();
}

// Every m in 1..2·MR+1 and n in 1..2·NR+1 (full tiles, edge tiles and both at once), for depths
// that leave the k loop short, odd, and one past a KC block.
template <class T>
void sweep_edges(const SimdKernel& kernel) {
  if (!cpu_supports(kernel.isa)) GTEST_SKIP() << isa_skip_reason(kernel.isa);
  const MicroTile tile = simd_tile<T>(kernel.isa);
  const GemmFn<T> fn = simd_fn<T>(kernel.isa);
  const double tolerance = family_tolerance<T>();
  for (std::int64_t k : {std::int64_t{1}, std::int64_t{2}, std::int64_t{7}, std::int64_t{33}, tile.kc + 1}) {
    for (std::int64_t m = 1; m <= 2 * tile.mr + 1; ++m) {
      for (std::int64_t n = 1; n <= 2 * tile.nr + 1; ++n) {
        const double error = GemmCase<T>(m, n, k).error_of(fn);
        ASSERT_LE(error, tolerance) << kernel.name << " m=" << m << " n=" << n << " k=" << k;
      }
    }
  }
}

TYPED_TEST(GemmKernels, Avx2EdgeTilesForEveryShapeAroundTheMicroTile) { sweep_edges<TypeParam>(kAvx2); }
TYPED_TEST(GemmKernels, Avx512EdgeTilesForEveryShapeAroundTheMicroTile) { sweep_edges<TypeParam>(kAvx512); }

// Sub-matrices of larger arrays: leading dimensions that are odd and larger than the rows, so
// packing must honour lda/ldb, and the kernel must not touch C's padding columns.
TYPED_TEST(GemmKernels, OddLeadingDimensionsArePackedAndPaddingIsUntouched) {
  for (const auto& impl : all_impls<TypeParam>()) {
    if (!cpu_supports(impl.isa)) continue;
    for (auto [m, n, k] : {std::tuple{7, 33, 13}, std::tuple{33, 7, 1}, std::tuple{17, 50, 300}}) {
      const GemmCase<TypeParam> c(m, n, k, /*pad_a=*/3, /*pad_b=*/5, /*pad_c=*/7);
      EXPECT_LE(c.error_of(impl.fn), family_tolerance<TypeParam>())
          << impl.name << " m=" << m << " n=" << n << " k=" << k << " lda=" << c.lda << " ldb=" << c.ldb
          << " ldc=" << c.ldc;
    }
  }
}

// Thin shapes: a single row or column, a long dot product per element, and a wide outer product.
TYPED_TEST(GemmKernels, ThinRectangularShapes) {
  for (const auto& impl : all_impls<TypeParam>()) {
    if (!cpu_supports(impl.isa)) continue;
    for (auto [m, n, k] : {std::tuple{1, 1000, 1}, std::tuple{1000, 1, 7}, std::tuple{33, 7, 1000}, std::tuple{1, 1, 1},
                           std::tuple{7, 7, 7}}) {
      EXPECT_LE(GemmCase<TypeParam>(m, n, k).error_of(impl.fn), family_tolerance<TypeParam>())
          << impl.name << " m=" << m << " n=" << n << " k=" << k;
    }
  }
}

// Shapes one past MC, KC and NC, so every level of cache blocking runs a second, partial block
// and the depth blocks after the first accumulate into C instead of overwriting it.
TYPED_TEST(GemmKernels, ShapesThatCrossEveryCacheBlock) {
  for (const SimdKernel& kernel : {kAvx2, kAvx512}) {
    if (!cpu_supports(kernel.isa)) continue;
    const MicroTile t = simd_tile<TypeParam>(kernel.isa);
    for (auto [m, n, k] :
         {std::tuple{t.mc + 1, 2 * t.nr + 3, 2 * t.kc + 1}, std::tuple{std::int64_t{3}, t.nc + 5, t.kc + 1}}) {
      EXPECT_LE(GemmCase<TypeParam>(m, n, k).error_of(simd_fn<TypeParam>(kernel.isa)), family_tolerance<TypeParam>())
          << kernel.name << " m=" << m << " n=" << n << " k=" << k;
    }
  }
}

// The micro-tiles are register blocks, not a vector wide: what the docs and the tuning promise.
TEST(GemmTiles, MicroTilesAreRegisterBlocked) {
  EXPECT_EQ(targets::gemm_avx512_tile<double>().mr * targets::gemm_avx512_tile<double>().nr, 8 * 24);
  EXPECT_EQ(targets::gemm_avx512_tile<float>().mr * targets::gemm_avx512_tile<float>().nr, 8 * 48);
  EXPECT_EQ(targets::gemm_avx2_tile<double>().mr * targets::gemm_avx2_tile<double>().nr, 6 * 8);
  EXPECT_EQ(targets::gemm_avx2_tile<float>().mr * targets::gemm_avx2_tile<float>().nr, 6 * 16);
}

// The family's tolerance separates right from wrong at a depth of a few thousand: every
// implementation passes it, and a GEMM that drops one term of each sum fails it.
TYPED_TEST(GemmKernels, ToleranceAcceptsEveryImplementationAndRejectsADroppedTerm) {
  const GemmCase<TypeParam> deep(24, 40, 4096);
  const double tolerance = family_tolerance<TypeParam>();
  ASSERT_GT(tolerance, 0) << "the gemm family is not registered";
  for (const auto& impl : all_impls<TypeParam>()) {
    if (!cpu_supports(impl.isa)) continue;
    EXPECT_LE(deep.error_of(impl.fn), tolerance) << impl.name;
  }
  const GemmFn<TypeParam> drops_last_term = [](auto m, auto n, auto k, auto a, auto lda, auto b, auto ldb, auto c,
                                               auto ldc) { targets::gemm_scalar(m, n, k - 1, a, lda, b, ldb, c, ldc); };
  EXPECT_GT(deep.error_of(drops_last_term), tolerance);
}

// The family registers what the docs say: its variants, 2mnk FLOPs and the compulsory traffic.
TEST(GemmFamily, RegistersVariantsFlopsAndBytes) {
  const FamilyRecord* gemm = registry().find("gemm");
  ASSERT_NE(gemm, nullptr);
  for (const char* name : {"scalar", "simd-avx2", "simd-avx512", "simd-avx512-threads", "blas", "eigen"})
    EXPECT_NE(gemm->find_variant(name), nullptr) << name;
  EXPECT_TRUE(gemm->find_variant("simd-avx512-threads")->spec.threaded);
  const Size size = parse_size(gemm->params, "1000x300x700");
  EXPECT_EQ(size["m"], 1000);
  EXPECT_EQ(size["n"], 300);
  EXPECT_EQ(size["k"], 700);
  EXPECT_DOUBLE_EQ(gemm->flops(size), 2.0 * 1000 * 300 * 700);
  EXPECT_DOUBLE_EQ(gemm->bytes(size, 8), 8.0 * (1000 * 700 + 700 * 300 + 2 * 1000 * 300));
}

// Through the runner, as `kprof run` checks them: every variant of the family at a rectangular
// shape with edge tiles in m, n and k, f32 and f64.
TEST(GemmFamily, EveryVariantPassesTheRunnersCheck) {
  const FamilyRecord* gemm = registry().find("gemm");
  ASSERT_NE(gemm, nullptr);
  const Size size = parse_size(gemm->params, "33x57x301");
  for (DType dtype : {DType::f32, DType::f64}) {
    for (std::size_t v = 0; v < gemm->variants.size(); ++v) {
      if (!cpu_supports(gemm->variants[v].spec.isa)) continue;
      const CheckResult check = check_variant(*gemm, v, size, dtype);
      EXPECT_TRUE(check.ok) << gemm->variants[v].spec.name << " " << to_string(dtype) << ": " << check.reason;
    }
  }
}

}  // namespace
}  // namespace kprof::test
