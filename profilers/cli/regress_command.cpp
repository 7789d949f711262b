// `kprof regress`: the CI gate. Compares a current run with a baseline (saved Run documents, the
// history database, or two binaries run alternately on this machine), explains every change, and
// exits 1 on regression, 0 when clean, 2 on bad input, 3 when a binary fails. `--aa N` calibrates
// the noise instead. This file parses options; how two binaries are measured is in
// kprof/regress/measure.h, the A/A calibration in kprof/regress/calibrate.h.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/history/history.h"
#include "kprof/regress/calibrate.h"
#include "kprof/regress/compare.h"
#include "kprof/regress/measure.h"
#include "kprof/regress/noise.h"
#include "kprof/regress/process_runner.h"
#include "kprof/regress/render.h"
#include "kprof/reports/run_json.h"

namespace kprof::cli {
namespace {

namespace fs = std::filesystem;
using regress::CompareOptions;
using regress::Comparison;

struct RegressArgs {
  std::vector<std::string> baseline_files, current_files;
  bool baseline_db = false;
  std::string baseline_branch = "main";
  std::string baseline_bin, current_bin;
  regress::MeasureOptions measure;  // binary mode: filters, sizes, dtype, rounds, alternations, collect
  int aa = 0;
  std::string noise_file, noise_out;
  double time_threshold = CompareOptions{}.time_threshold_pct, instr_threshold = 0.5, mem_threshold = 0.5, alpha = 0.05;
  std::string on_mismatch = "warn";
  std::string markdown, junit, json_out;
  bool annotations = false, no_annotations = false;
  std::string db;
  bool record = false;
  std::string branch;
  bool quiet = false;
  bool no_confirm = false;  // report wall-time alarms from one measurement (confirm.h)

  bool binary_mode() const { return !baseline_bin.empty() || !current_bin.empty(); }
};

void add_input_options(CLI::App& sub, RegressArgs& a) {
  sub.add_option("filters", a.measure.filters, "benchmarks to run in binary mode (family, family/variant ...)");
  sub.add_option("-b,--baseline", a.baseline_files, "baseline Run JSON (repeatable: run + callgrind + mem)");
  sub.add_flag("--baseline-db", a.baseline_db, "baseline: newest run of --baseline-branch in the history database");
  sub.add_option("--baseline-branch", a.baseline_branch, "branch for --baseline-db")->capture_default_str();
  sub.add_option("-c,--current", a.current_files, "current Run JSON (repeatable)");
  sub.add_option("--baseline-bin", a.baseline_bin, "kprof binary of the baseline build (binary mode)");
  sub.add_option("--current-bin", a.current_bin, "kprof binary of the current build (binary mode)");
  sub.add_option("--db", a.db, "history database (default $KPROF_HISTORY_DB or ~/.local/share/kprof/history.sqlite)");
}

void add_measure_options(CLI::App& sub, RegressArgs& a) {
  regress::MeasureOptions& m = a.measure;
  sub.add_option("-s,--size", m.sizes, "sizes for binary mode (repeatable)");
  sub.add_option("-t,--dtype", m.dtype, "f32, f64 or both (binary mode)");
  sub.add_option("--rounds", m.rounds, "rounds per `run` invocation")
      ->capture_default_str()
      ->check(CLI::Range(1, 1001));
  sub.add_option("--min-time-ms", m.min_time_ms, "batch duration per round")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 60000.0));
  sub.add_option("--alternations", m.alternations, "invocations of each binary, alternating ABBA")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sub.add_option("--collect", m.collect, "also run these subcommands once per binary: callgrind, mem")
      ->check(CLI::IsMember({"callgrind", "mem"}));
  sub.add_option("--aa", a.aa, "noise calibration: N A/A comparisons of --current-bin against itself")
      ->check(CLI::Range(1, 1000));
  sub.add_option("--noise", a.noise_file, "noise profile (from --aa --noise-out) setting the default thresholds");
  sub.add_option("--noise-out", a.noise_out, "where --aa writes the noise profile");
  sub.add_flag("--no-confirm", a.no_confirm,
               "binary mode: alert on a wall-time regression of one measurement, without measuring it again");
}

