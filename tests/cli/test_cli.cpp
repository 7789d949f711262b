// The kprof command line end to end: golden tables, reports on disk, Google Benchmark pass-through,
// and bad input (exit 2, a message naming the problem, nothing written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/golden.h"
#include "support/process.h"

namespace kprof::test {
namespace {

namespace fs = std::filesystem;

std::string kprof(const std::string& args) { return kprof_exe() + " " + args; }

int count_files(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] auto& e : fs::recursive_directory_iterator(dir)) ++n;
  return n;
}

TEST(Cli, RunTableMatchesGolden) {
  auto r = run_command(kprof("run dot -s 1000 -t f64 --rounds 3 --min-time-ms 1 -q"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(match_golden(golden_file("run_table.txt"), r.out), "") << r.out;
}

TEST(Cli, RunMarkdownMatchesGolden) {
  auto r = run_command(kprof("run axpy -s 33 -t f32 --rounds 3 --min-time-ms 1 -q --format markdown"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(match_golden(golden_file("run_markdown.md"), r.out), "") << r.out;
}

TEST(Cli, RunWritesJsonMarkdownAndTextReports) {
  std::string dir = fresh_dir("cli_reports") + "/nested/out";
  auto r = run_command(
      kprof("run dot/scalar,blas -s 500 -s 7 --rounds 3 --min-time-ms 1 -q --format none -o '" + dir + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  for (const char* name : {"run.json", "run.md", "run.txt"}) EXPECT_TRUE(fs::exists(fs::path(dir) / name)) << name;
  EXPECT_EQ(count_files(dir), 3) << "no temporary files left behind";
  auto j = nlohmann::json::parse(std::ifstream(fs::path(dir) / "run.json"));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["results"].size(), 8u);  // 2 variants x 2 sizes x 2 dtypes
  EXPECT_EQ(j["results"][0]["size"]["n"], 500);
}

TEST(Cli, BenchPassesFlagsToGoogleBenchmark) {
  auto r = run_command(kprof("bench dot/scalar -s 256 -t f64 -- --benchmark_format=json --benchmark_min_time=0.01"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["benchmarks"].size(), 1u);
  EXPECT_EQ(j["benchmarks"][0]["name"], "dot/scalar/f64/n=256/real_time");
  EXPECT_GT(j["benchmarks"][0]["FLOPS"].get<double>(), 0);
}

TEST(Cli, ListNamesFamiliesAndVariants) {
  auto r = run_command(kprof("list"));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("dot/simd-avx512"), std::string::npos);
  EXPECT_NE(r.out.find("axpy/blas"), std::string::npos);
}

struct BadInput {
  const char* args;
  const char* message;
};

class CliBadInput : public testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, ExitsTwoNamingTheProblem) {
  auto r = run_command(kprof(GetParam().args));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(
    Messages, CliBadInput,
    testing::Values(BadInput{"run nosuch", "unknown kernel family 'nosuch'; families: "},
                    BadInput{"run dot/nosuch", "unknown variant 'nosuch' of family 'dot'; variants: scalar, simd-avx2"},
                    BadInput{"run dot -s 0", "bad size: n=0 is outside 1.."},
                    BadInput{"run dot -s 12abc", "'12abc' is not a whole number"},
                    BadInput{"run dot -s m=3", "no parameter 'm'"},
                    BadInput{"run dot -t f16", "unknown dtype 'f16' (expected f32 or f64)"},
                    BadInput{"run dot --threads 0", "threads"}, BadInput{"frobnicate", "frobnicate"},
                    BadInput{"run dot -o /proc/kprof-cannot-be-here",
                             "cannot create output folder '/proc/kprof-cannot-be-here'"}));

TEST(Cli, UnwritableOutputFolderTouchesNothing) {
  std::string dir = fresh_dir("cli_unwritable");
  std::ofstream(dir + "/file") << "keep me";
  auto r = run_command(kprof("run dot -s 100 -o '" + dir + "/file/sub'"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("output folder"), std::string::npos) << r.err;
  EXPECT_EQ(count_files(dir), 1);
  std::ifstream in(dir + "/file");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "keep me");
}

// The runner with --threads: the threaded variants (std::threads) and OpenBLAS on 3 threads, each
// checked against its reference first. Also run alone as test_cli_threads (label `threads`), so the
// TSan build checks the kprof binary's threaded paths end to end.
TEST(CliThreads, ThreadedVariantsAndBlasMatchTheReferenceOnThreeThreads) {
  for (const char* args :
       {"gemm/simd-avx512-threads,blas -s 65x33x17", "distances/threads-avx512 -s n=700,d=9,k=5,chunk=64"}) {
    std::string dir = fresh_dir("cli_threads");
    auto r = run_command(kprof(std::string("run ") + args +
                               " --threads 3 --rounds 1 --min-time-ms 1 -q --format none -o '" + dir + "'"));
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    auto j = nlohmann::json::parse(std::ifstream(fs::path(dir) / "run.json"));
    EXPECT_EQ(j["environment"]["threads"], 3);
    ASSERT_FALSE(j["results"].empty()) << args;
    for (const auto& result : j["results"]) {
      const std::string status = result["status"];
      EXPECT_TRUE(status == "ok" || status == "skipped")
          << result["variant"] << ": " << status << " " << result["reason"];
    }
  }
}

TEST(Cli, HelpAndVersionExitZero) {
  EXPECT_EQ(run_command(kprof("--help")).exit_code, 0);
  EXPECT_EQ(run_command(kprof("run --help")).exit_code, 0);
  EXPECT_EQ(run_command(kprof("--version")).exit_code, 0);
}

}  // namespace
}  // namespace kprof::test
