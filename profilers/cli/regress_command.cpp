// `kprof regress`: the CI gate. Compares a current run with a baseline (saved Run documents, the
// history database, or two binaries run alternately on this machine), explains every change, and
// exits 1 on regression, 0 when clean, 2 on bad input. `--aa N` calibrates the noise instead.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "commands.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/history/history.h"
#include "kprof/regress/compare.h"
#include "kprof/regress/confirm.h"
#include "kprof/regress/noise.h"
#include "kprof/regress/render.h"
#include "kprof/regress/stats.h"
#include "kprof/reports/run_json.h"
#include "kprof/reports/tables.h"
#include "kprof/sections/paired_medians.h"
#include "kprof/stats.h"

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
  std::vector<std::string> filters, sizes;
  std::string dtype;
  int rounds = 5;
  double min_time_ms = 10;
  // 7 ABBA pairs: one pair spoiled by a load spike still leaves the rank test below 0.05 (with 5,
  // 1 of 10 injected +20% slowdowns went unflagged that way; docs/REGRESS.md).
  int alternations = 7;
  int aa = 0;
  std::string noise_file, noise_out;
  double time_threshold = CompareOptions{}.time_threshold_pct, instr_threshold = 0.5, mem_threshold = 0.5, alpha = 0.05;
  std::string on_mismatch = "warn";
  std::string markdown, junit, json_out;
  bool annotations = false, no_annotations = false;
  std::string db;
  bool record = false;
  std::string branch;
  std::vector<std::string> collect;  // extra subcommands run once per binary: callgrind, mem
  bool quiet = false;
  bool no_confirm = false;  // report wall-time alarms from one measurement (confirm.h)
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string last_line(const fs::path& file) {
  std::string errors;
  try {
    errors = read_file(file);
  } catch (const UsageError&) {
  }
  while (!errors.empty() && errors.back() == '\n') errors.pop_back();
  if (auto nl = errors.rfind('\n'); nl != std::string::npos) errors = errors.substr(nl + 1);
  return errors;
}

// Runs one command of a kprof binary; exit 1 (a wrong variant) still yields a document, anything
// else is bad input naming the binary and its last error line. Returns the parsed Run from
// `document` (stdout when empty).
Run invoke_command(const std::string& bin, const std::string& args, const std::string& label, const fs::path& scratch,
                   const fs::path& document = {}) {
  static int counter = 0;
  const fs::path out = scratch / ("out" + std::to_string(counter) + ".json");
  const fs::path err = scratch / ("err" + std::to_string(counter++) + ".txt");
  std::string cmd = shell_quote(bin) + " " + args + " >" + shell_quote(out.string()) + " 2>" +
                    shell_quote(err.string()) + " </dev/null";
  int status = std::system(cmd.c_str());
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  const std::string errors = last_line(err);
  if (code != 0 && code != 1)
    throw UsageError(label + " (" + bin + " " + args + ") exited with " + std::to_string(code) +
                     (errors.empty() ? "" : ": " + errors));
  const fs::path source = document.empty() ? out : document;
  std::string text = read_file(source);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw UsageError(label + " (" + bin + " " + args + ") gave no valid Run JSON at byte " + std::to_string(e.byte) +
                     (errors.empty() ? "" : ": " + errors));
  }
  return run_from_json(j, label);
}

std::string selection_args(const RegressArgs& a) {
  std::string s;
  for (const auto& f : a.filters) s += " " + shell_quote(f);
  return s;
}

// `<bin> run --format json` with the timing options.
Run invoke_run(const std::string& bin, const RegressArgs& a, const std::string& label, const fs::path& scratch) {
  std::string args = "run --format json -q" + selection_args(a);
  for (const auto& s : a.sizes) args += " -s " + shell_quote(s);
  if (!a.dtype.empty()) args += " -t " + shell_quote(a.dtype);
  args += " --rounds " + std::to_string(a.rounds) + " --min-time-ms " + std::to_string(a.min_time_ms);
  return invoke_command(bin, args, label, scratch);
}

