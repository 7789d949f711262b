#pragma once
// Run history in an embedded SQLite database: every recorded Run keyed by commit, branch, time and
// machine fingerprint, with one row per benchmark for trends. The full Run document is kept too, so
// `kprof regress --baseline-db` compares against exactly what was measured.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kprof/run.h"

struct sqlite3;

namespace kprof::history {

inline constexpr int kHistorySchemaVersion = 1;

// $KPROF_HISTORY_DB, else $XDG_DATA_HOME/kprof/history.sqlite, else ~/.local/share/kprof/history.sqlite.
std::filesystem::path default_history_path();

struct RunInfo {
  std::int64_t id = 0;
  std::string commit;
  std::string branch;
  std::string created_utc;
  std::string fingerprint;
  std::string hostname;
  std::string command;
};

struct Point {  // one benchmark in one recorded run
  std::int64_t run_id = 0;
  std::string commit;
  std::string created_utc;
  std::string fingerprint;
  std::string status;
  std::optional<double> median_ns;    // absent unless the benchmark was timed
  std::optional<double> ir_per_call;  // from the callgrind section
  std::optional<double> peak_bytes;   // from the memory section
};

class HistoryDb {
 public:
  // Opens or creates the database (and its folder). UsageError naming the path when it is not a
  // kprof history database, is of another schema version, or cannot be opened.
  explicit HistoryDb(const std::filesystem::path& path);
  ~HistoryDb();
  HistoryDb(const HistoryDb&) = delete;
  HistoryDb& operator=(const HistoryDb&) = delete;

  // Records a run (in one transaction); `commit` empty: the run's git_commit. Returns its id.
  std::int64_t record(const Run& run, const std::string& branch, const std::string& commit = "");

  // Recorded runs, newest first; empty strings match anything.
  std::vector<RunInfo> runs(const std::string& branch = "", const std::string& fingerprint = "",
                            int limit = 1000) const;
  Run load(std::int64_t run_id) const;  // the stored Run document

  // Benchmark keys recorded on a branch (all branches when empty), sorted.
  std::vector<std::string> keys(const std::string& branch = "") const;
  // One benchmark's points, oldest first.
  std::vector<Point> series(const std::string& key, const std::string& branch = "") const;

  const std::filesystem::path& path() const { return path_; }

 private:
  void exec(const char* sql) const;
  void refuse_foreign_database() const;
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

// A level shift in a series: the values from `index` on differ from those before by more than the
// threshold, with the two windows separated (every value after beyond every value before).
struct Step {
  std::size_t index = 0;  // first point of the new level
  double before = 0;      // median of the window before
  double after = 0;       // median of the window after
  double change_pct = 0;
  double p_value = 1;                // rank test of the two windows
  bool fingerprint_changed = false;  // the machine or build changed at the step: not a code change
  std::size_t moved_alike = 0;       // benchmarks of the run at `index` that stepped the same way (this one too)
  std::size_t benchmarks = 0;        // benchmarks recorded in that run
  bool machine_wide() const;         // most of the run moved alike: the machine, not the code (below)
};

struct StepOptions {
  double threshold_pct = 5.0;
  std::size_t window = 5;     // points on each side considered
  std::size_t min_after = 2;  // points needed at the new level before it counts as a step
};

// Steps in `values` (oldest first); `fingerprints` (same length, or empty) marks machine changes.
std::vector<Step> detect_steps(const std::vector<double>& values, const std::vector<std::string>& fingerprints,
                               const StepOptions& options);

// A run at which many benchmarks step in the same direction at once: in wall time on a shared machine
// that is another tenant's load or a clock change far more often than code (docs/REGRESS.md saw 15
// such steps of -7% to -34% on unchanged variants where the machine's load changed). Fills
// moved_alike and benchmarks of every step from `benchmarks_per_run` (how many benchmarks each run
// recorded); machine_wide() then means at least 3 benchmarks and at least half of the run alike.
struct SeriesStep {
  std::string key;
  Point at;                        // the first point of the new level
  std::string fingerprint_before;  // of the point before it
  Step step;
};
void mark_run_wide_steps(std::vector<SeriesStep>& steps, const std::map<std::int64_t, std::size_t>& benchmarks_per_run);

}  // namespace kprof::history
