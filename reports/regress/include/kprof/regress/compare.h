#pragma once
// Comparison of a current run with a baseline, benchmark by benchmark (family/variant/dtype/size),
// on every metric the Run documents carry: wall time (rank test + bootstrap CI against a threshold
// no lower than the measured noise), instructions from the callgrind section, peak memory and
// allocations from the memory section (both exact), and correctness against the family tolerance.
// Every finding carries a sentence that explains it; renderers (render.h) only format them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kprof/regress/noise.h"
#include "kprof/run.h"

namespace kprof::regress {

enum class Metric { time, instructions, peak_memory, allocated_bytes, allocations, correctness };
std::string_view to_string(Metric m);

enum class Verdict { regression, improvement, unchanged, inconclusive };
std::string_view to_string(Verdict v);

struct Finding {
  Metric metric = Metric::time;
  Verdict verdict = Verdict::unchanged;
  double baseline = 0;  // per call: ns, instructions, bytes, allocations; or max relative error
  double current = 0;
  double change_pct = 0;             // (current/baseline - 1) * 100
  double threshold_pct = 0;          // what a change must exceed to count
  std::string threshold_source;      // "default", "--time-threshold", "noise calibration (...)"
  std::optional<double> p_value;     // time only: one-sided Mann-Whitney p
  std::optional<double> ci_low_pct;  // time only: bootstrap CI of the change, percent
  std::optional<double> ci_high_pct;
  std::string measurement;           // time only: "wall time A -> B per call (change, CI, p, samples)"
  std::string explanation;           // one sentence a developer can act on
  std::vector<std::string> details;  // what grew: functions/lines, allocation sites
  // instructions only: the two callgrind files compared (for a differential flame graph), as the
  // sections name them, with the kernel calls each holds.
  struct Profiles {
    std::string baseline_file, current_file;
    std::int64_t baseline_iterations = 1, current_iterations = 1;
  };
  std::optional<Profiles> profiles;
};

struct BenchmarkComparison {
  std::string key;  // Result::key()
  std::string family, variant, dtype, size;
  bool is_new = false;  // in the current run only: reported, never an alert
  bool code_path_changed = false;
  std::vector<Finding> findings;
  std::vector<std::string> notes;  // cross-metric observations (instructions flat but time worse ...)
  bool has_regression() const;
};

// Wall time across a whole suite: the geometric mean of current/baseline over the benchmarks whose
// time was compared (what Google Benchmark's compare.py calls OVERALL_GEOMEAN), one figure that a
// per-benchmark threshold does not give: many small slowdowns add up.
struct SuiteTime {
  int benchmarks = 0;
  double geomean_ratio = 1;  // 1.05: the suite takes 5% longer
  double change_pct() const { return (geomean_ratio - 1.0) * 100.0; }
};

struct Comparison {
  std::string baseline_source, current_source;
  std::string baseline_commit, current_commit;
  bool paired = false;  // time samples are interleaved runs of two binaries
  std::vector<BenchmarkComparison> benchmarks;
  std::vector<std::string> removed;   // keys in the baseline only
  std::vector<std::string> warnings;  // fingerprint mismatch, unreliable environment ...
  int regressions() const;
  int improvements() const;
  // Over each benchmark's time finding (its change as the table shows it); nullopt below two.
  std::optional<SuiteTime> suite_time() const;
};

struct CompareOptions {
  // Floor for wall time, raised per benchmark by a noise profile. 10%: the A/A noise measured on the
  // shared 2-core VM (docs/REGRESS.md, "Measured on this machine"); 5% alarmed on unchanged code there.
  double time_threshold_pct = 10.0;
  bool time_threshold_given = false;  // set on the command line (still never below measured noise)
  double instr_threshold_pct = 0.5;
  double memory_threshold_pct = 0.5;  // peak and allocated bytes per call
  double min_memory_bytes = 1024;     // smaller absolute growth is never an alert
  double alpha = 0.05;                // significance for the rank test
  // Runs built from interleaved invocations carry a PairedMediansSection (kprof/sections/paired_medians.h):
  // with `paired` the change is the median of per-pair ratios and the rank test compares the
  // invocation medians.
  bool paired = false;
  const NoiseProfile* noise = nullptr;
  // "warn" (default) or "refuse" when fingerprints differ; refuse throws UsageError (exit 2).
  bool refuse_mismatch = false;
};

// The cross-metric notes of a benchmark ("metrics disagree: ..."), re-derived from its findings:
// compare_runs adds them, and a confirmation that changes a time verdict (confirm.h) renews them.
void update_metric_notes(BenchmarkComparison& bc);

// Runs are compared as given (sections included). Sources name the inputs in messages.
Comparison compare_runs(const Run& baseline, const Run& current, const CompareOptions& options,
                        const std::string& baseline_source, const std::string& current_source);

// Several Run documents of one build (a `kprof run`, a `kprof callgrind`, a `kprof mem`) merged
// into one: results by key (later time samples appended), sections as merge_sections (kprof/sections.h).
// The first run's environment wins; a different fingerprint among them throws UsageError.
Run merge_runs(const std::vector<Run>& runs, const std::vector<std::string>& sources);

}  // namespace kprof::regress