// `kprof mem` / `kprof callgrind` take one size and one dtype: one invocation per combination and
// per filter, merged. Their Run documents are read from the -o folder they write.
Run invoke_profiler(const std::string& bin, const std::string& sub, const RegressArgs& a, const std::string& label,
                    const fs::path& scratch) {
  std::vector<std::string> dtypes =
      a.dtype.empty() || a.dtype == "both" ? std::vector<std::string>{"f64", "f32"} : std::vector<std::string>{a.dtype};
  std::vector<std::string> sizes = a.sizes.empty() ? std::vector<std::string>{""} : a.sizes;
  std::vector<Run> runs;
  std::vector<std::string> sources;
  static int counter = 0;
  for (const auto& filter : a.filters)
    for (const auto& size : sizes)
      for (const auto& dtype : dtypes) {
        const fs::path dir = scratch / (sub + std::to_string(counter++));
        std::string args = sub + " -q " + shell_quote(filter) + " -t " + dtype + " -o " + shell_quote(dir.string());
        if (!size.empty()) args += " -s " + shell_quote(size);
        if (sub == "callgrind") args += " --compare";
        if (sub == "mem") args += " -f none";
        runs.push_back(
            invoke_command(bin, args, label, scratch, dir / (sub == "mem" ? "memory.json" : "callgrind.json")));
        sources.push_back(label);
      }
  return regress::merge_runs(runs, sources);
}

// One side of an interleaved comparison: the rounds of every invocation pooled (the run's summary)
// and each invocation's median in alternation order (sample i of both sides was measured back to
// back: the samples of the paired estimate and of the rank test).
Run combine_invocations(const std::vector<Run>& runs) {
  Run out = runs.front();
  PairedMediansSection paired;
  for (Result& r : out.results) {
    if (r.status != Status::ok) continue;
    std::vector<double> medians, pooled;
    for (const Run& run : runs)
      for (const Result& x : run.results)
        if (x.key() == r.key() && x.status == Status::ok && !x.time.round_ns.empty()) {
          medians.push_back(median(x.time.round_ns));
          pooled.insert(pooled.end(), x.time.round_ns.begin(), x.time.round_ns.end());
        }
    if (medians.size() != runs.size()) continue;  // a variant that failed once is compared on its first run only
    r.time.round_ns = pooled;
    r.time.median_ns = median(pooled);
    paired.medians[r.key()] = medians;
  }
  out.set_section(paired);
  for (const Run& run : runs)
    for (const Result& x : run.results)
      if (x.status == Status::wrong || x.status == Status::failed)
        for (Result& r : out.results)
          if (r.key() == x.key()) r = x;  // one wrong answer is enough to fail
  return out;
}

struct Sides {
  Run baseline, current;
};

Sides run_binaries(const std::string& base_bin, const std::string& cur_bin, const RegressArgs& a,
                   const fs::path& scratch, bool log, bool current_first = false) {
  std::vector<Run> base, cur;
  for (int i = 0; i < a.alternations; ++i) {
    // ABBA order: slow drift of the machine (thermal, other jobs) hits both sides equally.
    const bool base_first = (i % 2 == 0) != current_first;
    for (int k = 0; k < 2; ++k) {
      const bool is_base = (k == 0) == base_first;
      const std::string label = std::string(is_base ? "baseline" : "current") + " run " + std::to_string(i + 1);
      (is_base ? base : cur).push_back(invoke_run(is_base ? base_bin : cur_bin, a, label, scratch));
    }
    if (log) std::cerr << "kprof regress: alternation " << i + 1 << "/" << a.alternations << " done\n";
  }
  Sides s{combine_invocations(base), combine_invocations(cur)};
  for (const auto& sub : a.collect) {
    std::vector<Run> b = {s.baseline, invoke_profiler(base_bin, sub, a, "baseline " + sub, scratch)};
    std::vector<Run> c = {s.current, invoke_profiler(cur_bin, sub, a, "current " + sub, scratch)};
    s.baseline = regress::merge_runs(b, {"baseline run", "baseline " + sub});
    s.current = regress::merge_runs(c, {"current run", "current " + sub});
  }
  return s;
}

