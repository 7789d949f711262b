#include <gtest/gtest.h>

#include "kprof/errors.h"
#include "kprof/history/history.h"
#include "kprof/regress/noise.h"
#include "kprof/regress/stats.h"

namespace kprof::regress {
namespace {

TEST(MannWhitney, CompleteSeparationOfFiveAgainstFiveIsOneIn252) {
  RankTest t = mann_whitney({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10});
  EXPECT_TRUE(t.exact);
  EXPECT_EQ(t.u, 25);
  EXPECT_NEAR(t.p_greater, 1.0 / 252.0, 1e-12);
  EXPECT_NEAR(t.p_less, 1.0, 1e-12);
}

TEST(MannWhitney, InterleavedSamplesAreNotSignificant) {
  RankTest t = mann_whitney({1, 3, 5, 7, 9}, {2, 4, 6, 8, 10});
  EXPECT_GT(t.p_greater, 0.2);
  EXPECT_GT(t.p_less, 0.2);
}

TEST(MannWhitney, ExactTailMatchesATableValue) {
  // n1 = n2 = 4, U = 15: P(U >= 15) = 4/70 (two arrangements with U = 16 and 15 ... by enumeration).
  RankTest t = mann_whitney({1, 2, 3, 5}, {4, 6, 7, 8});
  EXPECT_EQ(t.u, 15);
  EXPECT_NEAR(t.p_greater, 2.0 / 70.0, 1e-12);
}

TEST(MannWhitney, TiesUseTheNormalApproximation) {
  RankTest t = mann_whitney({100, 100, 100, 100, 100}, {103, 103, 103, 103, 103});
  EXPECT_FALSE(t.exact);
  EXPECT_LT(t.p_greater, 0.01);
  RankTest same = mann_whitney({1, 1, 1}, {1, 1, 1});
  EXPECT_EQ(same.p_greater, 1);
}

TEST(Bootstrap, PairedRatioIsTheMedianOfPairRatiosAndItsIntervalCoversIt) {
  std::vector<double> base = {100, 110, 90, 105, 95, 100, 102};
  std::vector<double> cur;
  for (double b : base) cur.push_back(b * 1.10);
  RatioEstimate r = bootstrap_ratio(base, cur, true);
  EXPECT_TRUE(r.paired);
  EXPECT_NEAR(r.ratio, 1.10, 1e-12);
  EXPECT_NEAR(r.low, 1.10, 1e-12);  // every pair has the same ratio: no spread at all
  EXPECT_NEAR(r.high, 1.10, 1e-12);
  RatioEstimate u = bootstrap_ratio(base, cur, false);
  EXPECT_FALSE(u.paired);
  EXPECT_LE(u.low, u.ratio);
  EXPECT_GE(u.high, u.ratio);
  EXPECT_LT(u.low, 1.10);  // unpaired, the machine's spread widens the interval
}

TEST(Bootstrap, IsDeterministic) {
  std::vector<double> a = {1, 2, 3, 4, 5, 6}, b = {2, 3, 4, 5, 6, 7};
  RatioEstimate x = bootstrap_ratio(a, b, false), y = bootstrap_ratio(a, b, false);
  EXPECT_EQ(x.low, y.low);
  EXPECT_EQ(x.high, y.high);
}

TEST(Noise, DetectableChangeAllowsOneFalseAlarmInTwenty) {
  std::vector<double> changes;
  for (int i = 0; i < 18; ++i) changes.push_back(i % 2 ? 0.5 : -0.5);
  changes.push_back(-2.0);
  changes.push_back(4.0);
  // One alarm allowed out of 20: the threshold is the second largest |change|.
  EXPECT_DOUBLE_EQ(detectable_change_pct(changes), 2.0);
  changes.pop_back();  // 19 comparisons: no alarm allowed
  EXPECT_DOUBLE_EQ(detectable_change_pct(changes), 2.0);
  EXPECT_DOUBLE_EQ(detectable_change_pct({0.123}), 0.2);  // rounded up to 0.1%
  EXPECT_DOUBLE_EQ(detectable_change_pct({}), 0.0);
}

TEST(Noise, ProfileRoundTripsAndRecomputesDerivedFields) {
  NoiseProfile p;
  p.fingerprint = "abc";
  p.alternations = 5;
  p.benchmarks["probe/time/f64/n=8"].time_changes_pct = {1.0, -3.0, 2.0};
  finalize(p);
  NoiseProfile q = noise_from_json(to_json(p), "noise.json");
  ASSERT_NE(q.find("probe/time/f64/n=8"), nullptr);
  EXPECT_DOUBLE_EQ(q.find("probe/time/f64/n=8")->time_max_abs_pct, 3.0);
  EXPECT_DOUBLE_EQ(q.find("probe/time/f64/n=8")->time_detectable_pct, 3.0);
  EXPECT_EQ(q.find("nope"), nullptr);
  EXPECT_THROW(noise_from_json(nlohmann::json{{"kind", "other"}}, "x.json"), UsageError);
}

TEST(Steps, FindsALevelShiftAndIgnoresASingleOutlier) {
  std::vector<double> v = {100, 101, 150, 100, 99, 100, 101, 99, 100, 112, 111, 113, 112, 111};
  history::StepOptions o;
  o.threshold_pct = 5;
  auto steps = history::detect_steps(v, {}, o);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].index, 9u);
  EXPECT_NEAR(steps[0].change_pct, 12.0, 1.5);
  EXPECT_FALSE(steps[0].fingerprint_changed);
}

TEST(Steps, MarksAStepWhereTheMachineChanged) {
  std::vector<double> v = {100, 100, 100, 100, 90, 90, 90, 90};
  std::vector<std::string> fp = {"a", "a", "a", "a", "b", "b", "b", "b"};
  history::StepOptions o;
  auto steps = history::detect_steps(v, fp, o);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].index, 4u);
  EXPECT_TRUE(steps[0].fingerprint_changed);
  EXPECT_TRUE(history::detect_steps({100, 101, 99, 100, 102, 98}, {}, o).empty());
}

}  // namespace
}  // namespace kprof::regress
