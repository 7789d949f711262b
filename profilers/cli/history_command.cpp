// `kprof history`: record runs in the SQLite history, list them, and print per-benchmark trends
// with step changes flagged (a step that coincides with a new machine fingerprint is labelled as
// such: it is a machine or build change, not a code change).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>

#include "commands.h"
#include "kprof/errors.h"
#include "kprof/history/history.h"
#include "kprof/regress/compare.h"
#include "kprof/reports/run_json.h"
#include "kprof/reports/tables.h"

namespace kprof::cli {
namespace {

namespace fs = std::filesystem;

struct HistoryArgs {
  std::string db;
  std::string branch;
  std::vector<std::string> files;
  std::string commit;
  std::vector<std::string> filters;  // key prefixes
  std::string metric = "time";
  double threshold = 5.0;
  std::size_t window = 5;
  int last = 30;
  bool fail_on_step = false;
};

fs::path db_path(const HistoryArgs& a) { return a.db.empty() ? history::default_history_path() : fs::path(a.db); }

// Eight-level bar per point: a trend readable in a CI log without a plot.
std::string sparkline(const std::vector<double>& v) {
  static const char* bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (v.empty()) return "";
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  std::string s;
  for (double x : v) {
    int level = *hi > *lo ? static_cast<int>(std::lround((x - *lo) / (*hi - *lo) * 7.0)) : 3;
    s += bars[std::clamp(level, 0, 7)];
  }
  return s;
}

std::string signed_pct(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f%%", v);
  return text;
}

std::string value_text(const std::string& metric, double v) {
  if (metric == "time") return format_duration_ns(v);
  if (metric == "memory") return format_fixed(v / 1024.0, 1) + " KiB";
  return format_fixed(v, 0);
}

bool selected(const std::string& key, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  return std::any_of(filters.begin(), filters.end(), [&](const std::string& f) { return key.rfind(f, 0) == 0; });
}

int show(const HistoryArgs& a) {
  history::HistoryDb db(db_path(a));
  history::StepOptions step_options;
  step_options.threshold_pct = a.metric == "time" ? a.threshold : std::min(a.threshold, 0.5);
  step_options.window = a.window;
  Table t;
  t.header = {"benchmark", "runs", "first", "last", "change", "trend", "steps"};
  t.left_aligned = {true, false, false, false, false, true, true};
  std::vector<history::SeriesStep> found;
  std::map<std::int64_t, std::size_t> benchmarks_per_run;
  std::size_t machines = 0;
  for (const auto& key : db.keys(a.branch)) {
    if (!selected(key, a.filters)) continue;
    std::vector<double> values;
    std::vector<std::string> fingerprints;
    std::vector<history::Point> points;
    for (const auto& p : db.series(key, a.branch)) {
      std::optional<double> v = a.metric == "time"           ? p.median_ns
                                : a.metric == "instructions" ? p.ir_per_call
                                                             : p.peak_bytes;
      if (!v) continue;
      values.push_back(*v);
      fingerprints.push_back(p.fingerprint);
      points.push_back(p);
    }
    if (values.empty()) continue;
    if (values.size() > static_cast<std::size_t>(a.last)) {
      std::size_t drop = values.size() - static_cast<std::size_t>(a.last);
      values.erase(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(drop));
      fingerprints.erase(fingerprints.begin(), fingerprints.begin() + static_cast<std::ptrdiff_t>(drop));
      points.erase(points.begin(), points.begin() + static_cast<std::ptrdiff_t>(drop));
    }
    for (const auto& p : points) ++benchmarks_per_run[p.run_id];
    std::vector<std::string> distinct = fingerprints;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    machines = std::max(machines, distinct.size());
    std::string steps_text;
    for (const auto& s : history::detect_steps(values, fingerprints, step_options)) {
      const auto& p = points[s.index];
      steps_text += (steps_text.empty() ? "" : ", ") + signed_pct(s.change_pct) + " at " + p.commit.substr(0, 10);
      found.push_back({key, p, fingerprints[s.index - 1], s});
    }
    const std::string change = signed_pct((values.back() / values.front() - 1.0) * 100.0);
    t.rows.push_back({key, std::to_string(values.size()), value_text(a.metric, values.front()),
                      value_text(a.metric, values.back()), change, sparkline(values),
                      steps_text.empty() ? "-" : steps_text});
  }
  if (t.rows.empty()) {
    std::cout << "kprof history: no " << a.metric << " data" << (a.branch.empty() ? "" : " on branch " + a.branch)
              << " in " << db.path().string() << "\n";
    return 0;
  }
  std::cout << "kprof history: " << a.metric << " trends" << (a.branch.empty() ? "" : " on branch " + a.branch) << " ("
            << db.path().string() << ")\n";
  if (machines > 1)
    std::cout << "warning: the series mix " << machines
              << " machine fingerprints; figures from different machines or builds are not comparable\n";
  std::cout << "\n" << t.text();
  if (!found.empty()) std::cout << "\n";
  // Time on a shared machine moves with the machine; exact metrics (instructions, memory) move with
  // the code only, so a run-wide step there is still the code (a change in shared code, say).
  if (a.metric == "time") history::mark_run_wide_steps(found, benchmarks_per_run);
  int code_steps = 0;
  for (const auto& f : found) {
    const auto& s = f.step;
    std::string line = f.key + ": step " + signed_pct(s.change_pct) + " (" + value_text(a.metric, s.before) + " -> " +
                       value_text(a.metric, s.after) + ") at run " + std::to_string(f.at.run_id) + ", commit " +
                       f.at.commit + ", " + f.at.created_utc;
    if (s.fingerprint_changed)
      line += " — the machine fingerprint changed here (" + f.fingerprint_before + " -> " + f.at.fingerprint +
              "): a machine or build change, not necessarily the code";
    else if (s.machine_wide())
      line += " — " + std::to_string(s.moved_alike) + " of the run's " + std::to_string(s.benchmarks) +
              " benchmarks stepped the same way here: the machine's load or clock, not the code (check with "
              "--metric instructions)";
    else
      ++code_steps;
    std::cout << "STEP " << line << "\n";
  }
  return a.fail_on_step && code_steps > 0 ? 1 : 0;
}

}  // namespace

void add_history_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<HistoryArgs>();
  CLI::App* sub = app.add_subcommand("history", "Record runs in the history database and show trends and step changes");
  sub->require_subcommand(1);
  sub->add_option("--db", a->db, "history database (default $KPROF_HISTORY_DB or ~/.local/share/kprof/history.sqlite)");

