// `kprof lines` end to end: the plain kprof hands over to kprof-instrumented, prints the nmf
// table, writes the run document and reports, and rejects bad input with exit 2.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

#include "kprof/atomic_file.h"
#include "support/process.h"

namespace kprof::test {
namespace {

const std::string kSmall = " -s 32x300x8";

TEST(LinesCli, NmfScalarPrintsTheLineTable) {
  auto r = run_command(kprof_exe() + " lines nmf/scalar" + kSmall);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* want :
       {"Function: nls_scalar", "Line #", "Hits", "Per Hit (ns)", "% Time", "Line Contents",
        "gemm_tn(p.W, p.V, WtV, m, k, n);  // WtV = W.T @ V", "Lines ranked by time:", "Total time:"})
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
}

TEST(LinesCli, RunDocumentHasTheLinesSection) {
  std::string dir = fresh_dir("lines_cli_out");
  auto r = run_command(kprof_exe() + " lines nmf/eigen --iterations 3 -f none -o " + dir + kSmall);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto run = nlohmann::json::parse(read_file(dir + "/lines.json"));
  const auto& lines = run["sections"]["lines"];
  EXPECT_EQ(lines["family"], "nmf");
  EXPECT_EQ(lines["variant"], "eigen");
  EXPECT_EQ(lines["iterations"], 3);
  ASSERT_EQ(lines["functions"].size(), 1u);
  const auto& fn = lines["functions"][0];
  EXPECT_EQ(fn["function"], "nls_eigen");
  EXPECT_EQ(fn["calls"], 3);
  std::int64_t grad_hits = -1, proj_hits = -1, copy_hits = -1;
  for (const auto& l : fn["lines"]) {
    std::string text = l["text"];
    if (text.find("grad.noalias() = WtW * H - WtV;") != std::string::npos) grad_hits = l["hits"];
    if (text.find("const T proj_gradient") != std::string::npos) proj_hits = l["hits"];
    if (text.find("Mat H = H_init;") != std::string::npos) copy_hits = l["hits"];
  }
  EXPECT_EQ(copy_hits, 3);  // once per call
  EXPECT_GT(grad_hits, 3);  // once per outer iteration
  EXPECT_EQ(grad_hits, proj_hits);
  std::string md = read_file(dir + "/lines.md");
  EXPECT_NE(md.find("## Line timings"), std::string::npos);
  EXPECT_NE(read_file(dir + "/lines.txt").find("Function: nls_eigen"), std::string::npos);

  // The callgrind-format file: callgrind_annotate's totals are the JSON's, line by line rounded.
  std::int64_t want_ns = 0, want_hits = 0;
  for (const auto& l : fn["lines"]) {
    want_ns += std::llround(l["ns"].get<double>());
    want_hits += l["hits"].get<std::int64_t>();
  }
  auto a = run_command(
      "callgrind_annotate " + dir +
      "/callgrind.out.lines | grep 'PROGRAM TOTALS' | tr -d , | sed 's/([^)]*)//g'");  // drop "(100.0%)" columns
  ASSERT_EQ(a.exit_code, 0) << a.err;
  std::istringstream totals(a.out);
  std::int64_t ns = -1, hits = -1;
  totals >> ns >> hits;
  EXPECT_EQ(ns, want_ns) << a.out;
  EXPECT_EQ(hits, want_hits) << a.out;
}

// --threads reaches threaded variants: the chunks of distances/threads-avx512 run on two threads,
// whose hits are merged into one table (the section counts the threads that hit markers).
TEST(LinesCli, ThreadedVariantIsTimedOnEveryThread) {
  std::string dir = fresh_dir("lines_cli_threads");
  auto r =
      run_command(kprof_exe() + " lines distances/threads-avx512 -s n=4096,d=16,k=8 --threads 2 -f table -o " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("threads=2"), std::string::npos) << r.out;
  auto run = nlohmann::json::parse(read_file(dir + "/lines.json"));
  EXPECT_EQ(run["sections"]["lines"]["threads"], 2) << run["sections"]["lines"].dump(2);
  EXPECT_EQ(run["environment"]["threads"], 2);
  auto one = run_command(kprof_exe() + " lines distances/threads-avx512 -s n=4096,d=16,k=8 -f json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)["threads"], 1);
}

TEST(LinesCli, UnknownNameIsExit2) {
  auto r = run_command(kprof_exe() + " lines nosuchfamily/scalar");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_command(kprof_exe() + " lines nmf/nosuchvariant");
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(LinesCli, VariantWithoutMarkersSaysSo) {
  auto r = run_command(kprof_exe() + " lines dot/scalar -s 1000");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("without reaching a single KPROF_LINE marker"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("docs/LINES.md"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kprof::test
