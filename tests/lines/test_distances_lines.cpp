// The distances family, instrumented: the region run the way `kprof lines` runs it gives the scalar
// and SIMD tables with the hit counts their loops imply; the scalar line re-marked per (row,
// centroid) takes the same-line fast path and still counts every hit.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <string>

#include "kprof/isa.h"
#include "kprof/lines/collector.h"
#include "kprof/lines/report.h"
#include "kprof/registry.h"
#include "kprof/runner.h"

namespace kprof {
namespace {

class LineHooks final : public RegionHooks {
 public:
  void on_enter() override { lines::reset(); }
  void on_exit() override { snapshot = lines::collect(clock); }
  lines::ClockInfo clock = lines::calibrate();
  lines::Snapshot snapshot;
};

// n=1000 rows in chunks of 256 (4 chunks, the last of 232), k=100 centroids (padded to 112), d=64.
constexpr const char* kSize = "n=1000,d=64,k=100,chunk=256";
constexpr std::uint64_t kCalls = 2, kRows = 1000, kCentroids = 100, kChunks = 4, kDims = 64;

lines::Report profile(const std::string& name, DType dtype) {
  RegionOptions options;
  options.iterations = kCalls;
  LineHooks hooks;
  run_region(resolve_job(name, kSize, dtype, 1), options, hooks);
  lines::Report report = lines::build_report(hooks.snapshot);
  std::cout << lines::render_text(report);  // the table, for whoever reads the test log
  return report;
}

const lines::FunctionReport* find(const lines::Report& r, const std::string& name) {
  for (const lines::FunctionReport& f : r.functions)
    if (f.function == name) return &f;
  return nullptr;
}

// Hits of the marked rows whose text holds `needle`, summed.
std::uint64_t hits_of(const lines::FunctionReport& f, const std::string& needle) {
  std::uint64_t hits = 0;
  for (const lines::LineRow& row : f.rows)
    if (row.marked && row.text.find(needle) != std::string::npos) hits += row.hits;
  return hits;
}

TEST(DistancesLines, ScalarTableCountsEveryRowCentroidPair) {
  lines::Report r = profile("distances/scalar", DType::f64);
  const lines::FunctionReport* f = find(r, "distances_scalar");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->calls, kCalls);
  EXPECT_TRUE(f->source_available) << f->source_note;
  EXPECT_EQ(hits_of(*f, "for (std::int64_t j = 0; j < t.d; ++j)"), kCalls * kRows * kCentroids);
  EXPECT_EQ(hits_of(*f, "block_row_min(t.block"), kCalls * kChunks);
  EXPECT_GT(f->total_ns, 0.0);
}

TEST(DistancesLines, SimdTablesCountEveryRowGroup) {
  if (!isa_skip_reason(Isa::avx512).empty()) GTEST_SKIP() << isa_skip_reason(Isa::avx512);
  for (DType dtype : {DType::f64, DType::f32}) {
    // 112 padded centroids: f64 (8 lanes) has 3 groups of 4 vectors and 2 single vectors left;
    // f32 (16 lanes) has 1 group of 4 vectors and 3 single vectors.
    const std::uint64_t four = dtype == DType::f64 ? 3 : 1, one = dtype == DType::f64 ? 2 : 3;
    lines::Report r = profile("distances/simd-avx512", dtype);
    const lines::FunctionReport* assign = find(r, "assign_rows");
    ASSERT_NE(assign, nullptr);
    EXPECT_EQ(assign->calls, kCalls);
    EXPECT_TRUE(assign->source_available) << assign->source_note;
    EXPECT_EQ(hits_of(*assign, "row_to_four_vectors<Ops>("), kCalls * kRows * four);
    EXPECT_EQ(hits_of(*assign, "row_to_one_vector<Ops>("), kCalls * kRows * one);
    EXPECT_EQ(hits_of(*assign, "block_row_min(t.block"), kCalls * kChunks);
    const lines::FunctionReport* pack = find(r, "pack_centroids");
    ASSERT_NE(pack, nullptr);
    EXPECT_EQ(pack->calls, kCalls);
    EXPECT_EQ(hits_of(*pack, "out[c] = t.c[c * t.d + j]"), kCalls * kDims);
    EXPECT_EQ(hits_of(*pack, "infinity()"), kCalls * kDims);
  }
}

}  // namespace
}  // namespace kprof
