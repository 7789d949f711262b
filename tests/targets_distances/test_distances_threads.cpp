// The threaded variant splits whole chunks between threads, each with its own block: it must give
// the same results as the single-threaded kernel whatever the split (also run under TSan).
#include "distances_test_support.h"

namespace kprof::targets::testing {
namespace {

class ThreadsScope {
 public:
  explicit ThreadsScope(int threads) { set_threads(threads); }
  ~ThreadsScope() { set_threads(1); }
};

template <class T>
void expect_same_as_single_thread(const Size& size) {
  SCOPED_TRACE(size.str());
  const FamilyRecord& family = distances_family();
  const Variant* threaded = family.find_variant("threads-avx512");
  const Variant* single = family.find_variant("simd-avx512");
  ASSERT_TRUE(threaded && single);
  const auto index = [&](const Variant* v) { return static_cast<std::size_t>(v - family.variants.data()); };

  CheckResult check = check_variant(family, index(threaded), size, dtype_of<T>());
  EXPECT_TRUE(check.ok) << check.reason;

  auto a = family.make_instance(size, dtype_of<T>());
  auto b = family.make_instance(size, dtype_of<T>());
  a->run(index(threaded), 1);
  b->run(index(single), 1);
  // Same kernel, same operation order per row: bit-identical distances and labels.
  EXPECT_EQ(problem_of<T>(*a).min_dist, problem_of<T>(*b).min_dist);
  EXPECT_EQ(problem_of<T>(*a).labels, problem_of<T>(*b).labels);
}

TEST(DistancesThreads, ChunksSplitOverThreadsGiveTheSingleThreadResult) {
  if (!cpu_supports(Isa::avx512)) GTEST_SKIP() << isa_skip_reason(Isa::avx512);
  for (int threads : {2, 3}) {
    ThreadsScope scope(threads);
    SCOPED_TRACE(threads);
    for (const Size& size :
         {distances_size(1000, 16, 20, 7), distances_size(1000, 16, 20, 4096), distances_size(5, 3, 3, 1),
          distances_size(257, 13, 37, 33), distances_size(100, 8, 16, 50)}) {
      expect_same_as_single_thread<float>(size);
      expect_same_as_single_thread<double>(size);
    }
  }
}

}  // namespace
}  // namespace kprof::targets::testing
