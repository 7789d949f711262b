#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "kprof/errors.h"
#include "kprof/history/history.h"
#include "kprof/sections.h"
#include "support/process.h"

namespace kprof::history {
namespace {

Run run_at(const std::string& commit, const std::string& created, double median_ns, const std::string& fp = "f1") {
  Run run;
  run.git_commit = commit;
  run.created_utc = created;
  run.environment.fingerprint = fp;
  run.environment.hostname = "ci-1";
  Result r;
  r.family = "probe";
  r.variant = "time";
  r.size = Size({{"n", 8}});
  r.status = Status::ok;
  r.time.round_ns = {median_ns, median_ns};
  r.time.median_ns = median_ns;
  run.results.push_back(r);
  CallgrindEntry cg;
  cg.subject = Subject::kernel(r.family, r.variant, r.dtype, r.size);
  cg.per_call = {{"Ir", 1234.0}};
  run.set_section(CallgrindSection{{cg}});
  return run;
}

TEST(History, RecordsRunsAndReturnsTheirSeriesOldestFirst) {
  auto path = std::filesystem::path(test::fresh_dir("history_series")) / "h.sqlite";
  HistoryDb db(path);
  for (int i = 0; i < 6; ++i)
    db.record(run_at("c" + std::to_string(i), "2026-01-0" + std::to_string(i + 1) + "T00:00:00Z", i < 3 ? 100 : 120),
              "main");
  db.record(run_at("x", "2026-01-09T00:00:00Z", 500), "feature");
  auto runs = db.runs("main");
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs.front().commit, "c5");  // newest first
  auto keys = db.keys("main");
  ASSERT_EQ(keys.size(), 1u);
  auto s = db.series(keys[0], "main");
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s.front().commit, "c0");
  EXPECT_DOUBLE_EQ(*s.back().median_ns, 120);
  EXPECT_DOUBLE_EQ(*s.back().ir_per_call, 1234);
  EXPECT_FALSE(s.back().peak_bytes.has_value());
  kprof::Run loaded = db.load(runs.front().id);
  EXPECT_EQ(loaded.git_commit, "c5");
  EXPECT_EQ(loaded.results.size(), 1u);
  EXPECT_EQ(db.runs("", "f1").size(), 7u);
  EXPECT_THROW(db.load(9999), UsageError);
}

TEST(History, ReopeningKeepsTheData) {
  auto path = std::filesystem::path(test::fresh_dir("history_reopen")) / "h.sqlite";
  { HistoryDb(path).record(run_at("a", "2026-01-01T00:00:00Z", 1), "main"); }
  EXPECT_EQ(HistoryDb(path).runs().size(), 1u);
}

TEST(History, AFileThatIsNotAHistoryDatabaseIsBadInput) {
  auto dir = std::filesystem::path(test::fresh_dir("history_bad"));
  std::ofstream(dir / "junk.sqlite") << "this is not sqlite at all, just text that is long enough to matter\n";
  try {
    HistoryDb db(dir / "junk.sqlite");
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("junk.sqlite"), std::string::npos) << e.what();
  }
}

SeriesStep step_at(const std::string& key, std::int64_t run, double change_pct) {
  SeriesStep s;
  s.key = key;
  s.at.run_id = run;
  s.step.change_pct = change_pct;
  return s;
}

TEST(HistorySteps, MostOfARunSteppingAlikeIsTheMachineAndALoneStepIsNot) {
  // Run 6 of 8 benchmarks: five slower together (a neighbour's load), one slower on its own at run
  // 9 (the code), and at run 6 one faster (against the crowd: not run-wide).
  std::vector<SeriesStep> steps = {step_at("a", 6, 20), step_at("b", 6, 25),  step_at("c", 6, 9), step_at("d", 6, 31),
                                   step_at("e", 6, 12), step_at("f", 6, -15), step_at("g", 9, 90)};
  std::map<std::int64_t, std::size_t> per_run = {{6, 8}, {9, 8}};
  mark_run_wide_steps(steps, per_run);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(steps[i].step.machine_wide()) << steps[i].key;
    EXPECT_EQ(steps[i].step.moved_alike, 5u);
    EXPECT_EQ(steps[i].step.benchmarks, 8u);
  }
  EXPECT_FALSE(steps[5].step.machine_wide());
  EXPECT_FALSE(steps[6].step.machine_wide());
  // Fewer than half of a large run, or fewer than three benchmarks, is not run-wide.
  std::vector<SeriesStep> few = {step_at("a", 3, 20), step_at("b", 3, 20), step_at("c", 3, 20)};
  mark_run_wide_steps(few, {{3, 7}});
  EXPECT_FALSE(few[0].step.machine_wide());
  std::vector<SeriesStep> pair = {step_at("a", 3, 20), step_at("b", 3, 20)};
  mark_run_wide_steps(pair, {{3, 2}});
  EXPECT_FALSE(pair[0].step.machine_wide());
}

}  // namespace
}  // namespace kprof::history
