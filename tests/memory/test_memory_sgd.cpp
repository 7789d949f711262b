// The sgd family: full load vs chunked partial_fit. The memory report shows the peak difference;
// the timing run checks every variant against the long-double reference (the models agree).
#include <gtest/gtest.h>

#include <fstream>

#include "memory_test_util.h"

namespace kprof::test {
namespace {

std::string data_env() { return "KPROF_DATA_DIR='" + std::string(KPROF_BINARY_DIR) + "/test-data' "; }

TEST(Sgd, ChunkedFitPeaksFarBelowFullLoad) {
  std::string dir = fresh_dir("memory-sgd");
  ProcessResult r = run_command(data_env() + kprof_exe() +
                                " mem sgd/full-blas,chunked-blas -s rows=20000,chunk=1000 -q -o '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir + "/memory.json");
  nlohmann::json results = nlohmann::json::parse(in)["sections"]["memory"]["results"];
  ASSERT_EQ(results.size(), 2u);
  const auto& full = results[0];
  const auto& chunked = results[1];
  EXPECT_EQ(full["key"], "sgd/full-blas/f64/batch=32,chunk=1000,features=8,rows=20000");
  EXPECT_EQ(full["family"], "sgd");
  EXPECT_EQ(full["variant"], "full-blas");
  EXPECT_EQ(full["size"]["rows"], 20000);
  EXPECT_EQ(full["iterations"], 1);
  // Full: the 20000 x 8 matrix (vector growth: up to 2x) + labels + the reader's 1 MiB buffer.
  EXPECT_GE(full["peak_bytes"].get<std::uint64_t>(), 20000u * 9 * 8);
  // Chunked: one 1000-row chunk + the reader's buffer.
  EXPECT_LT(chunked["peak_bytes"].get<std::uint64_t>(), (1u << 20) + 1000u * 9 * 8 + 64 * 1024);
  EXPECT_GT(full["peak_bytes"].get<std::uint64_t>(), 2 * chunked["peak_bytes"].get<std::uint64_t>());
  EXPECT_EQ(chunked["leaked_bytes"], 0);
  EXPECT_FALSE(full["top_sites"].empty());
  EXPECT_NE(r.out.find("Top call sites"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sgd_"), std::string::npos) << r.out;
}

TEST(Sgd, EveryVariantAgreesWithTheReference) {
  for (const char* dtype : {"f64", "f32"}) {
    ProcessResult r = run_command(data_env() + kprof_exe() + " run sgd -s rows=20000,chunk=1000 -t " + dtype +
                                  " --rounds 1 --min-time-ms 1 -q -f json");
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    nlohmann::json run = nlohmann::json::parse(r.out);
    ASSERT_EQ(run["results"].size(), 6u);
    for (const auto& res : run["results"]) EXPECT_EQ(res["status"], "ok") << res.dump();
  }
}

TEST(Sgd, NonAllocatingKernelRegionReportsNothing) {
  ProcessResult r = run_command(kprof_exe() + " mem dot/scalar -s 4096 -q -f json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json section = nlohmann::json::parse(r.out);
  EXPECT_EQ(section["results"][0]["allocations"], 0);
  EXPECT_EQ(section["results"][0]["peak_bytes"], 0);
}

TEST(MemCommand, BadInputIsAUsageError) {
  EXPECT_EQ(run_command(kprof_exe() + " mem").exit_code, 2);
  EXPECT_EQ(run_command(kprof_exe() + " mem nosuchfamily/x").exit_code, 2);
  EXPECT_EQ(run_command(kprof_exe() + " mem dot/scalar -- /bin/true").exit_code, 2);
  EXPECT_EQ(run_command(kprof_exe() + " mem dot/scalar -s n=0").exit_code, 2);
}

}  // namespace
}  // namespace kprof::test
