// The threaded AVX-512 GEMM: every thread count gives the single-thread result, including more
// threads than C has column slivers. Labelled `threads`, so it also runs under TSan.
#include <gtest/gtest.h>

#include "gemm_test_util.h"

namespace kprof::test {
namespace {

template <class T>
class GemmThreads : public ::testing::Test {};
using Types = ::testing::Types<float, double>;
TYPED_TEST_SUITE(GemmThreads, Types);

TYPED_TEST(GemmThreads, EveryThreadCountMatchesTheReference) {
  if (!cpu_supports(Isa::avx512)) GTEST_SKIP() << isa_skip_reason(Isa::avx512);
  for (int threads : {1, 2, 3, 8}) {
    for (auto [m, n, k] : {std::tuple{1, 1, 1}, std::tuple{33, 7, 100}, std::tuple{50, 257, 300}}) {
      const GemmFn<TypeParam> fn = [threads](auto... a) { targets::gemm_avx512_threads<TypeParam>(a..., threads); };
      EXPECT_LE(GemmCase<TypeParam>(m, n, k, 1, 2, 3).error_of(fn), family_tolerance<TypeParam>())
          << threads << " threads, m=" << m << " n=" << n << " k=" << k;
    }
  }
}

}  // namespace
}  // namespace kprof::test
