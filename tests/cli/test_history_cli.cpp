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

}  // namespace
}  // namespace kprof::test
