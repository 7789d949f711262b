// `kprof history runs` and `kprof history show` against golden output. The runs are one real
// `kprof run` document recorded eight times with set medians, commits, times and fingerprint, so
// every figure in the output is known: dot/blas steps +50% at the fifth run, dot/scalar is flat.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/golden.h"
#include "support/process.h"

namespace kprof::test {
namespace {

namespace fs = std::filesystem;

// History database with eight recorded runs; returns the `--db '...'` option that names it.
std::string recorded_history(const fs::path& dir) {
  ProcessResult run = run_command(kprof_exe() +
                                  " run dot/scalar,blas -s 1000 -t f64 --rounds 1 --min-time-ms 0.1 -q "
                                  "--format none -o '" +
                                  dir.string() + "'");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json measured = nlohmann::json::parse(std::ifstream(dir / "run.json"));
  const std::string db = " --db '" + (dir / "h.sqlite").string() + "'";
  for (int i = 0; i < 8; ++i) {
    nlohmann::json j = measured;
    j["created_utc"] = "2026-01-0" + std::to_string(i + 1) + "T12:00:00Z";
    j["environment"]["fingerprint"] = "0123456789abcdef";
    j["environment"]["hostname"] = "ci-1";
    for (auto& r : j["results"]) {
      const bool blas = r["variant"] == "blas";
      r["time"]["median_ns"] = blas ? (i < 4 ? 500.0 : 750.0) + i : 1000.0 + 2 * (i % 3);
    }
    const fs::path file = dir / ("run" + std::to_string(i) + ".json");
    std::ofstream(file) << j.dump();
    ProcessResult rec = run_command(kprof_exe() + " history" + db + " record --branch main --commit c" +
                                    std::to_string(i) + "0000000000000 '" + file.string() + "'");
    EXPECT_EQ(rec.exit_code, 0) << rec.err;
  }
  return db;
}

TEST(HistoryCli, RunsAndShowMatchGolden) {
  const fs::path dir = fresh_dir("history_cli_golden");
  const std::string db = recorded_history(dir);

  ProcessResult runs = run_command(kprof_exe() + " history" + db + " runs --last 3");
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(match_golden(golden_file("history_runs.txt"), runs.out), "") << runs.out;

  ProcessResult show = run_command(kprof_exe() + " history" + db + " show --branch main");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(match_golden(golden_file("history_show.txt"), show.out), "") << show.out;

  // A step of one benchmark alone is the code: --fail-on-step exits 1 and says which finding.
  ProcessResult fail = run_command(kprof_exe() + " history" + db + " show --branch main --fail-on-step dot/blas");
  EXPECT_EQ(fail.exit_code, 1) << fail.out << fail.err;
  EXPECT_EQ(match_golden(golden_file("history_show_fail.txt"), fail.out), "") << fail.out;
}

// Another application's SQLite file is refused (exit 2, its tables named) and left as it was.
TEST(HistoryCli, RefusesAnotherApplicationsDatabase) {
  const fs::path dir = fresh_dir("history_cli_foreign");
  const fs::path db = dir / "app.sqlite";
  ProcessResult make = run_command(
      "python3 -c \"import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
      "c.execute('CREATE TABLE users(name TEXT)'); c.commit()\" '" +
      db.string() + "'");
  ASSERT_EQ(make.exit_code, 0) << make.err;
  ProcessResult runs = run_command(kprof_exe() + " history --db '" + db.string() + "' runs");
  EXPECT_EQ(runs.exit_code, 2) << runs.out;
  EXPECT_NE(runs.err.find("another application (tables: users)"), std::string::npos) << runs.err;
  ProcessResult tables = run_command(
      "python3 -c \"import sqlite3, sys; print(sorted(r[0] for r in sqlite3.connect("
      "sys.argv[1]).execute('SELECT name FROM sqlite_master WHERE type = \\\"table\\\"')))\" '" +
      db.string() + "'");
  EXPECT_EQ(tables.out, "['users']\n") << tables.err;
}

// Six first writers to a new database at once: every run is recorded (the creation of kprof's
// tables raced: "UNIQUE constraint failed: meta.key", a run lost).
TEST(HistoryCli, ConcurrentFirstWritersAllRecord) {
  const fs::path dir = fresh_dir("history_cli_concurrent");
  ProcessResult run = run_command(kprof_exe() +
                                  " run dot/scalar -s 1000 -t f64 --rounds 1 --min-time-ms 0.1 -q "
                                  "--format none -o '" +
                                  dir.string() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string record = kprof_exe() + " history --db '" + (dir / "new.sqlite").string() +
                             "' record --branch main '" + (dir / "run.json").string() + "' >/dev/null";
  std::string script = "pids=; for i in 1 2 3 4 5 6; do " + record +
                       " & pids=\"$pids $!\"; done; failed=0; "
                       "for p in $pids; do wait $p || failed=$((failed + 1)); done; echo $failed";
  ProcessResult all = run_command(script);
  EXPECT_EQ(all.out, "0\n") << all.err;
  ProcessResult runs = run_command(kprof_exe() + " history --db '" + (dir / "new.sqlite").string() + "' runs");
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  int rows = 0;
  for (std::size_t at = 0; (at = runs.out.find(" main ", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, 6) << runs.out;
}

}  // namespace
}  // namespace kprof::test
