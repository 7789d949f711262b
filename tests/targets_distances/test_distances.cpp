// The distances family beyond "every variant matches its reference": chunk sizes that do not
// divide n, tiny and odd shapes, exact ties, the GEMM formulation's clamp at zero, labels.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "distances_test_support.h"

namespace kprof::targets::testing {
namespace {

template <class T>
class Distances : public ::testing::Test {};
using ElementTypes = ::testing::Types<float, double>;
TYPED_TEST_SUITE(Distances, ElementTypes);

// Calls `body(variant index, name)` for every variant this CPU can run; counts the ones it ran.
int for_each_runnable_variant(const std::function<void(std::size_t, const std::string&)>& body) {
  const FamilyRecord& family = distances_family();
  int ran = 0;
  for (std::size_t v = 0; v < family.variants.size(); ++v) {
    if (!isa_skip_reason(family.variants[v].spec.isa).empty()) continue;
    SCOPED_TRACE(family.variants[v].spec.name);
    body(v, family.variants[v].spec.name);
    ++ran;
  }
  return ran;
}

// The exact (double) nearest and second-nearest squared distance of row i, lowest index on ties.
struct Nearest {
  double best = std::numeric_limits<double>::infinity();
  double second = std::numeric_limits<double>::infinity();
  std::int32_t label = -1;
  int ties = 0;  // centroids at exactly `best`
};
template <class T>
Nearest nearest(const DistancesProblem<T>& p, std::int64_t i) {
  Nearest r;
  for (std::int64_t c = 0; c < p.k; ++c) {
    double sum = 0;
    for (std::int64_t j = 0; j < p.d; ++j) {
      const double diff = static_cast<double>(p.x[i * p.d + j]) - static_cast<double>(p.c[c * p.d + j]);
      sum += diff * diff;
    }
    if (sum < r.best) {
      r.second = r.best;
      r.best = sum;
      r.label = static_cast<std::int32_t>(c);
      r.ties = 1;
    } else if (sum == r.best) {
      ++r.ties;
    } else {
      r.second = std::min(r.second, sum);
    }
  }
  if (r.ties > 1) r.second = r.best;
  return r;
}

TYPED_TEST(Distances, EveryVariantHandlesChunkTailsAndOddShapes) {
  using T = TypeParam;
  struct Case {
    std::int64_t n, d, k, chunk;
  };
  const std::vector<Case> cases = {
      {1000, 16, 20, 7},    {1000, 16, 20, 33}, {1000, 16, 20, 1000},  // chunks that do not divide n, and n itself
      {1000, 16, 20, 4096},                                            // n < chunk
      {50, 8, 10, 64},      {1, 5, 3, 7},                              // n < chunk, a single row
      {1000, 1, 37, 33},                                               // d = 1
      {1000, 13, 1, 33},                                               // k = 1
      {333, 13, 37, 33},    {100, 3, 17, 7},    {257, 65, 33, 16},     // d, k not multiples of any vector width
      {64, 64, 256, 64},                                               // whole vectors everywhere
  };
  const FamilyRecord& family = distances_family();
  for (const Case& c : cases) {
    const Size size = distances_size(c.n, c.d, c.k, c.chunk);
    SCOPED_TRACE(size.str());
    const int ran = for_each_runnable_variant([&](std::size_t v, const std::string&) {
      CheckResult check = check_variant(family, v, size, dtype_of<T>());
      EXPECT_TRUE(check.ok) << check.reason;
    });
    EXPECT_GE(ran, 2);  // scalar and blas run on every x86-64 CPU
  }
}

TYPED_TEST(Distances, LabelsMatchTheReferenceWhereTheMinimumIsUnique) {
  using T = TypeParam;
  const FamilyRecord& family = distances_family();
  const Size size = distances_size(2000, 24, 50, 33);
  auto reference = family.make_instance(size, dtype_of<T>());
  reference->run_reference();
  const DistancesProblem<T>& ref = problem_of<T>(*reference);

  // Rows whose nearest centroid wins by a clear margin: rounding cannot flip those labels.
  std::vector<std::int64_t> unique_rows;
  for (std::int64_t i = 0; i < ref.n; ++i) {
    Nearest r = nearest(ref, i);
    if (r.second - r.best > 1e-3 * std::max(r.best, 1.0)) unique_rows.push_back(i);
    EXPECT_EQ(ref.labels[i], r.label) << "reference, row " << i;
  }
  ASSERT_GT(unique_rows.size(), 1900u) << "the blob data should make almost every minimum unique";

  for_each_runnable_variant([&](std::size_t v, const std::string&) {
    auto instance = family.make_instance(size, dtype_of<T>());
    instance->run(v, 1);
    const DistancesProblem<T>& p = problem_of<T>(*instance);
    int mismatches = 0;
    for (std::int64_t i : unique_rows) mismatches += p.labels[i] != ref.labels[i];
    EXPECT_EQ(mismatches, 0);
  });
}

// Small integers make every formulation exact (sums stay far below 2^24), so distances to duplicate
// centroids tie exactly in every variant, and every variant must pick the lowest index.
TYPED_TEST(Distances, ExactTiesGoToTheLowestIndex) {
  using T = TypeParam;
  const FamilyRecord& family = distances_family();
  const Size size = distances_size(300, 10, 40, 33);
  auto make_tied_problem = [&] {
    auto instance = family.make_instance(size, dtype_of<T>());
    DistancesProblem<T>& p = problem_of<T>(*instance);
    for (T& v : p.c) v = std::round(v * 3);  // integers in [-3, 3]
    auto copy_centroid = [&p](std::int64_t to, std::int64_t from) {
      std::copy_n(p.c.begin() + from * p.d, p.d, p.c.begin() + to * p.d);
    };
    copy_centroid(7, 3);
    copy_centroid(30, 3);
    copy_centroid(31, 12);
    for (std::int64_t i = 0; i < p.n; ++i) {
      const std::int64_t base = i % 2 ? 3 : 12;
      for (std::int64_t j = 0; j < p.d; ++j) {
        // Every fifth row sits exactly on its (duplicated) centroid: a tie at distance zero.
        const T offset = i % 5 == 0 ? T{0} : static_cast<T>((i + j) % 3 == 0 ? 1 : 0);
        p.x[i * p.d + j] = p.c[base * p.d + j] + offset;
      }
    }
    return instance;
  };

  auto expected_instance = make_tied_problem();
  const DistancesProblem<T>& expected = problem_of<T>(*expected_instance);
  std::vector<Nearest> want;
  int tied_rows = 0;
  for (std::int64_t i = 0; i < expected.n; ++i) {
    want.push_back(nearest(expected, i));
    tied_rows += want.back().ties > 1;
  }
  ASSERT_GT(tied_rows, 250) << "the data should produce exact ties";

  for_each_runnable_variant([&](std::size_t v, const std::string&) {
    auto instance = make_tied_problem();
    instance->run(v, 1);
    const DistancesProblem<T>& p = problem_of<T>(*instance);
    for (std::int64_t i = 0; i < p.n; ++i) {
      ASSERT_EQ(static_cast<double>(p.min_dist[i]), want[i].best) << "row " << i;
      ASSERT_EQ(p.labels[i], want[i].label) << "row " << i << " has " << want[i].ties << " tied centroids";
    }
  });
  auto reference = make_tied_problem();
  reference->run_reference();
  for (std::int64_t i = 0; i < expected.n; ++i) EXPECT_EQ(problem_of<T>(*reference).labels[i], want[i].label);
}

// Points sitting exactly on centroids far from the origin: ||x||² + ||c||² - 2·x·c rounds to tiny
// negative values, which the GEMM variants must clamp to zero.
TYPED_TEST(Distances, GemmFormulationNeverReturnsNegativeDistances) {
  using T = TypeParam;
  const FamilyRecord& family = distances_family();
  const Size size = distances_size(512, 64, 32, 100);
  for (const char* name : {"blas", "eigen"}) {
    SCOPED_TRACE(name);
    const Variant* variant = family.find_variant(name);
    ASSERT_NE(variant, nullptr);
    if (!isa_skip_reason(variant->spec.isa).empty()) continue;
    const std::size_t v = static_cast<std::size_t>(variant - family.variants.data());
    auto instance = family.make_instance(size, dtype_of<T>());
    DistancesProblem<T>& p = problem_of<T>(*instance);
    for (T& value : p.c) value += T{100};
    for (std::int64_t i = 0; i < p.n; ++i) std::copy_n(p.c.begin() + (i % p.k) * p.d, p.d, p.x.begin() + i * p.d);
    instance->run(v, 1);

    const double norm = 64 * 100.0 * 100.0;
    for (std::int64_t i = 0; i < p.n; ++i) {
      ASSERT_GE(p.min_dist[i], T{0}) << "row " << i;
      ASSERT_LE(static_cast<double>(p.min_dist[i]), 1e-4 * norm) << "row " << i;
    }
    // The clamp was exercised: the last chunk's unclamped values (still in the block) go negative.
    const std::int64_t last_start = (p.n - 1) / p.chunk * p.chunk;
    int negative = 0;
    for (std::int64_t i = 0; i < p.n - last_start; ++i)
      for (std::int64_t c = 0; c < p.k; ++c) negative += p.x_norms[i] + p.c_norms[c] + p.block[i * p.ldb + c] < 0;
    EXPECT_GT(negative, 0) << "no cancellation below zero: this test would not catch a missing clamp";
  }
}

// The tolerance must pass a correct GEMM formulation with room to spare, yet fail a kernel that is
// subtly wrong (here: one that forgets the last dimension).
TYPED_TEST(Distances, ToleranceSeparatesCancellationFromWrongKernels) {
  using T = TypeParam;
  const FamilyRecord& family = distances_family();
  const Size size = distances_size(4000, 64, 256, 256);
  const double tolerance = family.tolerance(size, dtype_of<T>());

  const Variant* blas = family.find_variant("blas");
  ASSERT_NE(blas, nullptr);
  CheckResult check =
      check_variant(family, static_cast<std::size_t>(blas - family.variants.data()), size, dtype_of<T>());
  EXPECT_TRUE(check.ok) << check.reason;
  EXPECT_LT(check.max_rel_error * 10, tolerance) << "less than 10x headroom: " << check.max_rel_error;

  auto reference = family.make_instance(size, dtype_of<T>());
  reference->run_reference();
  auto wrong = family.make_instance(size, dtype_of<T>());
  DistancesProblem<T>& p = problem_of<T>(*wrong);
  for (std::int64_t i = 0; i < p.n; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (std::int64_t c = 0; c < p.k; ++c) {
      double sum = 0;
      for (std::int64_t j = 0; j + 1 < p.d; ++j) {
        const double diff = static_cast<double>(p.x[i * p.d + j]) - static_cast<double>(p.c[c * p.d + j]);
        sum += diff * diff;
      }
      best = std::min(best, sum);
    }
    p.min_dist[i] = static_cast<T>(best);
  }
  EXPECT_GT(max_rel_error(wrong->output(), reference->output()), tolerance);
}

TEST(DistancesProblem, RejectsSizesBeyondTheBuffersLimitWithAUsageError) {
  EXPECT_THROW(DistancesProblem<float>(distances_size(std::int64_t{1} << 31, 2, 4, 16)), UsageError);
  EXPECT_THROW(DistancesProblem<double>(distances_size(4, std::int64_t{1} << 31, 4, 16)), UsageError);
}

TEST(DistancesProblem, CapsTheChunkAtNAndPadsTheBlockRows) {
  DistancesProblem<float> p(distances_size(10, 3, 17, 4096));
  EXPECT_EQ(p.chunk, 10);
  EXPECT_EQ(p.ldb, 32);
  EXPECT_EQ(p.block.size(), static_cast<std::size_t>(p.chunk * p.ldb * p.slots));
}

}  // namespace
}  // namespace kprof::targets::testing
