#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "kprof/errors.h"
#include "kprof/history/history.h"
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
  run.sections["callgrind"] = {{"results", {{{"key", r.key()}, {"per_call", {{"Ir", 1234.0}}}}}}};
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

}  // namespace
}  // namespace kprof::history
