// The gate's measurement of two binaries (measure.h) and its A/A calibration (calibrate.h), driven
// by a fake BenchmarkRunner: the order of the invocations, what a confirmation re-measures, when
// it confirms or dismisses an alarm, and what the calibration counts. No process is started.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "kprof/regress/calibrate.h"
#include "kprof/regress/measure.h"
#include "kprof/sections.h"

namespace kprof::regress {
namespace {

using nlohmann::json;

const std::string kKey = "probe/time/f64/n=32768";

// Answers every request with probe/time at n=32768, f64: 5 rounds around the time per call that
// `ns` gives for the request (and its index among all requests), with a small deterministic jitter.
class FakeRunner : public BenchmarkRunner {
 public:
  explicit FakeRunner(std::function<double(const BenchmarkRequest&, int)> ns) : ns_(std::move(ns)) {}
  std::vector<BenchmarkRequest> requests;

  Run run(const BenchmarkRequest& request) override {
    const int index = static_cast<int>(requests.size());
    requests.push_back(request);
    Run run;
    run.environment.fingerprint = "f00d";
    if (request.subcommand == "callgrind") {
      CallgrindEntry e;
      e.subject = Subject::kernel("probe", "time", DType::f64, Size({{"n", 32768}}));
      e.events = {{"Ir", 1000}};
      e.per_call = {{"Ir", 1000.0}};
      run.set_section(CallgrindSection{{e}});
      return run;
    }
    Result r;
    r.family = "probe";
    r.variant = "time";
    r.dtype = DType::f64;
    r.size = Size({{"n", 32768}});
    r.code_path = "scalar";
    r.max_rel_error = 1e-16;
    r.tolerance = 1e-10;
    const double median = ns_(request, index) * (1.0 + 0.01 * std::sin(1.3 * index));
    for (int k = 0; k < 5; ++k) r.time.round_ns.push_back(median * (1.0 + 0.002 * (k - 2)));
    r.time.median_ns = median;
    run.results = {r};
    return run;
  }