// Measures the wall-time suspects of `gate` a second time (confirm.h): fresh alternations of the two
// binaries for those benchmarks only, twice as many as the first measurement, starting with the
// current build so that a disturbance tied to the order cannot repeat, one measurement per size and
// dtype. Returns the alarms not confirmed.
int confirm_time_alarms(Comparison& gate, const Sides& first, const std::string& base_bin, const std::string& cur_bin,
                        const RegressArgs& a, const CompareOptions& options, const fs::path& scratch, bool log) {
  const std::vector<std::string> suspects = regress::time_suspects(gate);
  if (suspects.empty()) return 0;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;  // (size, dtype) -> filters
  for (const auto& key : suspects)
    for (const auto& bc : gate.benchmarks)
      if (bc.key == key) groups[{bc.size, bc.dtype}].push_back(bc.family + "/" + bc.variant);
  if (log)
    std::cerr << "kprof regress: measuring " << suspects.size() << " wall-time suspect"
              << (suspects.size() == 1 ? "" : "s") << " again to confirm\n";
  int dismissed = 0;
  for (const auto& [where, filters] : groups) {
    RegressArgs again = a;
    // Twice the alternations: the re-measurement decides alone whether the alarm stands, so it
    // should miss a real slowdown less often than one measurement and be spoiled by a burst of
    // load less easily (docs/REGRESS.md measured both).
    again.alternations = 2 * a.alternations;
    again.filters = filters;
    again.sizes = {where.first};
    again.dtype = where.second;
    again.collect.clear();
    Sides s = run_binaries(base_bin, cur_bin, again, scratch, false, /*current_first=*/true);
    Comparison rerun = regress::compare_runs(s.baseline, s.current, options, gate.baseline_source, gate.current_source);
    Comparison pooled = regress::compare_runs(regress::pool_time_samples(first.baseline, s.baseline),
                                              regress::pool_time_samples(first.current, s.current), options,
                                              gate.baseline_source, gate.current_source);
    dismissed += regress::apply_confirmation(gate, rerun, pooled, options.alpha);
  }
  return dismissed;
}

Run read_side(const std::vector<std::string>& files) {
  std::vector<Run> runs;
  for (const auto& f : files) runs.push_back(read_run(f));
  return regress::merge_runs(runs, files);
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " + ") + x;
  return s;
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

void emit(const Comparison& c, const RegressArgs& a) {
  std::cout << regress::render_text(c);
  const char* gha = std::getenv("GITHUB_ACTIONS");
  if (a.annotations || (gha && std::string(gha) == "true" && !a.no_annotations))
    std::cout << regress::render_annotations(c);
  if (!a.markdown.empty()) write_file_atomically(a.markdown, regress::render_markdown(c));
  if (!a.junit.empty()) write_file_atomically(a.junit, regress::render_junit(c));
  if (!a.json_out.empty()) write_file_atomically(a.json_out, regress::to_json(c).dump(2) + "\n");
}