void add_threshold_options(CLI::App& sub, RegressArgs& a) {
  sub.add_option("--time-threshold", a.time_threshold, "wall-time threshold in % (never below calibrated noise)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  sub.add_option("--instr-threshold", a.instr_threshold, "instruction-count threshold in %")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  sub.add_option("--mem-threshold", a.mem_threshold, "peak/allocated bytes threshold in %")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  sub.add_option("--alpha", a.alpha, "significance level of the rank test")
      ->capture_default_str()
      ->check(CLI::Range(1e-6, 0.5));
  sub.add_option("--on-mismatch", a.on_mismatch, "different machine fingerprints: warn or refuse")
      ->capture_default_str()
      ->check(CLI::IsMember({"warn", "refuse"}));
}

void add_output_options(CLI::App& sub, RegressArgs& a) {
  sub.add_option("--markdown", a.markdown, "write a Markdown summary (CI step summary, PR comment)");
  sub.add_option("--junit", a.junit, "write JUnit XML");
  sub.add_option("--json", a.json_out, "write the comparison as JSON");
  sub.add_flag("--annotations", a.annotations, "print ::error/::warning lines (default on when GITHUB_ACTIONS=true)");
  sub.add_flag("--no-annotations", a.no_annotations, "never print GitHub annotations");
  sub.add_flag("--record", a.record, "record the current run in the history database (needs --branch)");
  sub.add_option("--branch", a.branch, "branch of the current run, for --record");
  sub.add_flag("-q,--quiet", a.quiet, "no progress lines on stderr");
}

// Every input is checked before minutes of measuring.
void validate(const RegressArgs& a) {
  if (a.aa > 0) {
    if (!a.binary_mode()) throw UsageError("--aa needs the binary to calibrate: --current-bin PATH");
  } else if (a.binary_mode()) {
    if (!a.measure.collect.empty() && a.measure.filters.empty())
      throw UsageError("--collect needs the benchmarks to profile: give filters such as family/variant");
    if (a.baseline_bin.empty() || a.current_bin.empty())
      throw UsageError("binary mode needs both --baseline-bin and --current-bin");
    if (!a.baseline_files.empty() || !a.current_files.empty() || a.baseline_db)
      throw UsageError("give either binaries (--baseline-bin/--current-bin) or run documents, not both");
  } else {
    if (a.current_files.empty()) throw UsageError("nothing to compare: give --current RUN.json (or binaries)");
    if (a.baseline_files.empty() && !a.baseline_db)
      throw UsageError("no baseline: give --baseline RUN.json or --baseline-db");
    if (!a.baseline_files.empty() && a.baseline_db)
      throw UsageError("give either --baseline files or --baseline-db, not both");
  }
  for (const auto* bin : {&a.baseline_bin, &a.current_bin})
    if (!bin->empty() && ::access(bin->c_str(), X_OK) != 0) throw UsageError(*bin + ": not an executable kprof binary");
  if (a.record && a.branch.empty()) throw UsageError("--record needs --branch NAME");
  for (const auto* out : {&a.markdown, &a.junit, &a.json_out, &a.noise_out})
    if (!out->empty()) ensure_writable_dir(fs::absolute(*out).parent_path());
}

CompareOptions compare_options(const RegressArgs& a, const CLI::App& sub, const regress::NoiseProfile* noise) {
  CompareOptions o;
  o.time_threshold_pct = a.time_threshold;
  o.time_threshold_given = sub.count("--time-threshold") > 0;
  o.instr_threshold_pct = a.instr_threshold;
  o.memory_threshold_pct = a.mem_threshold;
  o.alpha = a.alpha;
  o.noise = noise;
  o.refuse_mismatch = a.on_mismatch == "refuse";
  return o;
}

// One side of the comparison with where it came from, for every output.
struct Side {
  Run run;
  std::string source;
};

Side read_side(const std::vector<std::string>& files) {
  std::vector<Run> runs;
  std::string source;
  for (const auto& f : files) {
    runs.push_back(read_run(f));
    source += (source.empty() ? "" : " + ") + f;
  }
  return {regress::merge_runs(runs, files), source};
}

// The newest run of the baseline branch, measured on this machine if there is one.
Side baseline_from_history(const RegressArgs& a, const Run& current) {
  history::HistoryDb db(a.db.empty() ? history::default_history_path() : fs::path(a.db));
  auto same = db.runs(a.baseline_branch, current.environment.fingerprint, 1);
  auto any = same.empty() ? db.runs(a.baseline_branch, "", 1) : same;
  if (any.empty())
    throw UsageError(db.path().string() + ": no recorded run on branch '" + a.baseline_branch +
                     "' to use as the baseline (record one with `kprof history record --branch " + a.baseline_branch +
                     "`)");
  return {db.load(any.front().id), db.path().string() + " run " + std::to_string(any.front().id) + " (" +
                                       a.baseline_branch + " @ " + any.front().commit.substr(0, 12) + ")"};
}

void emit(const Comparison& c, const RegressArgs& a) {
  std::cout << regress::render_text(c);
  const char* gha = std::getenv("GITHUB_ACTIONS");
  if (a.annotations || (gha && std::string(gha) == "true" && !a.no_annotations))
    std::cout << regress::render_annotations(c);
  if (!a.markdown.empty()) write_file_atomically(a.markdown, regress::render_markdown(c));
  if (!a.junit.empty()) write_file_atomically(a.junit, regress::render_junit(c));
  if (!a.json_out.empty()) write_file_atomically(a.json_out, regress::to_json(c).dump(2) + "\n");
}

void record_current(const RegressArgs& a, const Run& current) {
  history::HistoryDb db(a.db.empty() ? history::default_history_path() : fs::path(a.db));
  std::int64_t id = db.record(current, a.branch);
  if (!a.quiet) std::cerr << "kprof: recorded the current run as run " << id << " in " << db.path().string() << "\n";
}

// `--aa N`: the binary against itself; exits 1 if the thresholds in force raised any alarm.
int calibrate(const RegressArgs& a, const CompareOptions& compare, const std::string& command_line,
              regress::BenchmarkRunner& runner) {
  const std::string bin = !a.current_bin.empty() ? a.current_bin : a.baseline_bin;
  regress::Calibration c = regress::calibrate(runner, bin, a.measure, compare, a.aa, !a.no_confirm);
  c.profile.command = command_line;
  std::cout << regress::calibration_text(c, bin, !a.no_confirm);
  if (!a.noise_out.empty()) {
    regress::write_noise(a.noise_out, c.profile);
    if (!a.quiet) std::cerr << "kprof: wrote " << a.noise_out << "\n";
  }
  return c.alarms > 0 ? kExitFinding : kExitOk;
}

// Compares the two sides (measured, read or looked up), confirms wall-time alarms when the
// binaries can be run again, writes every output; exits 1 on a regression.
int gate(const RegressArgs& a, CompareOptions options, regress::BenchmarkRunner& runner) {
  Side baseline, current;
  const regress::Binaries bins{a.baseline_bin, a.current_bin};
  if (a.binary_mode()) {
    regress::Sides s = regress::measure_binaries(runner, bins, a.measure);
    baseline = {std::move(s.baseline), a.baseline_bin};
    current = {std::move(s.current), a.current_bin};
  } else {
    current = read_side(a.current_files);
    baseline = a.baseline_db ? baseline_from_history(a, current.run) : read_side(a.baseline_files);
  }
  options.paired = a.binary_mode();
  Comparison c = regress::compare_runs(baseline.run, current.run, options, baseline.source, current.source);
  if (a.binary_mode() && !a.no_confirm)
    regress::confirm_time_alarms(runner, bins, a.measure, options, regress::Sides{baseline.run, current.run}, c);
  emit(c, a);
  if (a.record) record_current(a, current.run);
  return c.regressions() > 0 ? kExitFinding : kExitOk;
}

}  // namespace

