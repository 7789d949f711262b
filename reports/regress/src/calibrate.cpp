#include "kprof/regress/calibrate.h"

#include <set>

#include "kprof/reports/tables.h"

namespace kprof::regress {
namespace {

// The profile records the noise of one measurement, before any confirmation.
void record_changes(const Comparison& c, NoiseProfile& profile) {
  for (const auto& b : c.benchmarks) {
    auto& n = profile.benchmarks[b.key];
    for (const auto& f : b.findings) {
      if (f.metric == Metric::time) n.time_changes_pct.push_back(f.change_pct);
      if (f.metric == Metric::instructions) n.instr_changes_pct.push_back(f.change_pct);
    }
  }
}

// The alarms left in `c` (and the ones of `first_alarms` that confirmation dismissed) as lines.
void count_alarms(const Comparison& c, const std::set<std::string>& first_alarms, int run, Calibration& out) {
  const std::string prefix = "A/A run " + std::to_string(run) + ": ";
  for (const auto& b : c.benchmarks) {
    for (const auto& f : b.findings)
      if (f.verdict == Verdict::regression) {
        ++out.alarms;
        out.alarm_lines.push_back(prefix + b.key + ": " + f.explanation);
      }
    if (first_alarms.count(b.key) && !b.has_regression())
      for (const auto& f : b.findings)
        if (f.metric == Metric::time) out.alarm_lines.push_back(prefix + b.key + ": dismissed: " + f.explanation);
  }
}

}  // namespace

Calibration calibrate(BenchmarkRunner& runner, const std::string& binary, const MeasureOptions& options,
                      CompareOptions compare, int comparisons, bool confirm) {
  Calibration out;
  out.comparisons = comparisons;
  out.profile.alternations = options.alternations;
  compare.paired = true;  // exactly as the gate compares two binaries
  MeasureOptions quiet = options;
  quiet.progress = nullptr;  // one line per A/A comparison, not per alternation
  const Binaries same{binary, binary};
  for (int i = 0; i < comparisons; ++i) {
    Sides s = measure_binaries(runner, same, quiet);
    out.profile.fingerprint = s.current.environment.fingerprint;
    out.profile.created_utc = s.current.created_utc;
    Comparison c = compare_runs(s.baseline, s.current, compare, "A", "A'");
    record_changes(c, out.profile);
    std::set<std::string> first_alarms;
    for (const auto& b : c.benchmarks)
      if (b.has_regression()) first_alarms.insert(b.key);
    if (confirm) out.dismissed += confirm_time_alarms(runner, same, quiet, compare, s, c);
    count_alarms(c, first_alarms, i + 1, out);
    if (options.progress)
      options.progress("A/A comparison " + std::to_string(i + 1) + "/" + std::to_string(comparisons) + " done");
  }
  finalize(out.profile);
  return out;
}

std::string calibration_text(const Calibration& c, const std::string& binary, bool confirm) {
  Table t;
  t.header = {"benchmark", "A/A runs", "time max |change|", "time detectable (<=1/20)", "instr detectable"};
  t.left_aligned = {true};
  for (const auto& [key, n] : c.profile.benchmarks)
    t.rows.push_back({key, std::to_string(n.comparisons), format_fixed(n.time_max_abs_pct, 2) + "%",
                      format_fixed(n.time_detectable_pct, 1) + "%",
                      n.instr_changes_pct.empty() ? "-" : format_fixed(n.instr_detectable_pct, 2) + "%"});
  std::string out = "kprof regress --aa: " + std::to_string(c.comparisons) + " A/A comparisons of " + binary +
                    " against itself (" + std::to_string(c.profile.alternations) + " alternations each)\n\n" +
                    t.text() + "\nfalse alarms at the thresholds in force: " + std::to_string(c.alarms) + " of " +
                    std::to_string(c.comparisons) + "\n";
  if (confirm)
    out += "wall-time alarms of one measurement that a re-measurement did not confirm: " + std::to_string(c.dismissed) +
           "\n";
  for (const auto& l : c.alarm_lines) out += "  " + l + "\n";
  return out;
}

}  // namespace kprof::regress
