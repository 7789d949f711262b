// The kprof command line end to end: golden tables, reports on disk, Google Benchmark pass-through,
// and bad input (exit 2, a message naming the problem, nothing written).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

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
                    // sweeps (issue 14): refused before anything runs
                    BadInput{"run dot -s n=5..1", "range '5..1' in 'n=5..1' is inverted"},
                    BadInput{"run dot -s n=1..10:+0", "does not advance"},
                    BadInput{"run dot -s n=1..300", "points, more than 200; narrow the ranges, or pass --yes"},
                    BadInput{"run dot --threads 1..100000", "(at most 8 threads per logical CPU)"},
                    BadInput{"run dot --threads 4..2", "is inverted"},
                    BadInput{"run distances --blas-threads 0", "--blas-threads 0: 0 is outside 1.."},
                    BadInput{"run dot -s m=1..4", "no parameter 'm'"},
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

// A thread sweep and a job x BLAS grid in one Run document: every point keyed by its threads,
// the scaling table and the grid in the report; no progress lines where stderr is not a terminal.
TEST(Cli, ThreadSweepAndGridInOneRun) {
  std::string dir = fresh_dir("cli_thread_sweep");
  auto r = run_command(
      kprof("run distances/scalar,threads-blas -s n=600,d=8,k=16,chunk=64 -t f64 --threads 1..2 --blas-threads 1,2 "
            "--rounds 1 --min-time-ms 1 --format markdown -o '" +
            dir + "'"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("points,"), std::string::npos) << "progress lines only on a terminal:\n" << r.err;
  auto j = nlohmann::json::parse(std::ifstream(fs::path(dir) / "run.json"));
  std::set<std::string> cells;
  for (const auto& result : j["results"])
    cells.insert(result["variant"].get<std::string>() + " " + result["threads"].dump() + "x" +
                 result["blas_threads"].dump());
  EXPECT_EQ(cells, (std::set<std::string>{"scalar 1x1", "scalar 2x2", "threads-blas 1x1", "threads-blas 1x2",
                                          "threads-blas 2x1", "threads-blas 2x2"}));
  EXPECT_EQ(j["environment"]["threads"], 2);
  EXPECT_NE(r.out.find("### Thread scaling"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("### Job threads x BLAS threads"), std::string::npos) << r.out;
}

TEST(Cli, ChunkSweepPlacesTheWorkingSetAgainstTheCaches) {
  auto r =
      run_command(kprof("run distances/blas -s n=2000,d=16,k=32,chunk=16..1024:*4 -t f64 --rounds 1 "
                        "--min-time-ms 1 -q"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Chunk sweep"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("distances f64 blas: best at chunk="), std::string::npos) << r.out;
}

TEST(Cli, HelpAndVersionExitZero) {
  EXPECT_EQ(run_command(kprof("--help")).exit_code, 0);
  EXPECT_EQ(run_command(kprof("run --help")).exit_code, 0);
  EXPECT_EQ(run_command(kprof("--version")).exit_code, 0);
}

// A data cache that is not whole (truncated, half a line, written by something else) is made again,
// not timed as if complete (a truncated sgd CSV was labelled rows=2000 with half the rows).
TEST(Cli, ADataCacheThatIsNotWholeIsMadeAgain) {
  const std::string data = fresh_dir("cli_data_cache");
  const std::string run = "KPROF_DATA_DIR='" + data + "' " + kprof_exe() +
                          " run sgd/full-scalar -s rows=2000,features=4,chunk=500,batch=32 -t f64 --rounds 1 "
                          "--min-time-ms 0.1 -q -f none";
  ASSERT_EQ(run_command(run).exit_code, 0);
  const fs::path csv = fs::path(data) / "sgd-2000x4.csv";
  ASSERT_TRUE(fs::exists(csv));
  const auto whole = fs::file_size(csv);
  fs::resize_file(csv, whole / 2);
  ProcessResult again = run_command(run);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(fs::file_size(csv), whole) << "the truncated cache was used as it was";
  std::ofstream(csv, std::ios::trunc) << "x0,x1,x2,x3,y\n0.5,0.2";  // half a line
  ProcessResult half = run_command(run);
  EXPECT_EQ(half.exit_code, 0) << half.err;
  EXPECT_EQ(fs::file_size(csv), whole);
}

}  // namespace
}  // namespace kprof::test
