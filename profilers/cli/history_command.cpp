// `kprof history`: record runs in the SQLite history, list them, and print per-benchmark trends
// with step changes flagged (a step that coincides with a new machine fingerprint is labelled as
// such: it is a machine or build change, not a code change).
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>

#include "commands.h"
#include "kprof/atomic_file.h"
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
  std::string json_out;  // show --json FILE: the series and their steps, for `kprof report`
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

std::string value_text(const std::string& metric, double v) {
  if (metric == "time") return format_duration_ns(v);
  if (metric == "memory") return format_bytes(v);
  return format_fixed(v, 0);
}

bool selected(const std::string& key, const std::vector<std::string>& filters) {
  if (filters.empty()) return true;
  return std::any_of(filters.begin(), filters.end(), [&](const std::string& f) { return key.rfind(f, 0) == 0; });
}

// One benchmark's last `a.last` points of the chosen metric (points without it are left out).
struct Series {
  std::vector<double> values;
  std::vector<std::string> fingerprints;
  std::vector<history::Point> points;
};

Series load_series(const history::HistoryDb& db, const std::string& key, const HistoryArgs& a) {
  Series s;
  for (const auto& p : db.series(key, a.branch)) {
    std::optional<double> v = a.metric == "time"           ? p.median_ns
                              : a.metric == "instructions" ? p.ir_per_call
                                                           : p.peak_bytes;
    if (!v) continue;
    s.values.push_back(*v);
    s.fingerprints.push_back(p.fingerprint);
    s.points.push_back(p);
  }
  if (s.values.size() > static_cast<std::size_t>(a.last)) {
    const auto drop = static_cast<std::ptrdiff_t>(s.values.size() - static_cast<std::size_t>(a.last));
    s.values.erase(s.values.begin(), s.values.begin() + drop);
    s.fingerprints.erase(s.fingerprints.begin(), s.fingerprints.begin() + drop);
    s.points.erase(s.points.begin(), s.points.begin() + drop);
  }
  return s;
}

std::size_t distinct_count(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin());
}

// The table row of one series; its steps are added to `found`.
std::vector<std::string> trend_row(const std::string& key, const Series& s, const HistoryArgs& a,
                                   const history::StepOptions& options, std::vector<history::SeriesStep>& found) {
  std::string steps_text;
  for (const auto& step : history::detect_steps(s.values, s.fingerprints, options)) {
    const auto& p = s.points[step.index];
    steps_text +=
        (steps_text.empty() ? "" : ", ") + format_signed_pct(step.change_pct) + " at " + p.commit.substr(0, 10);
    found.push_back({key, p, s.fingerprints[step.index - 1], step});
  }
  const std::string change = format_signed_pct((s.values.back() / s.values.front() - 1.0) * 100.0);
  return {key,
          std::to_string(s.values.size()),
          value_text(a.metric, s.values.front()),
          value_text(a.metric, s.values.back()),
          change,
          sparkline(s.values),
          steps_text.empty() ? "-" : steps_text};
}

// One STEP line per step, labelled when the machine explains it; returns the steps it does not.
int print_steps(const std::vector<history::SeriesStep>& found, const std::string& metric) {
  int code_steps = 0;
  for (const auto& f : found) {
    const auto& s = f.step;
    std::string line = f.key + ": step " + format_signed_pct(s.change_pct) + " (" + value_text(metric, s.before) +
                       " -> " + value_text(metric, s.after) + ") at run " + std::to_string(f.at.run_id) + ", commit " +
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
  return code_steps;
}

// The trends as `kprof report` draws them: {"kind": "kprof-history", "schema_version": 1, "metric",
// "branch", "series": [{key, points: [{run_id, commit, created_utc, fingerprint, value}],
// steps: [{index, run_id, commit, before, after, change_pct, p_value, fingerprint_changed, machine_wide}]}]}.
nlohmann::json series_json(const std::string& key, const Series& s) {
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t i = 0; i < s.points.size(); ++i)
    points.push_back({{"run_id", s.points[i].run_id},
                      {"commit", s.points[i].commit},
                      {"created_utc", s.points[i].created_utc},
                      {"fingerprint", s.points[i].fingerprint},
                      {"value", s.values[i]}});
  return {{"key", key}, {"points", points}, {"steps", nlohmann::json::array()}};
}