void add_regress_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<RegressArgs>();
  CLI::App* sub = app.add_subcommand(
      "regress", "Gate a change: compare a current run with a baseline on time, instructions, memory and correctness");
  add_input_options(*sub, *a);
  add_measure_options(*sub, *a);
  add_threshold_options(*sub, *a);
  add_output_options(*sub, *a);
  sub->callback([a, sub, &ctx] {
    validate(*a);
    std::unique_ptr<regress::NoiseProfile> noise;
    if (!a->noise_file.empty()) noise = std::make_unique<regress::NoiseProfile>(regress::read_noise(a->noise_file));
    if (!a->quiet)
      a->measure.progress = [](const std::string& line) { std::cerr << "kprof regress: " << line << "\n"; };
    const bool runs_binaries = a->binary_mode() || a->aa > 0;
    const fs::path scratch = runs_binaries ? make_scratch_dir("kprof-regress-") : fs::path();
    RemoveOnExit cleanup;
    if (runs_binaries) cleanup.add(scratch);
    regress::ProcessBenchmarkRunner runner(scratch);
    const CompareOptions options = compare_options(*a, *sub, noise.get());
    ctx.exit_code = a->aa > 0 ? calibrate(*a, options, ctx.command_line, runner) : gate(*a, options, runner);
  });
}

}  // namespace kprof::cli
