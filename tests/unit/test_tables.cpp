// The run renderers: a profiler's report (lines, mem, callgrind, cpu) carries the environment but no
// timing results and no measured peak; it must not print a peak line of zeros or an empty table.
#include <gtest/gtest.h>

#include "kprof/reports/tables.h"
#include "kprof/sections/figures.h"

namespace kprof {
namespace {

kprof::Run profiler_run() {
  kprof::Run run;
  run.kprof_version = "0.0.0";
  run.environment.cpu_model = "Test CPU";
  run.environment.logical_cpus = 2;
  run.environment.widest_isa = "avx2";
  run.environment.build_type = "RelWithDebInfo";
  run.environment.blas_library = "OpenBLAS";
  run.environment.threads = 1;
  return run;
}

TEST(Tables, ProfilerReportHasNoUnmeasuredPeakAndNoEmptyTable) {
  kprof::Run run = profiler_run();
  for (const std::string& out : {render_text(run), render_markdown(run)}) {
    EXPECT_NE(out.find("Test CPU"), std::string::npos) << out;
    EXPECT_EQ(out.find("GFLOP/s"), std::string::npos) << out;  // neither a peak of zeros nor a table header
    EXPECT_EQ(out.find("% peak"), std::string::npos) << out;
  }
  EXPECT_EQ(render_markdown(run).rfind("## Environment", 0), 0u);
}

TEST(Tables, RunWithResultsShowsPeakAndTable) {
  kprof::Run run = profiler_run();
  run.peak.isa = "avx2";
  run.peak.f64_gflops = 30;
  run.peak.f32_gflops = 60;
  run.peak.triad_gbps = 10;
  Result r;
  r.family = "dot";
  r.variant = "scalar";
  r.status = Status::skipped;
  r.reason = "test";
  run.results.push_back(r);
  for (const std::string& out : {render_text(run), render_markdown(run)}) {
    EXPECT_NE(out.find("30.0 GFLOP/s f64"), std::string::npos) << out;
    EXPECT_NE(out.find("% peak"), std::string::npos) << out;
  }
  EXPECT_EQ(render_markdown(run).rfind("## kprof run", 0), 0u);
}

// A family's figures (FiguresSection) get a column beside the time, in the run's tables only.
TEST(Tables, FiguresAreShownBesideTheTimeOnlyWhenTheRunHasThem) {
  kprof::Run run = profiler_run();
  Result r;
  r.family = "forest_fit";
  r.variant = "serial";
  r.size = Size({{"depth", 8}});
  r.status = Status::ok;
  r.time.median_ns = 2.5e6;
  run.results.push_back(r);
  EXPECT_EQ(render_text(run).find("figures"), std::string::npos);
  run.set_section(FiguresSection{{{r.key(), {{"accuracy", 0.87126}}}}});
  for (const std::string& out : {render_text(run), render_markdown(run)}) {
    EXPECT_NE(out.find("figures"), std::string::npos) << out;
    EXPECT_NE(out.find("accuracy 0.8713"), std::string::npos) << out;
  }
  const std::string text = render_text(run);
  EXPECT_LT(text.find("2.5 ms"), text.find("accuracy 0.8713")) << text;  // beside the time, after it
}

}  // namespace
}  // namespace kprof
