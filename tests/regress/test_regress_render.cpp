// Golden output of the regression gate's renderers (text, Markdown, GitHub annotations, JUnit) for
// one Comparison that holds every kind of row: a time regression with details and a note, a
// correctness regression, an improvement, an inconclusive finding, a new and a removed benchmark,
// and warnings with characters each format must escape. The Comparison is built by hand so that
// these tests pin the renderers alone (compare_runs has its own tests).
#include <gtest/gtest.h>

#include "kprof/regress/render.h"
#include "support/golden.h"

namespace kprof::regress {
namespace {

Finding finding(Metric m, Verdict v, double base, double cur, double threshold, std::string explanation) {
  Finding f;
  f.metric = m;
  f.verdict = v;
  f.baseline = base;
  f.current = cur;
  f.change_pct = base != 0 ? (cur / base - 1.0) * 100.0 : 0.0;
  f.threshold_pct = threshold;
  f.threshold_source = "default";
  f.explanation = std::move(explanation);
  return f;
}

BenchmarkComparison bench(const std::string& variant, std::vector<Finding> findings) {
  BenchmarkComparison b;
  b.family = "gemm";
  b.variant = variant;
  b.dtype = "f64";
  b.size = "k=64,m=64,n=64";
  b.key = "gemm/" + variant + "/f64/" + b.size;
  b.findings = std::move(findings);
  return b;
}

Comparison every_kind_of_row() {
  Comparison c;
  c.baseline_source = "base/run.json";
  c.current_source = "cur/run.json";
  c.baseline_commit = "0123456789abcdef0123";
  c.current_commit = "fedcba9876543210fedc";
  c.warnings = {"current environment: CPU frequency governor is 'powersave' (100% sure <maybe>)"};

  BenchmarkComparison slow = bench("blas", {finding(Metric::time, Verdict::regression, 2.0e6, 2.5e6, 10,
                                                    "wall time 2.00 ms -> 2.50 ms per call (+25.0%)"),
                                            finding(Metric::instructions, Verdict::regression, 1.0e6, 1.1e6, 0.5,
                                                    "instructions 1000000 -> 1100000 per call (+10.00%)")});
  slow.findings[1].details = {"+100000 Ir  dgemm_kernel (libopenblas.so)"};
  slow.notes = {"metrics agree: more instructions and more time"};
  BenchmarkComparison wrong = bench("simd-avx2", {finding(Metric::correctness, Verdict::regression, 1e-15, 1e-6, 0,
                                                          "max relative error 1e-06 exceeds the family's f64 "
                                                          "tolerance 1e-10")});
  BenchmarkComparison faster =
      bench("scalar", {finding(Metric::time, Verdict::improvement, 8.0e6, 6.0e6, 10, "wall time 8 ms -> 6 ms")});
  faster.notes = {"code path changed: \"AVX2\" -> \"AVX-512\""};
  BenchmarkComparison unsure = bench("eigen", {finding(Metric::time, Verdict::inconclusive, 3.0e6, 3.3e6, 10,
                                                       "wall time +10.0% but p = 0.2 & the CI spans 0")});
  BenchmarkComparison memory =
      bench("blocked", {finding(Metric::peak_memory, Verdict::unchanged, 4096, 4096, 0.5, "peak 4.00 KiB, unchanged")});
  BenchmarkComparison added = bench("simd-avx512", {});
  added.is_new = true;
  c.benchmarks = {slow, wrong, faster, unsure, memory, added};
  c.removed = {"gemm/old/f64/k=64,m=64,n=64"};
  return c;
}

TEST(RegressRender, TextMatchesGolden) {
  const std::string out = render_text(every_kind_of_row());
  EXPECT_EQ(test::match_golden(test::golden_file("regress_text.txt"), out), "") << out;
}

TEST(RegressRender, MarkdownMatchesGolden) {
  const std::string out = render_markdown(every_kind_of_row());
  EXPECT_EQ(test::match_golden(test::golden_file("regress_markdown.md"), out), "") << out;
}

TEST(RegressRender, AnnotationsMatchGolden) {
  const std::string out = render_annotations(every_kind_of_row());
  EXPECT_EQ(test::match_golden(test::golden_file("regress_annotations.txt"), out), "") << out;
}

TEST(RegressRender, JunitMatchesGolden) {
  const std::string out = render_junit(every_kind_of_row());
  EXPECT_EQ(test::match_golden(test::golden_file("regress_junit.xml"), out), "") << out;
}

TEST(RegressRender, NoRegressionSaysSo) {
  Comparison c = every_kind_of_row();
  c.benchmarks = {c.benchmarks[2]};
  c.removed.clear();
  c.warnings.clear();
  EXPECT_EQ(test::match_golden(test::golden_file("regress_none.txt"), render_text(c)), "") << render_text(c);
}

}  // namespace
}  // namespace kprof::regress
