// Crossovers, thread scaling and cache knees on synthetic curves with known answers.
#include <gtest/gtest.h>

#include "kprof/reports/sweep.h"

namespace kprof::sweep {
namespace {

// "simd" costs n, "blas" costs 300 + n/2: blas is faster from n > 600 on.
std::vector<Point> crossing_curves() {
  std::vector<Point> points;
  for (std::int64_t n = 64; n <= 4096; n *= 2) {
    points.push_back({"simd", n, 1e-9 * static_cast<double>(n)});
    points.push_back({"blas", n, 1e-9 * (300.0 + static_cast<double>(n) / 2)});
  }
  return points;
}

TEST(SweepAnalysis, CrossoverIsWhereTheBestVariantChanges) {
  std::vector<Crossover> c = crossovers(crossing_curves());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].from, "simd");
  EXPECT_EQ(c[0].to, "blas");
  EXPECT_EQ(c[0].previous_x, 512);  // 512 < 300 + 256
  EXPECT_EQ(c[0].x, 1024);          // 1024 > 300 + 512
}

TEST(SweepAnalysis, NoCrossoverWhenOneVariantAlwaysWins) {
  std::vector<Point> points = {{"a", 1, 1.0}, {"b", 1, 2.0}, {"a", 2, 1.0}, {"b", 2, 3.0}};
  EXPECT_TRUE(crossovers(points).empty());
}

TEST(SweepAnalysis, ScalingStopsPayingWhereTheNextThreadGainsTooLittle) {
  // Amdahl with a 20% serial part up to 4 threads, then oversubscribed: 8 threads on 4 cores is slower.
  auto amdahl = [](int t) { return 0.2 + 0.8 / t; };
  std::vector<Point> points = {{"threads", 1, amdahl(1)},
                               {"threads", 2, amdahl(2)},
                               {"threads", 3, amdahl(3)},
                               {"threads", 4, amdahl(4)},
                               {"threads", 8, amdahl(4) * 1.3}};
  std::vector<Scaling> s = scaling(points);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].best_threads, 4);
  ASSERT_EQ(s[0].steps.size(), 5u);
  EXPECT_NEAR(s[0].steps[1].speedup, 1.0 / 0.6, 1e-12);
  EXPECT_NEAR(s[0].steps[1].efficiency, 1.0 / 1.2, 1e-12);
  // 3 -> 4 threads: 0.4667 -> 0.4, a 14% cut, still pays; 4 -> 8 loses.
  ASSERT_TRUE(s[0].stops_paying_at.has_value());
  EXPECT_EQ(*s[0].stops_paying_at, 4);
}

TEST(SweepAnalysis, KneeNamesTheChunkWhereTheWorkingSetLeavesEachCache) {
  // Working set 1 KiB per row of a chunk; L1 32 KiB, L2 1 MiB. Time per row is flat while the chunk fits
  // L2 and grows past it; a tiny chunk pays a per-chunk overhead.
  const std::vector<CacheLevel> caches = {{1, "Data", 32 << 10}, {2, "Unified", 1 << 20}, {3, "Unified", 32 << 20}};
  std::vector<Point> points;
  for (std::int64_t chunk = 8; chunk <= 4096; chunk *= 2) {
    double seconds = 1.0 + 16.0 / static_cast<double>(chunk) + (chunk * 1024 > (1 << 20) ? 0.5 : 0.0);
    points.push_back({"chunked", chunk, seconds});
  }
  std::vector<Knee> k = knees(points, caches, [](std::int64_t chunk) { return chunk * 1024; });
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k[0].best_x, 1024);  // the largest chunk that still fits L2
  ASSERT_EQ(k[0].leaves.size(), 2u) << "L3 is never left by this sweep";
  EXPECT_EQ(k[0].leaves[0].level, "L1d");
  EXPECT_EQ(k[0].leaves[0].x, 64);  // 64 KiB > 32 KiB
  EXPECT_EQ(k[0].leaves[1].level, "L2");
  EXPECT_EQ(k[0].leaves[1].x, 2048);
  EXPECT_EQ(k[0].leaves[1].working_set, 2048 * 1024);
}

}  // namespace
}  // namespace kprof::sweep
