// Crossovers, thread scaling and cache knees on synthetic curves with known answers.
#include <gtest/gtest.h>

#include "kprof/reports/sweep.h"
#include "kprof/reports/sweep_tables.h"

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

// The job threads x BLAS threads grid of a variant on a 2-CPU machine, 1..2 x 1..2; times in seconds.
std::vector<GridPoint> grid(double two_by_two) {
  return {{"threads-blas", 1, 1, 1.0},
          {"threads-blas", 1, 2, 0.6},
          {"threads-blas", 2, 1, 0.55},
          {"threads-blas", 2, 2, two_by_two}};
}

TEST(SweepAnalysis, OversubscriptionIsFourThreadsOnTwoCpusThatGotSlower) {
  std::vector<Oversubscription> o = oversubscriptions(grid(0.9), 2);
  ASSERT_EQ(o.size(), 1u);
  EXPECT_EQ(o[0].slow.threads, 2);
  EXPECT_EQ(o[0].slow.blas_threads, 2);
  EXPECT_EQ(o[0].fit.threads, 2);  // the fastest cell within 2 CPUs: 2 x 1
  EXPECT_EQ(o[0].fit.blas_threads, 1);
  EXPECT_NEAR(o[0].slowdown, 0.9 / 0.55, 1e-12);
}

TEST(SweepAnalysis, NoOversubscriptionWhenTheExtraThreadsCostNothingOrTheyFit) {
  EXPECT_TRUE(oversubscriptions(grid(0.5), 2).empty()) << "faster despite 4 threads on 2 CPUs";
  EXPECT_TRUE(oversubscriptions(grid(0.56), 2).empty()) << "within 5% of the best fitting cell: noise";
  EXPECT_TRUE(oversubscriptions(grid(0.9), 4).empty()) << "4 threads fit 4 CPUs";
  // BLAS limited to 1 thread (kprof::ThreadLimits): 2 job threads x 1 never exceed the 2 CPUs.
  EXPECT_TRUE(oversubscriptions({{"threads-blas", 1, 1, 1.0}, {"threads-blas", 2, 1, 1.5}}, 2).empty());
}

}  // namespace
}  // namespace kprof::sweep

