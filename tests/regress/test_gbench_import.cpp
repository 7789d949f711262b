// `kprof regress` and `kprof history` on a real Google Benchmark suite (gbench_suite.cpp) and on
// `kprof bench`'s output: an unchanged pair is clean, an injected slowdown is flagged, both record
// in history; malformed documents exit 2 naming the file and the field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <utility>

#include <nlohmann/json.hpp>

#include "support/process.h"

namespace kprof::test {
namespace {

namespace fs = std::filesystem;

// Ten repetitions of short runs: the per-repetition times are the gate's samples. Two files are two
// processes apart, and a neighbour's build moved an unchanged sort by +23% between them here
// (file mode has no pairing: docs/REGRESS.md, Limits), hence 50%; the slowdown is 100%.
const std::string kSuiteArgs = " --benchmark_format=json --benchmark_repetitions=10 --benchmark_min_time=0.01";
const std::string kThreshold = " --time-threshold 50";

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

fs::path run_suite(const fs::path& dir, const std::string& name, const std::string& env = "") {
  const fs::path out = dir / name;
  ProcessResult r = run_command(env + " '" + KPROF_GBENCH_SUITE + "'" + kSuiteArgs + " > " + quoted(out));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

// The suite's three documents, made once: baseline, the same build again, a slowed build.
struct Suite {
  fs::path base, same, slow;
};
const Suite& suite() {
  static Suite s = [] {
    fs::path dir = fresh_dir("gbench_import");
    return Suite{run_suite(dir, "base.json"), run_suite(dir, "same.json"),
                 run_suite(dir, "slow.json", "KPROF_GBENCH_EXTRA_TIME_PCT=100")};
  }();
  return s;
}

std::string regress(const fs::path& base, const fs::path& cur, const std::string& extra = "") {
  return kprof_exe() + " regress --no-annotations --baseline " + quoted(base) + " --current " + quoted(cur) + extra;
}

// A neighbour's build can slow an unchanged benchmark by more than the threshold between two
// processes (seen: BM_Sort +79% in a clean clone's CI run, the machine building at the same time).
// So a verdict that an unchanged benchmark regressed is checked on fresh pairs of processes, up to
// three: a gate that flags an unchanged benchmark in all three fails the test, and the injected
// slowdown must be flagged in every pair.
constexpr int kFreshPairs = 3;

// The baseline and a current document of pair `attempt` (0: the suite's own, made once).
std::pair<fs::path, fs::path> pair_for(int attempt, bool slowed) {
  if (attempt == 0) return {suite().base, slowed ? suite().slow : suite().same};
  const fs::path dir = fresh_dir("gbench_import_pair" + std::to_string(attempt) + (slowed ? "_slow" : "_same"));
  return {run_suite(dir, "base.json"), run_suite(dir, "current.json", slowed ? "KPROF_GBENCH_EXTRA_TIME_PCT=100" : "")};
}

TEST(GbenchImport, UnchangedPairOfARealSuiteIsClean) {
  const fs::path json = fs::path(fresh_dir("gbench_import_same")) / "gate.json";
  ProcessResult r;
  for (int attempt = 0; attempt < kFreshPairs; ++attempt) {
    const auto [base, same] = pair_for(attempt, false);
    r = run_command(regress(base, same, kThreshold + " --json " + quoted(json)));
    if (r.exit_code == 0) break;
    std::cerr << "pair " << attempt << " of the unchanged build flagged (noise?); measuring a fresh pair\n" << r.out;
  }
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no regression in 4 benchmarks compared"), std::string::npos) << r.out;
  // Every benchmark of the suite, named as docs/FORMATS.md says.
  for (const char* key : {"BM_SumOfSquares/gbench/f64/arg0=4096 ", "BM_SumOfSquares/gbench/f64/arg0=16384 ",
                          "BM_Sort<int>/gbench/f64/n=4096 ", "BM_Accumulate/gbench/f64/ "})
    EXPECT_NE(r.out.find(key), std::string::npos) << key << "\n" << r.out;
  // Named: a range-for over a member of a temporary reads freed memory (ASan saw it here).
  const nlohmann::json gate = nlohmann::json::parse(slurp(json));
  for (const auto& b : gate["benchmarks"])  // the repetitions are the samples
    for (const auto& f : b["findings"]) {
      if (f["metric"] == "time") {
        EXPECT_NE(f["explanation"].get<std::string>().find("10 vs 10 samples"), std::string::npos) << f;
      }
    }
  EXPECT_NE(r.out.find("time across the suite: geometric mean of current/baseline over 4 benchmarks"),
            std::string::npos)
      << r.out;
}

TEST(GbenchImport, InjectedSlowdownIsFlagged) {
  const fs::path json = fs::path(fresh_dir("gbench_import_slow")) / "gate.json";
  ProcessResult r;
  for (int attempt = 0; attempt < kFreshPairs; ++attempt) {
    const auto [base, slow] = pair_for(attempt, true);
    r = run_command(regress(base, slow, kThreshold + " --json " + quoted(json)));
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
    ASSERT_NE(r.out.find("REGRESSION BM_SumOfSquares/gbench/f64/arg0=4096 [time]"), std::string::npos) << r.out;
    ASSERT_NE(r.out.find("REGRESSION BM_SumOfSquares/gbench/f64/arg0=16384 [time]"), std::string::npos) << r.out;
    if (r.out.find("REGRESSION BM_Sort") == std::string::npos &&
        r.out.find("REGRESSION BM_Accumulate") == std::string::npos)
      break;
    std::cerr << "pair " << attempt << ": an unslowed benchmark flagged too (noise?); measuring a fresh pair\n";
  }
  EXPECT_EQ(r.out.find("REGRESSION BM_Sort"), std::string::npos) << "only the slowed benchmark\n" << r.out;
  EXPECT_EQ(r.out.find("REGRESSION BM_Accumulate"), std::string::npos) << "only the slowed benchmark\n" << r.out;
  // Two of four benchmarks twice as slow: the suite's geometric mean is about sqrt(2), give or take
  // the neighbours' noise on the other two.
  const nlohmann::json gate = nlohmann::json::parse(slurp(json));
  ASSERT_TRUE(gate["suite_time"].is_object()) << gate.dump(2);
  EXPECT_EQ(gate["suite_time"]["benchmarks"], 4);
  EXPECT_GT(gate["suite_time"]["geomean_ratio"].get<double>(), 1.2) << gate["suite_time"];
  EXPECT_LT(gate["suite_time"]["geomean_ratio"].get<double>(), 2.2) << gate["suite_time"];
}

TEST(GbenchImport, RecordsInHistoryAndShowsTrends) {
  const fs::path db = fs::path(fresh_dir("gbench_import_history")) / "history.sqlite";
  const std::string history = kprof_exe() + " history --db " + quoted(db);
  for (const auto& [file, commit] : {std::pair{suite().base, "c1"}, {suite().same, "c2"}, {suite().slow, "c3"}}) {
    ProcessResult r = run_command(history + " record --branch main --commit " + commit + " " + quoted(file));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("recorded " + file.string() + " as run"), std::string::npos) << r.out;
  }
  ProcessResult show = run_command(history + " show --branch main");
  EXPECT_EQ(show.exit_code, 0) << show.out << show.err;
  for (const char* key : {"BM_SumOfSquares/gbench/f64/arg0=4096", "BM_Sort<int>/gbench/f64/n=4096"})
    EXPECT_NE(show.out.find(key), std::string::npos) << key << "\n" << show.out;
  // The newest run of main is the baseline of a gate on the history.
  ProcessResult gate = run_command(kprof_exe() + " regress --no-annotations --db " + quoted(db) +
                                   " --baseline-db --current " + quoted(suite().same) + kThreshold);
  EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;  // same vs slow: improvements, no regression
  EXPECT_NE(gate.out.find("run 3 (main @ c3)"), std::string::npos) << gate.out;
}

// `kprof bench` is a Google Benchmark suite too: its names come back as kprof's own keys.
TEST(GbenchImport, KprofBenchOutputHasKprofKeys) {
  const fs::path out = fs::path(fresh_dir("gbench_import_bench")) / "bench.json";
  ProcessResult b = run_command("'" + std::string(KPROF_PROBE_EXE) + "' bench probe/steady -s 32768 -t f64 --" +
                                kSuiteArgs + " > " + quoted(out));
  ASSERT_EQ(b.exit_code, 0) << b.err;
  ProcessResult r = run_command(regress(out, out));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("probe/steady/f64/n=32768 "), std::string::npos) << r.out;
}

// Each broken copy of a real document: regress and history record both exit 2 naming file and field.
TEST(GbenchImport, MalformedDocumentsExitTwoNamingFileAndField) {
  const fs::path dir = fresh_dir("gbench_import_malformed");
  const nlohmann::json good = nlohmann::json::parse(slurp(suite().base));
  auto first_iteration = [](nlohmann::json& j) -> nlohmann::json& {
    for (auto& b : j["benchmarks"])
      if (b["run_type"] == "iteration") return b;
    throw std::runtime_error("no iteration run");
  };
  std::vector<std::pair<std::string, std::string>> cases;  // file, what the message must name
  auto broken = [&](const std::string& name, const std::string& expected, auto&& change) {
    nlohmann::json j = good;
    change(j);
    write(dir / name, j.dump(1));
    cases.emplace_back(name, expected);
  };
  broken("negative.json", "benchmarks[0].real_time' is -1", [&](auto& j) { first_iteration(j)["real_time"] = -1.0; });
  broken("unit.json", "benchmarks[0].time_unit' is 'fortnight'",
         [&](auto& j) { first_iteration(j)["time_unit"] = "fortnight"; });
  broken("string_time.json", "benchmarks[0].cpu_time' is a string",
         [&](auto& j) { first_iteration(j)["cpu_time"] = "fast"; });
  broken("duplicate.json", "two benchmarks named 'BM_SumOfSquares/4096'", [&](auto& j) {
    nlohmann::json twin = first_iteration(j);
    twin["family_index"] = 7;
    j["benchmarks"].push_back(twin);
  });
  broken("aggregates.json", "has only aggregates", [&](auto& j) {
    nlohmann::json kept = nlohmann::json::array();
    for (auto& b : j["benchmarks"])
      if (b["run_type"] == "aggregate") kept.push_back(b);
    j["benchmarks"] = kept;
  });
  for (const auto& [name, expected] : cases) {
    const fs::path file = dir / name;
    for (const std::string& command :
         {regress(suite().base, file),
          kprof_exe() + " history --db " + quoted(dir / "h.sqlite") + " record --branch main " + quoted(file)}) {
      ProcessResult r = run_command(command);
      EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.out << r.err;
      EXPECT_NE(r.err.find(file.string()), std::string::npos) << r.err;
      EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\n" << r.err;
    }
  }
}

}  // namespace
}  // namespace kprof::test