  CLI::App* record = sub->add_subcommand(
      "record", "Record Run JSON files (kprof run -o, callgrind, mem); documents of one build and commit are one run");
  record->add_option("files", a->files, "Run JSON files")->required();
  record->add_option("--branch", a->branch, "branch the runs belong to")->required();
  record->add_option("--commit", a->commit, "commit (default: the run's git_commit)");
  record->callback([a] {
    // All read before anything is written. A `kprof run` and a `kprof callgrind` of the same build and
    // commit are one run of it (merged as regress merges them), so that its history has both figures.
    std::vector<std::vector<std::string>> groups;
    std::vector<std::vector<Run>> group_runs;
    for (const auto& f : a->files) {
      Run run = read_run(f);
      std::size_t g = 0;
      for (; g < group_runs.size(); ++g)
        if (group_runs[g].front().environment.fingerprint == run.environment.fingerprint &&
            (!a->commit.empty() || group_runs[g].front().git_commit == run.git_commit))
          break;
      if (g == group_runs.size()) {
        groups.emplace_back();
        group_runs.emplace_back();
      }
      groups[g].push_back(f);
      group_runs[g].push_back(std::move(run));
    }
    history::HistoryDb db(db_path(*a));
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const Run run = regress::merge_runs(group_runs[g], groups[g]);
      std::int64_t id = db.record(run, a->branch, a->commit);
      std::string files;
      for (const auto& f : groups[g]) files += (files.empty() ? "" : " + ") + f;
      std::cout << "recorded " << files << " as run " << id << " (branch " << a->branch << ", commit "
                << (a->commit.empty() ? run.git_commit : a->commit) << ", fingerprint " << run.environment.fingerprint
                << ")\n";
    }
  });

  CLI::App* list = sub->add_subcommand("runs", "List recorded runs, newest first");
  list->add_option("--branch", a->branch, "only this branch");
  list->add_option("--last", a->last, "at most this many")->capture_default_str();
  list->callback([a] {
    history::HistoryDb db(db_path(*a));
    Table t;
    t.header = {"id", "branch", "commit", "created (UTC)", "fingerprint", "host"};
    t.left_aligned = {false, true, true, true, true, true};
    for (const auto& r : db.runs(a->branch, "", a->last))
      t.rows.push_back(
          {std::to_string(r.id), r.branch, r.commit.substr(0, 12), r.created_utc, r.fingerprint, r.hostname});
    std::cout << t.text();
  });

  CLI::App* trends = sub->add_subcommand("show", "Per-benchmark trends with step changes flagged");
  trends->add_option("filters", a->filters, "benchmark key prefixes (family, family/variant ...)");
  trends->add_option("--branch", a->branch, "only this branch");
  trends->add_option("--metric", a->metric, "time, instructions or memory")
      ->capture_default_str()
      ->check(CLI::IsMember({"time", "instructions", "memory"}));
  trends->add_option("--threshold", a->threshold, "smallest step in % (time; exact metrics use at most 0.5)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  trends->add_option("--window", a->window, "points on each side of a step")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  trends->add_option("--last", a->last, "last N points per benchmark")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  trends->add_flag("--fail-on-step", a->fail_on_step, "exit 1 when a step not explained by a machine change is found");
  trends->callback([a, &ctx] { ctx.exit_code = show(*a); });
}

}  // namespace kprof::cli