namespace kprof {
namespace {

Result timed(const std::string& variant, const Size& size, double seconds, int threads = 1, int blas = 1) {
  Result r;
  r.family = "fam";
  r.variant = variant;
  r.size = size;
  r.threads = threads;
  r.blas_threads = blas;
  r.flops = 1e6;
  r.bytes = 1e5;
  r.time.median_ns = seconds * 1e9;
  return r;
}

// A synthetic working-set family: one chunk of c rows holds 1 KiB per row. Time per call is flat
// while a chunk fits the 1 MiB L2, grows past it, and a tiny chunk pays a per-chunk overhead.
Run chunk_sweep_run() {
  kprof::Run run;
  run.environment.caches = {{1, "Instruction", 32 << 10}, {1, "Data", 48 << 10}, {2, "Unified", 1 << 20}};
  for (std::int64_t chunk = 16; chunk <= 8192; chunk *= 2) {
    const double seconds = 1.0 + 16.0 / static_cast<double>(chunk) + (chunk * 1024 > (1 << 20) ? 0.5 : 0.0);
    Result r = timed("chunked", Size({{"n", 10000}, {"chunk", chunk}}), seconds);
    r.working_set = static_cast<double>(chunk) * 1024;
    run.results.push_back(r);
  }
  return run;
}

TEST(SweepTables, ChunkSweepFindsTheKneeAgainstTheRunsCaches) {
  std::vector<ChunkSweep> sweeps = chunk_sweeps(chunk_sweep_run());
  ASSERT_EQ(sweeps.size(), 1u);
  EXPECT_EQ(sweeps[0].swept, "chunk");
  ASSERT_EQ(sweeps[0].caches.size(), 2u) << "the instruction cache holds no working set";
  ASSERT_EQ(sweeps[0].knees.size(), 1u);
  const ChunkSweep::Knee& k = sweeps[0].knees[0];
  EXPECT_EQ(swept_part(k.best, sweeps[0].sizes), "chunk=1024");  // the largest chunk within L2
  ASSERT_EQ(k.leaves.size(), 2u);
  EXPECT_EQ(k.leaves[0].level, "L1d");
  EXPECT_EQ(swept_part(k.leaves[0].at, sweeps[0].sizes), "chunk=64");  // 64 KiB > 48 KiB
  EXPECT_EQ(k.leaves[1].level, "L2");
  EXPECT_EQ(swept_part(k.leaves[1].at, sweeps[0].sizes), "chunk=2048");
  EXPECT_EQ(k.leaves[1].working_set, 2048.0 * 1024);
  const std::string text = sweep_report(chunk_sweep_run()).text();
  EXPECT_NE(text.find("fam f64 chunked: best at chunk=1024"), std::string::npos) << text;
  EXPECT_NE(text.find("leaves L2 at chunk=2048 (2.00 MiB)"), std::string::npos) << text;
}

TEST(SweepTables, ASizeSweepIsNoChunkSweep) {
  kprof::Run run = chunk_sweep_run();
  for (std::size_t i = 0; i < run.results.size(); ++i) run.results[i].flops = 1e6 * static_cast<double>(i + 1);
  EXPECT_TRUE(chunk_sweeps(run).empty()) << "the work per call changes: the size, not a chunk, is swept";
}

TEST(SweepTables, ThreadSweepAndGridFromTheResults) {
  kprof::Run run;
  run.environment.logical_cpus = 2;
  const Size size({{"n", 100}});
  for (auto [threads, seconds] : {std::pair{1, 1.0}, {2, 0.52}, {4, 0.5}})
    run.results.push_back(timed("simd", size, seconds, threads, threads));
  for (auto [threads, blas, seconds] : {std::tuple{1, 1, 1.0}, {1, 2, 0.6}, {2, 1, 0.55}, {2, 2, 0.9}})
    run.results.push_back(timed("threads-blas", size, seconds, threads, blas));
  std::vector<ThreadSweep> sweeps = thread_sweeps(run);
  ASSERT_EQ(sweeps.size(), 2u);
  EXPECT_EQ(sweeps[0].variant, "simd");
  EXPECT_EQ(sweeps[0].scaling.best_threads, 4);
  EXPECT_EQ(sweeps[0].scaling.stops_paying_at, 2);  // 2 -> 4 threads cuts 4%
  EXPECT_EQ(sweeps[1].variant, "threads-blas");
  ASSERT_EQ(sweeps[1].scaling.steps.size(), 2u) << "a grid variant's curve is its row at 1 BLAS thread";
  EXPECT_NEAR(sweeps[1].scaling.steps[1].speedup, 1.0 / 0.55, 1e-9);
  std::vector<ThreadGrid> grids = thread_grids(run);
  ASSERT_EQ(grids.size(), 1u) << "only the variant measured at two BLAS pool sizes has a grid";
  EXPECT_EQ(grids[0].cells.size(), 4u);
  ASSERT_EQ(grids[0].oversubscribed.size(), 1u);
  const std::string warning = oversubscription_warning(grids[0], grids[0].oversubscribed[0]);
  EXPECT_NE(warning.find("2 job threads x 2 BLAS threads = 4 on 2 logical CPUs took 1.64x the time of 2 x 1"),
            std::string::npos)
      << warning;
  EXPECT_NE(warning.find("kprof::ThreadLimits limits({.blas = 1})"), std::string::npos) << warning;
  EXPECT_NE(warning.find("OPENBLAS_NUM_THREADS=1"), std::string::npos) << warning;
  const std::string text = sweep_report(run).text();
  EXPECT_NE(text.find("Thread scaling"), std::string::npos) << text;
  EXPECT_NE(text.find("WARNING: fam/threads-blas"), std::string::npos) << text;
}

}  // namespace
}  // namespace kprof