 private:
  std::function<double(const BenchmarkRequest&, int)> ns_;
};

bool is_current(const BenchmarkRequest& r) { return r.label.rfind("current", 0) == 0; }

MeasureOptions options(int alternations) {
  MeasureOptions o;
  o.filters = {"probe/time"};
  o.sizes = {"32768"};
  o.dtype = "f64";
  o.alternations = alternations;
  return o;
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

const Binaries kBins{"base/kprof", "head/kprof"};

TEST(Measure, BinariesAlternateAbbaAndEachInvocationIsOnePairedSample) {
  FakeRunner runner([](const BenchmarkRequest&, int) { return 1000.0; });
  Sides s = measure_interleaved(runner, kBins, options(3));
  std::vector<std::string> order;
  for (const auto& r : runner.requests) order.push_back(r.binary + " " + r.label);
  EXPECT_EQ(order, (std::vector<std::string>{"base/kprof baseline run 1", "head/kprof current run 1",
                                             "head/kprof current run 2", "base/kprof baseline run 2",
                                             "base/kprof baseline run 3", "head/kprof current run 3"}));
  for (const auto& r : runner.requests) {
    EXPECT_EQ(r.subcommand, "run");
    EXPECT_EQ(r.filters, std::vector<std::string>{"probe/time"});
    EXPECT_EQ(r.sizes, std::vector<std::string>{"32768"});
  }
  // Baseline invocations were requests 0, 3 and 4: their medians, in that order.
  const auto paired = s.baseline.section<PairedMediansSection>();
  ASSERT_TRUE(paired);
  const std::vector<double>& medians = paired->medians.at(kKey);
  ASSERT_EQ(medians.size(), 3u);
  EXPECT_NEAR(medians[0], 1000.0 * (1 + 0.01 * std::sin(0.0)), 1e-9);
  EXPECT_NEAR(medians[1], 1000.0 * (1 + 0.01 * std::sin(1.3 * 3)), 1e-9);
  EXPECT_NEAR(medians[2], 1000.0 * (1 + 0.01 * std::sin(1.3 * 4)), 1e-9);
  EXPECT_EQ(s.baseline.results.at(0).time.round_ns.size(), 15u);  // every round pooled

  FakeRunner again([](const BenchmarkRequest&, int) { return 1000.0; });
  measure_interleaved(again, kBins, options(2), /*current_first=*/true);
  std::vector<std::string> binaries;
  for (const auto& r : again.requests) binaries.push_back(r.binary);
  EXPECT_EQ(binaries, (std::vector<std::string>{"head/kprof", "base/kprof", "base/kprof", "head/kprof"}));
}

TEST(Measure, ProfilersRunOncePerBinaryAfterTheAlternations) {
  FakeRunner runner([](const BenchmarkRequest&, int) { return 1000.0; });
  MeasureOptions o = options(2);
  o.collect = {"callgrind"};
  Sides s = measure_binaries(runner, kBins, o);
  ASSERT_EQ(runner.requests.size(), 6u);
  EXPECT_EQ(runner.requests[4].subcommand, "callgrind");
  EXPECT_EQ(runner.requests[4].binary, "base/kprof");
  EXPECT_EQ(runner.requests[5].subcommand, "callgrind");
  EXPECT_EQ(runner.requests[5].binary, "head/kprof");
  EXPECT_TRUE(s.baseline.section<CallgrindSection>());
  EXPECT_TRUE(s.current.section<PairedMediansSection>());
}

struct Gate {
  Comparison comparison;
  int dismissed = 0;
  std::vector<BenchmarkRequest> rerun;  // the confirmation's requests
};

// The gate as `kprof regress` runs it: a first measurement, then the confirmation. `ns(current,
// confirming)` is the time per call of a side in the first or second measurement.
Gate gate(std::function<double(bool current, bool confirming)> ns) {
  const int alternations = 7;
  FakeRunner runner([&](const BenchmarkRequest& r, int index) { return ns(is_current(r), index >= 2 * alternations); });
  Gate g;
  Sides first = measure_binaries(runner, kBins, options(alternations));
  g.comparison = compare_runs(first.baseline, first.current, paired(), kBins.baseline, kBins.current);
  g.dismissed = confirm_time_alarms(runner, kBins, options(alternations), paired(), first, g.comparison);
  g.rerun.assign(runner.requests.begin() + 2 * alternations, runner.requests.end());
  return g;
}

TEST(Measure, ASlowdownThatRepeatsIsConfirmedByFreshAlternationsOfTheSuspectsOnly) {
  Gate g = gate([](bool current, bool) { return current ? 1150.0 : 1000.0; });
  EXPECT_EQ(g.dismissed, 0);
  EXPECT_EQ(g.comparison.regressions(), 1);
  EXPECT_NE(time_of(g.comparison).explanation.find("confirmed by a re-measurement"), std::string::npos)
      << time_of(g.comparison).explanation;
  ASSERT_EQ(g.rerun.size(), 28u);                    // twice the alternations, both binaries
  EXPECT_EQ(g.rerun.front().binary, kBins.current);  // current build first
  for (const auto& r : g.rerun) {
    EXPECT_EQ(r.filters, std::vector<std::string>{"probe/time"});
    EXPECT_EQ(r.sizes, std::vector<std::string>{"n=32768"});  // the suspect's own size
    EXPECT_EQ(r.dtype, "f64");
  }
}

TEST(Measure, ASlowdownThatDoesNotRepeatIsDismissed) {
  Gate g = gate([](bool current, bool confirming) { return current && !confirming ? 1150.0 : 1000.0; });
  EXPECT_EQ(g.dismissed, 1);
  EXPECT_EQ(g.comparison.regressions(), 0);
  EXPECT_NE(time_of(g.comparison).explanation.find("not confirmed"), std::string::npos)
      << time_of(g.comparison).explanation;
}

TEST(Measure, NoSuspectNoReMeasurement) {
  Gate g = gate([](bool, bool) { return 1000.0; });
  EXPECT_EQ(g.dismissed, 0);
  EXPECT_TRUE(g.rerun.empty());
  EXPECT_EQ(g.comparison.regressions(), 0);
}

// A/A: three comparisons of one binary with itself; the second one's "current" side is slowed by
// a burst of load (requests 14..27 are that comparison's first measurement).
FakeRunner burst_in_second_comparison() {
  return FakeRunner([](const BenchmarkRequest& r, int index) {
    return is_current(r) && index >= 14 && index < 28 ? 1150.0 : 1000.0;
  });
}

TEST(Calibrate, CountsAlarmsAndRecordsEveryComparisonsChange) {
  FakeRunner runner = burst_in_second_comparison();
  Calibration c = calibrate(runner, "kprof", options(7), CompareOptions{}, 3, /*confirm=*/false);
  EXPECT_EQ(runner.requests.size(), 42u);
  for (const auto& r : runner.requests) EXPECT_EQ(r.binary, "kprof");
  EXPECT_EQ(c.alarms, 1);
  EXPECT_EQ(c.dismissed, 0);
  ASSERT_EQ(c.alarm_lines.size(), 1u);
  EXPECT_EQ(c.alarm_lines[0].rfind("A/A run 2: " + kKey + ": ", 0), 0u) << c.alarm_lines[0];
  const BenchmarkNoise& n = c.profile.benchmarks.at(kKey);
  EXPECT_EQ(n.comparisons, 3);
  ASSERT_EQ(n.time_changes_pct.size(), 3u);
  EXPECT_GT(n.time_changes_pct[1], 10.0);
  EXPECT_LT(std::abs(n.time_changes_pct[0]), 5.0);
  EXPECT_GE(n.time_max_abs_pct, n.time_changes_pct[1]);
  EXPECT_EQ(c.profile.alternations, 7);
  EXPECT_EQ(c.profile.fingerprint, "f00d");
  const std::string text = calibration_text(c, "kprof", false);
  EXPECT_NE(text.find("3 A/A comparisons of kprof against itself (7 alternations each)"), std::string::npos) << text;
  EXPECT_NE(text.find("false alarms at the thresholds in force: 1 of 3"), std::string::npos) << text;
}

TEST(Calibrate, ConfirmationDismissesTheBurstAndSaysSo) {
  FakeRunner runner = burst_in_second_comparison();
  Calibration c = calibrate(runner, "kprof", options(7), CompareOptions{}, 3, /*confirm=*/true);
  EXPECT_EQ(runner.requests.size(), 42u + 28u);  // one re-measurement, of comparison 2
  EXPECT_EQ(c.alarms, 0);
  EXPECT_EQ(c.dismissed, 1);
  ASSERT_EQ(c.alarm_lines.size(), 1u);
  EXPECT_NE(c.alarm_lines[0].find("A/A run 2: " + kKey + ": dismissed: "), std::string::npos) << c.alarm_lines[0];
  // The profile keeps the raw noise of the first measurement.
  EXPECT_GT(c.profile.benchmarks.at(kKey).time_changes_pct[1], 10.0);
  EXPECT_NE(calibration_text(c, "kprof", true).find("did not confirm: 1"), std::string::npos);
}

}  // namespace
}  // namespace kprof::regress