void write_trends_json(const HistoryArgs& a, nlohmann::json series, const std::vector<history::SeriesStep>& found) {
  for (const auto& f : found)
    for (auto& one : series)
      if (one["key"] == f.key)
        one["steps"].push_back({{"index", f.step.index},
                                {"run_id", f.at.run_id},
                                {"commit", f.at.commit},
                                {"before", f.step.before},
                                {"after", f.step.after},
                                {"change_pct", f.step.change_pct},
                                {"p_value", f.step.p_value},
                                {"fingerprint_changed", f.step.fingerprint_changed},
                                {"machine_wide", f.step.machine_wide()}});
  const nlohmann::json doc = {{"kind", "kprof-history"}, {"schema_version", 1},          {"metric", a.metric},
                              {"branch", a.branch},      {"threshold_pct", a.threshold}, {"series", std::move(series)}};
  write_file_atomically(a.json_out, doc.dump(2) + "\n");
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
  nlohmann::json all_series = nlohmann::json::array();
  for (const auto& key : db.keys(a.branch)) {
    if (!selected(key, a.filters)) continue;
    const Series series = load_series(db, key, a);
    if (series.values.empty()) continue;
    for (const auto& p : series.points) ++benchmarks_per_run[p.run_id];
    machines = std::max(machines, distinct_count(series.fingerprints));
    t.rows.push_back(trend_row(key, series, a, step_options, found));
    all_series.push_back(series_json(key, series));
  }
  const std::string where = a.branch.empty() ? "" : " on branch " + a.branch;
  if (t.rows.empty()) {
    if (!a.json_out.empty()) write_trends_json(a, std::move(all_series), found);
    std::cout << "kprof history: no " << a.metric << " data" << where << " in " << db.path().string() << "\n";
    return 0;
  }
  std::cout << "kprof history: " << a.metric << " trends" << where << " (" << db.path().string() << ")\n";
  if (machines > 1)
    std::cout << "warning: the series mix " << machines
              << " machine fingerprints; figures from different machines or builds are not comparable\n";
  std::cout << "\n" << t.text();
  if (!found.empty()) std::cout << "\n";
  // Time on a shared machine moves with the machine; exact metrics (instructions, memory) move with
  // the code only, so a run-wide step there is still the code (a change in shared code, say).
  if (a.metric == "time") history::mark_run_wide_steps(found, benchmarks_per_run);
  if (!a.json_out.empty()) write_trends_json(a, std::move(all_series), found);
  const int code_steps = print_steps(found, a.metric);
  if (!a.fail_on_step || code_steps == 0) return kExitOk;
  std::cout << "kprof history: finding: " << code_steps << " step" << (code_steps == 1 ? "" : "s")
            << " not explained by a machine change (the STEP lines above)\n";
  return kExitFinding;
}

// Run documents of one build (fingerprint) and commit are one run of it: a `kprof run` and a
// `kprof callgrind` of the same build are merged (regress::merge_runs, section by typed section) so
// that its history has both figures. With --commit every document is of that commit.
struct RunGroup {
  std::vector<std::string> files;
  std::vector<Run> runs;
};

std::vector<RunGroup> group_by_build(const std::vector<std::string>& files, bool commit_given) {
  std::vector<RunGroup> groups;
  for (const auto& f : files) {
    Run run = read_run(f);
    auto same_build = [&](const RunGroup& g) {
      const Run& first = g.runs.front();
      return first.environment.fingerprint == run.environment.fingerprint &&
             (commit_given || first.git_commit == run.git_commit);
    };
    auto group = std::find_if(groups.begin(), groups.end(), same_build);
    if (group == groups.end()) group = groups.insert(groups.end(), RunGroup{});
    group->files.push_back(f);
    group->runs.push_back(std::move(run));
  }
  return groups;
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
    const std::vector<RunGroup> groups = group_by_build(a->files, !a->commit.empty());  // all read first
    history::HistoryDb db(db_path(*a));
    for (const RunGroup& group : groups) {
      const Run run = regress::merge_runs(group.runs, group.files);
      std::int64_t id = db.record(run, a->branch, a->commit);
      std::string files;
      for (const auto& f : group.files) files += (files.empty() ? "" : " + ") + f;
      std::cout << "recorded " << files << " as run " << id << " (branch " << a->branch << ", commit "
                << (a->commit.empty() ? run.git_commit : a->commit) << ", fingerprint " << run.environment.fingerprint
                << ")\n";
    }
  });

  CLI::App* list = sub->add_subcommand("runs", "List recorded runs, newest first");
  list->add_option("--branch", a->branch, "only this branch");
  list->add_option("--last", a->last, "at most this many")->capture_default_str()->check(CLI::Range(1, 1000000));
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
  trends->add_option("--json", a->json_out, "also write the series and their steps as JSON (kprof report draws them)");
  trends->callback([a, &ctx] { ctx.exit_code = show(*a); });
}

}  // namespace kprof::cli