// A/A: the binary against itself, `aa` times. Records every change to derive thresholds, and counts
// the alerts the gate would raise at the thresholds in force (a calibrated gate raises none).
int calibrate(const RegressArgs& a, const CLI::App& sub, Context& ctx, const fs::path& scratch) {
  const std::string bin = !a.current_bin.empty() ? a.current_bin : a.baseline_bin;
  regress::NoiseProfile profile;
  profile.command = ctx.command_line;
  profile.alternations = a.alternations;
  std::unique_ptr<regress::NoiseProfile> noise;
  if (!a.noise_file.empty()) noise = std::make_unique<regress::NoiseProfile>(regress::read_noise(a.noise_file));
  int alarms = 0, dismissed = 0;
  std::vector<std::string> alarm_lines;
  for (int i = 0; i < a.aa; ++i) {
    Sides s = run_binaries(bin, bin, a, scratch, false);
    profile.fingerprint = s.current.environment.fingerprint;
    profile.created_utc = s.current.created_utc;
    CompareOptions options = compare_options(a, sub, noise.get());
    options.paired = true;  // exactly as the gate compares two binaries
    Comparison c = regress::compare_runs(s.baseline, s.current, options, "A", "A'");
    // The profile records the noise of one measurement, before any confirmation.
    for (const auto& b : c.benchmarks) {
      auto& n = profile.benchmarks[b.key];
      for (const auto& f : b.findings) {
        if (f.metric == regress::Metric::time) n.time_changes_pct.push_back(f.change_pct);
        if (f.metric == regress::Metric::instructions) n.instr_changes_pct.push_back(f.change_pct);
      }
    }
    std::set<std::string> first_alarms;
    for (const auto& b : c.benchmarks)
      if (b.has_regression()) first_alarms.insert(b.key);
    if (!a.no_confirm) dismissed += confirm_time_alarms(c, s, bin, bin, a, options, scratch, false);
    const std::string run = "A/A run " + std::to_string(i + 1) + ": ";
    for (const auto& b : c.benchmarks) {
      for (const auto& f : b.findings)
        if (f.verdict == regress::Verdict::regression) {
          ++alarms;
          alarm_lines.push_back(run + b.key + ": " + f.explanation);
        }
      if (first_alarms.count(b.key) && !b.has_regression())
        for (const auto& f : b.findings)
          if (f.metric == regress::Metric::time) alarm_lines.push_back(run + b.key + ": dismissed: " + f.explanation);
    }
    if (!a.quiet) std::cerr << "kprof regress: A/A comparison " << i + 1 << "/" << a.aa << " done\n";
  }
  regress::finalize(profile);
  Table t;
  t.header = {"benchmark", "A/A runs", "time max |change|", "time detectable (<=1/20)", "instr detectable"};
  t.left_aligned = {true};
  for (const auto& [key, n] : profile.benchmarks)
    t.rows.push_back({key, std::to_string(n.comparisons), format_fixed(n.time_max_abs_pct, 2) + "%",
                      format_fixed(n.time_detectable_pct, 1) + "%",
                      n.instr_changes_pct.empty() ? "-" : format_fixed(n.instr_detectable_pct, 2) + "%"});
  std::cout << "kprof regress --aa: " << a.aa << " A/A comparisons of " << bin << " against itself (" << a.alternations
            << " alternations each)\n\n"
            << t.text() << "\nfalse alarms at the thresholds in force: " << alarms << " of " << a.aa << "\n";
  if (!a.no_confirm)
    std::cout << "wall-time alarms of one measurement that a re-measurement did not confirm: " << dismissed << "\n";
  for (const auto& l : alarm_lines) std::cout << "  " << l << "\n";
  if (!a.noise_out.empty()) {
    regress::write_noise(a.noise_out, profile);
    if (!a.quiet) std::cerr << "kprof: wrote " << a.noise_out << "\n";
  }
  return alarms > 0 ? 1 : 0;
}

}  // namespace

