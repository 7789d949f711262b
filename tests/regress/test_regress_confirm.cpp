// Confirmation of wall-time alarms (confirm.h) on interleaved measurements built here: a burst of
// load that slows one measurement must be dismissed, a slowdown that repeats must stay an alert
// with the pooled figures, and every verdict must name both measurements.
#include <gtest/gtest.h>

#include <cmath>

#include "kprof/regress/confirm.h"
#include "kprof/sections.h"

namespace kprof::regress {
namespace {

using nlohmann::json;

const std::string kKey = "probe/time/f64/n=32768";

// One side of an interleaved measurement of probe/time: 7 invocations whose medians are `ns`
// times a small deterministic jitter, 5 rounds each; `instructions` adds a callgrind section.
Run side(double ns, double jitter_phase, double instructions = 0) {
  Result r;
  r.family = "probe";
  r.variant = "time";
  r.dtype = DType::f64;
  r.size = Size({{"n", 32768}});
  r.status = Status::ok;
  r.code_path = "scalar";
  r.max_rel_error = 1e-16;
  r.tolerance = 1e-10;
  std::vector<double> medians;
  for (int i = 0; i < 7; ++i) {
    const double m = ns * (1.0 + 0.01 * std::sin(1.3 * i + jitter_phase));
    medians.push_back(m);
    for (int k = 0; k < 5; ++k) r.time.round_ns.push_back(m * (1.0 + 0.002 * (k - 2)));
  }
  r.time.median_ns = ns;
  Run run;
  run.environment.fingerprint = "f00d";
  run.results = {r};
  run.set_section(PairedMediansSection{{{kKey, medians}}});
  if (instructions > 0) {
    CallgrindEntry e;
    e.subject = Subject::kernel(r.family, r.variant, r.dtype, r.size);
    e.per_call = {{"Ir", instructions}};
    run.set_section(CallgrindSection{{e}});
  }
  return run;
}

CompareOptions paired() {
  CompareOptions o;
  o.paired = true;
  return o;
}

const Finding& time_of(const Comparison& c) {
  for (const auto& f : c.benchmarks.at(0).findings)
    if (f.metric == Metric::time) return f;
  throw std::runtime_error("no time finding");
}

struct Measured {
  Comparison gate;
  int dismissed = 0;
};

// The gate's first measurement (base vs cur1), then the re-measurement (base vs cur2), as
// `kprof regress` does it.
Measured measure_twice(double base_ns, double first_ns, double again_ns, double ir_base = 0, double ir_cur = 0) {
  Run b1 = side(base_ns, 0.0, ir_base), c1 = side(first_ns, 0.5, ir_cur);
  Run b2 = side(base_ns, 1.0), c2 = side(again_ns, 1.5);
  Measured m;
  m.gate = compare_runs(b1, c1, paired(), "base", "cur");
  Comparison rerun = compare_runs(b2, c2, paired(), "base", "cur");
  Comparison pooled = compare_runs(pool_time_samples(b1, b2), pool_time_samples(c1, c2), paired(), "base", "cur");
  m.dismissed = apply_confirmation(m.gate, rerun, pooled, 0.05);
  return m;
}

TEST(Confirm, ALoadBurstThatDoesNotRepeatIsNoAlert) {
  kprof::Run b = side(1000, 0.0), c = side(1150, 0.5);
  ASSERT_EQ(time_of(compare_runs(b, c, paired(), "base", "cur")).verdict, Verdict::regression);
  Measured m = measure_twice(1000, 1150, 1000);
  EXPECT_EQ(m.dismissed, 1);
  EXPECT_EQ(m.gate.regressions(), 0);
  const Finding& f = time_of(m.gate);
  EXPECT_NE(f.verdict, Verdict::regression);
  EXPECT_NE(f.explanation.find("not confirmed (measurement 1 +15."), std::string::npos) << f.explanation;
  EXPECT_NE(f.explanation.find("14 paired invocations"), std::string::npos) << f.explanation;
  ASSERT_GE(f.details.size(), 2u);
  EXPECT_EQ(f.details[0].rfind("measurement 1: wall time", 0), 0u) << f.details[0];
  EXPECT_NE(f.details[0].find("-> regression"), std::string::npos) << f.details[0];
  EXPECT_EQ(f.details[1].rfind("re-measurement (fresh alternations, current build first)", 0), 0u) << f.details[1];
  EXPECT_NE(f.details[1].find("-> unchanged"), std::string::npos) << f.details[1];
}

TEST(Confirm, ASlowdownThatRepeatsIsAnAlertWithThePooledFigures) {
  Measured m = measure_twice(1000, 1150, 1140);
  EXPECT_EQ(m.dismissed, 0);
  EXPECT_EQ(m.gate.regressions(), 1);
  const Finding& f = time_of(m.gate);
  EXPECT_EQ(f.verdict, Verdict::regression);
  EXPECT_NEAR(f.change_pct, 14.5, 1.5);
  EXPECT_NE(f.explanation.find("14 paired invocations, 70 vs 70 rounds"), std::string::npos) << f.explanation;
  EXPECT_NE(f.explanation.find("confirmed by a re-measurement with fresh alternations (+14."), std::string::npos)
      << f.explanation;
}

TEST(Confirm, TheCrossMetricNoteFollowsTheConfirmedVerdict) {
  // Instructions flat, time +15% in one measurement only: the "metrics disagree" note must go with
  // the dismissed alarm; when the slowdown repeats, it stays.
  Measured burst = measure_twice(1000, 1150, 1000, 5000, 5000);
  for (const auto& n : burst.gate.benchmarks.at(0).notes) EXPECT_EQ(n.find("metrics disagree"), std::string::npos) << n;
  Measured real = measure_twice(1000, 1150, 1150, 5000, 5000);
  bool noted = false;
  for (const auto& n : real.gate.benchmarks.at(0).notes) noted |= n.find("metrics disagree: instructions flat") == 0;
  EXPECT_TRUE(noted);
}

// The re-measurement's own verdict can be "inconclusive" only because one spoiled pair widened its
// bootstrap CI; a significant rank test and a change beyond the threshold still repeat the alarm
// (the pooled finding must be a regression either way).
Comparison one_time_finding(Verdict v, double change, double p) {
  Comparison c;
  BenchmarkComparison bc;
  bc.key = kKey;
  Finding f;
  f.metric = Metric::time;
  f.verdict = v;
  f.change_pct = change;
  f.threshold_pct = 10;
  f.p_value = p;
  f.measurement = "wall time ...";
  bc.findings.push_back(f);
  c.benchmarks.push_back(bc);
  return c;
}

TEST(Confirm, ASignificantRepeatBeyondTheThresholdConfirmsEvenWithAWideInterval) {
  Comparison pooled = one_time_finding(Verdict::regression, 12, 0.001);
  Comparison gate = one_time_finding(Verdict::regression, 13, 0.002);
  EXPECT_EQ(apply_confirmation(gate, one_time_finding(Verdict::inconclusive, 12, 0.01), pooled, 0.05), 0);
  EXPECT_EQ(gate.regressions(), 1);
  // Not significant on its own, or not beyond the threshold: not repeated.
  gate = one_time_finding(Verdict::regression, 13, 0.002);
  EXPECT_EQ(apply_confirmation(gate, one_time_finding(Verdict::inconclusive, 12, 0.2), pooled, 0.05), 1);
  EXPECT_EQ(gate.regressions(), 0);
  gate = one_time_finding(Verdict::regression, 13, 0.002);
  EXPECT_EQ(apply_confirmation(gate, one_time_finding(Verdict::unchanged, 8, 0.01), pooled, 0.05), 1);
  EXPECT_EQ(gate.regressions(), 0);
  // A repeat is not enough when the pooled samples do not show a regression.
  gate = one_time_finding(Verdict::regression, 13, 0.002);
  EXPECT_EQ(apply_confirmation(gate, one_time_finding(Verdict::regression, 12, 0.01),
                               one_time_finding(Verdict::inconclusive, 11, 0.01), 0.05),
            1);
  EXPECT_EQ(gate.regressions(), 0);
}

TEST(Confirm, SuspectsAreSlowerFindingsThatAlarmedOrWereInconclusive) {
  Comparison c;
  auto add = [&](const std::string& key, Metric m, Verdict v, double change) {
    BenchmarkComparison bc;
    bc.key = key;
    Finding f;
    f.metric = m;
    f.verdict = v;
    f.change_pct = change;
    bc.findings.push_back(f);
    c.benchmarks.push_back(bc);
  };
  add("alarm", Metric::time, Verdict::regression, 15);
  add("slower-unsure", Metric::time, Verdict::inconclusive, 12);
  add("faster-unsure", Metric::time, Verdict::inconclusive, -12);
  add("quiet", Metric::time, Verdict::unchanged, 3);
  add("instructions", Metric::instructions, Verdict::regression, 3);  // exact: never re-measured
  EXPECT_EQ(time_suspects(c), (std::vector<std::string>{"alarm", "slower-unsure"}));
}

TEST(Confirm, PoolingAppendsTheReMeasurementInOrder) {
  kprof::Run first = side(1000, 0.0), again = side(2000, 0.0);
  kprof::Run pooled = pool_time_samples(first, again);
  const auto medians = pooled.section<PairedMediansSection>()->medians.at(kKey);
  ASSERT_EQ(medians.size(), 14u);
  EXPECT_NEAR(medians[0], 1000, 15);
  EXPECT_NEAR(medians[7], 2000, 30);
  EXPECT_EQ(pooled.results.at(0).time.round_ns.size(), 70u);
}

}  // namespace
}  // namespace kprof::regress