void add_regress_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<RegressArgs>();
  CLI::App* sub = app.add_subcommand(
      "regress", "Gate a change: compare a current run with a baseline on time, instructions, memory and correctness");
  sub->add_option("filters", a->filters, "benchmarks to run in binary mode (family, family/variant ...)");
  sub->add_option("-b,--baseline", a->baseline_files, "baseline Run JSON (repeatable: run + callgrind + mem)");
  sub->add_flag("--baseline-db", a->baseline_db, "baseline: newest run of --baseline-branch in the history database");
  sub->add_option("--baseline-branch", a->baseline_branch, "branch for --baseline-db")->capture_default_str();
  sub->add_option("-c,--current", a->current_files, "current Run JSON (repeatable)");
  sub->add_option("--baseline-bin", a->baseline_bin, "kprof binary of the baseline build (binary mode)");
  sub->add_option("--current-bin", a->current_bin, "kprof binary of the current build (binary mode)");
  sub->add_option("-s,--size", a->sizes, "sizes for binary mode (repeatable)");
  sub->add_option("-t,--dtype", a->dtype, "f32, f64 or both (binary mode)");
  sub->add_option("--rounds", a->rounds, "rounds per `run` invocation")
      ->capture_default_str()
      ->check(CLI::Range(1, 1001));
  sub->add_option("--min-time-ms", a->min_time_ms, "batch duration per round")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 60000.0));
  sub->add_option("--alternations", a->alternations, "invocations of each binary, alternating ABBA")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  sub->add_option("--collect", a->collect, "also run these subcommands once per binary: callgrind, mem")
      ->check(CLI::IsMember({"callgrind", "mem"}));
  sub->add_option("--aa", a->aa, "noise calibration: N A/A comparisons of --current-bin against itself")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--noise", a->noise_file, "noise profile (from --aa --noise-out) setting the default thresholds");
  sub->add_option("--noise-out", a->noise_out, "where --aa writes the noise profile");
  sub->add_option("--time-threshold", a->time_threshold, "wall-time threshold in % (never below calibrated noise)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  sub->add_option("--instr-threshold", a->instr_threshold, "instruction-count threshold in %")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  sub->add_option("--mem-threshold", a->mem_threshold, "peak/allocated bytes threshold in %")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  sub->add_option("--alpha", a->alpha, "significance level of the rank test")
      ->capture_default_str()
      ->check(CLI::Range(1e-6, 0.5));
  sub->add_option("--on-mismatch", a->on_mismatch, "different machine fingerprints: warn or refuse")
      ->capture_default_str()
      ->check(CLI::IsMember({"warn", "refuse"}));
  sub->add_option("--markdown", a->markdown, "write a Markdown summary (CI step summary, PR comment)");
  sub->add_option("--junit", a->junit, "write JUnit XML");
  sub->add_option("--json", a->json_out, "write the comparison as JSON");
  sub->add_flag("--annotations", a->annotations, "print ::error/::warning lines (default on when GITHUB_ACTIONS=true)");
  sub->add_flag("--no-annotations", a->no_annotations, "never print GitHub annotations");
  sub->add_option("--db", a->db, "history database (default $KPROF_HISTORY_DB or ~/.local/share/kprof/history.sqlite)");
  sub->add_flag("--record", a->record, "record the current run in the history database (needs --branch)");
  sub->add_option("--branch", a->branch, "branch of the current run, for --record");
  sub->add_flag("-q,--quiet", a->quiet, "no progress lines on stderr");
  sub->add_flag("--no-confirm", a->no_confirm,
                "binary mode: alert on a wall-time regression of one measurement, without measuring it again");
  sub->callback([a, sub, &ctx] {
    const bool binary_mode = !a->baseline_bin.empty() || !a->current_bin.empty();
    // Every input is checked before minutes of measuring.
    if (a->aa > 0) {
      if (a->baseline_bin.empty() && a->current_bin.empty())
        throw UsageError("--aa needs the binary to calibrate: --current-bin PATH");
    } else if (binary_mode) {
      if (!a->collect.empty() && a->filters.empty())
        throw UsageError("--collect needs the benchmarks to profile: give filters such as family/variant");
      if (a->baseline_bin.empty() || a->current_bin.empty())
        throw UsageError("binary mode needs both --baseline-bin and --current-bin");
      if (!a->baseline_files.empty() || !a->current_files.empty() || a->baseline_db)
        throw UsageError("give either binaries (--baseline-bin/--current-bin) or run documents, not both");
    } else {
      if (a->current_files.empty()) throw UsageError("nothing to compare: give --current RUN.json (or binaries)");
      if (a->baseline_files.empty() && !a->baseline_db)
        throw UsageError("no baseline: give --baseline RUN.json or --baseline-db");
      if (!a->baseline_files.empty() && a->baseline_db)
        throw UsageError("give either --baseline files or --baseline-db, not both");
    }
    for (const auto* bin : {&a->baseline_bin, &a->current_bin})
      if (!bin->empty() && ::access(bin->c_str(), X_OK) != 0)
        throw UsageError(*bin + ": not an executable kprof binary");
    if (a->record && a->branch.empty()) throw UsageError("--record needs --branch NAME");
    for (const auto* out : {&a->markdown, &a->junit, &a->json_out, &a->noise_out})
      if (!out->empty()) ensure_writable_dir(fs::absolute(*out).parent_path());
    std::unique_ptr<regress::NoiseProfile> noise;
    if (!a->noise_file.empty()) noise = std::make_unique<regress::NoiseProfile>(regress::read_noise(a->noise_file));

    fs::path scratch;
    if (binary_mode || a->aa > 0) {
      char tmpl[] = "/tmp/kprof-regress-XXXXXX";
      if (!::mkdtemp(tmpl)) throw UsageError("cannot create a scratch folder in /tmp");
      scratch = tmpl;
    }
    struct Cleanup {
      fs::path dir;
      ~Cleanup() {
        std::error_code ec;
        if (!dir.empty()) fs::remove_all(dir, ec);
      }
    } cleanup{scratch};

    if (a->aa > 0) {
      ctx.exit_code = calibrate(*a, *sub, ctx, scratch);
      return;
    }

    Run baseline, current;
    std::string baseline_source, current_source;
    if (binary_mode) {
      Sides s = run_binaries(a->baseline_bin, a->current_bin, *a, scratch, !a->quiet);
      baseline = std::move(s.baseline);
      current = std::move(s.current);
      baseline_source = a->baseline_bin;
      current_source = a->current_bin;
    } else {
      current = read_side(a->current_files);
      current_source = joined(a->current_files);
      if (a->baseline_db) {
        history::HistoryDb db(a->db.empty() ? history::default_history_path() : fs::path(a->db));
        auto same = db.runs(a->baseline_branch, current.environment.fingerprint, 1);
        auto any = same.empty() ? db.runs(a->baseline_branch, "", 1) : same;
        if (any.empty())
          throw UsageError(db.path().string() + ": no recorded run on branch '" + a->baseline_branch +
                           "' to use as the baseline (record one with `kprof history record --branch " +
                           a->baseline_branch + "`)");
        baseline = db.load(any.front().id);
        baseline_source = db.path().string() + " run " + std::to_string(any.front().id) + " (" + a->baseline_branch +
                          " @ " + any.front().commit.substr(0, 12) + ")";
      } else {
        baseline = read_side(a->baseline_files);
        baseline_source = joined(a->baseline_files);
      }
    }
    CompareOptions options = compare_options(*a, *sub, noise.get());
    options.paired = binary_mode;
    Comparison c = regress::compare_runs(baseline, current, options, baseline_source, current_source);
    if (binary_mode && !a->no_confirm)
      confirm_time_alarms(c, Sides{baseline, current}, a->baseline_bin, a->current_bin, *a, options, scratch,
                          !a->quiet);
    emit(c, *a);
    if (a->record) {
      history::HistoryDb db(a->db.empty() ? history::default_history_path() : fs::path(a->db));
      std::int64_t id = db.record(current, a->branch);
      if (!a->quiet)
        std::cerr << "kprof: recorded the current run as run " << id << " in " << db.path().string() << "\n";
    }
    ctx.exit_code = c.regressions() > 0 ? 1 : 0;
  });
}

}  // namespace kprof::cli
