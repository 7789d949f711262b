#include "kprof/regress/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "kprof/errors.h"
#include "kprof/regress/stats.h"
#include "kprof/reports/callgrind_diff.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/tables.h"
#include "kprof/sections.h"
#include "kprof/stats.h"

namespace kprof::regress {
namespace {

std::string num(double v) {
  char buf[32];
  if (std::fabs(v) >= 1e6)
    std::snprintf(buf, sizeof buf, "%.4g", v);
  else
    std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

double change_pct(double base, double cur) {
  if (base == 0) return cur == 0 ? 0 : 100.0;
  return (cur / base - 1.0) * 100.0;
}

// Which of the fields behind Environment::fingerprint differ, for a message that says why two runs
// are not comparable.
std::string fingerprint_difference(const Environment& a, const Environment& b) {
  std::vector<std::string> diffs;
  auto cmp = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) diffs.push_back(std::string(name) + " '" + x + "' vs '" + y + "'");
  };
  cmp("cpu", a.cpu_model, b.cpu_model);
  cmp("isa", a.widest_isa, b.widest_isa);
  cmp("compiler", a.compiler, b.compiler);
  cmp("flags", a.cxx_flags, b.cxx_flags);
  cmp("build type", a.build_type, b.build_type);
  cmp("optimised", a.optimized ? "yes" : "no", b.optimized ? "yes" : "no");
  cmp("assertions", a.assertions ? "on" : "off", b.assertions ? "on" : "off");
  cmp("BLAS", a.blas_version, b.blas_version);
  cmp("BLAS core", a.blas_core, b.blas_core);
  cmp("threads", std::to_string(a.threads), std::to_string(b.threads));
  std::string out;
  for (const auto& d : diffs) out += (out.empty() ? "" : "; ") + d;
  return out;
}

std::vector<double> paired_medians(const Run& run, const std::string& key) {
  auto section = run.section<PairedMediansSection>();
  if (!section) return {};
  auto it = section->medians.find(key);
  return it == section->medians.end() ? std::vector<double>{} : it->second;
}

// "function (file:line)", the label of a call site in the gate's details.
std::string site_label(const std::string& function, const std::string& file, int line) {
  if (file.empty()) return function;
  return function + " (" + file + (line > 0 ? ":" + std::to_string(line) : "") + ")";
}

// Ir per call of each of the top functions of an entry, by label.
std::map<std::string, double> function_costs(const CallgrindEntry& e) {
  std::map<std::string, double> out;
  for (const auto& f : e.top_functions)
    if (auto ir = f.self.find("Ir"); ir != f.self.end())
      out[site_label(f.function, f.file, 0)] += static_cast<double>(ir->second) / static_cast<double>(e.iterations);
  return out;
}

template <class Entry>
std::map<std::string, Entry> by_key(const std::vector<Entry>& entries) {
  std::map<std::string, Entry> out;
  for (const Entry& e : entries) out[e.subject.key] = e;
  return out;
}

std::map<std::string, CallgrindEntry> callgrind_entries(const Run& run) {
  auto section = run.section<CallgrindSection>();
  std::map<std::string, CallgrindEntry> out;
  // An entry without Ir (a profile of other events only) has nothing for the instruction gate.
  if (section)
    for (auto& [key, e] : by_key(section->results))
      if (e.per_call_cost("Ir")) out[key] = e;
  return out;
}

std::map<std::string, MemoryEntry> memory_entries(const Run& run) {
  auto section = run.section<MemorySection>();
  return section ? by_key(section->results) : std::map<std::string, MemoryEntry>{};
}

Finding compare_time(const Result& b, const Result& c, const Run& base_run, const Run& cur_run,
                     const CompareOptions& o) {
  Finding f;
  f.metric = Metric::time;
  const std::vector<double>& bs = b.time.round_ns;
  const std::vector<double>& cs = c.time.round_ns;
  std::vector<double> bp = paired_medians(base_run, b.key()), cp = paired_medians(cur_run, c.key());
  const bool paired = o.paired && !bp.empty() && bp.size() == cp.size();
  RatioEstimate ratio = paired ? bootstrap_ratio(bp, cp, true) : bootstrap_ratio(bs, cs, false);
  f.baseline = paired ? median(bp) : median(bs);
  f.current = paired ? median(cp) : median(cs);
  f.change_pct = (ratio.ratio - 1.0) * 100.0;
  f.ci_low_pct = (ratio.low - 1.0) * 100.0;
  f.ci_high_pct = (ratio.high - 1.0) * 100.0;
  // Rounds of one process are not independent (layout, placement): with paired invocations the
  // rank test compares per-invocation medians, which is what kept 20 A/A comparisons silent.
  RankTest rank = paired ? mann_whitney(bp, cp) : mann_whitney(bs, cs);

  f.threshold_pct = o.time_threshold_pct;
  f.threshold_source = o.time_threshold_given ? "--time-threshold" : "default";
  const BenchmarkNoise* noise = o.noise ? o.noise->find(c.key()) : nullptr;
  if (noise && noise->comparisons > 0) {
    // Calibration gives the default; an explicit threshold may only be stricter than the noise allows
    // if it is still above it.
    char src[128];
    std::snprintf(src, sizeof src, "noise calibration (%d A/A runs, max %.1f%%)", noise->comparisons,
                  noise->time_max_abs_pct);
    if (!o.time_threshold_given || noise->time_detectable_pct > f.threshold_pct) {
      f.threshold_pct = std::max(noise->time_detectable_pct, 0.1);
      f.threshold_source = src;
    }
  }

  const std::string samples = paired ? std::to_string(bp.size()) + " paired invocations, " + std::to_string(bs.size()) +
                                           " vs " + std::to_string(cs.size()) + " rounds"
                                     : std::to_string(bs.size()) + " vs " + std::to_string(cs.size()) + " samples";
  const std::string ci = "95% CI " + format_signed_pct(*f.ci_low_pct) + " .. " + format_signed_pct(*f.ci_high_pct);
  if (f.change_pct > f.threshold_pct) {
    f.p_value = rank.p_greater;
    // Both the rank test and the bootstrap interval must exclude "no change".
    f.verdict = rank.p_greater<o.alpha&& * f.ci_low_pct> 0 ? Verdict::regression : Verdict::inconclusive;
  } else if (f.change_pct < -f.threshold_pct) {
    f.p_value = rank.p_less;
    f.verdict = rank.p_less < o.alpha && *f.ci_high_pct < 0 ? Verdict::improvement : Verdict::inconclusive;
  } else {
    f.p_value = f.change_pct >= 0 ? rank.p_greater : rank.p_less;
    f.verdict = Verdict::unchanged;
  }
  char p[32];
  std::snprintf(p, sizeof p, "p=%.3g", *f.p_value);
  f.measurement = "wall time " + format_duration_ns(f.baseline) + " -> " + format_duration_ns(f.current) +
                  " per call (" + format_signed_pct(f.change_pct) + ", " + ci + ", " + p + ", " + samples + ")";
  const std::string& what = f.measurement;
  switch (f.verdict) {
    case Verdict::regression:
      f.explanation = what + ": slower by more than the " + format_fixed(f.threshold_pct, 1) + "% threshold (" +
                      f.threshold_source + ")";
      break;
    case Verdict::improvement:
      f.explanation = what + ": faster by more than the " + format_fixed(f.threshold_pct, 1) + "% threshold";
      break;
    case Verdict::inconclusive:
      f.explanation = what + ": beyond the " + format_fixed(f.threshold_pct, 1) +
                      "% threshold but not significant (rank test at alpha=" + format_fixed(o.alpha, 2) +
                      ", or the 95% CI includes no change)" + "; more rounds or alternations would tell";
      break;
    case Verdict::unchanged:
      f.explanation = what + ": within the " + format_fixed(f.threshold_pct, 1) + "% threshold";
      break;
  }
  return f;
}

Finding compare_correctness(const Result& b, const Result& c) {
  Finding f;
  f.metric = Metric::correctness;
  f.baseline = b.max_rel_error;
  f.current = c.max_rel_error;
  f.change_pct = change_pct(b.max_rel_error, c.max_rel_error);
  char text[256];
  if (c.status == Status::wrong || c.status == Status::failed) {
    f.verdict = Verdict::regression;
    std::snprintf(text, sizeof text, "max relative error %.3g exceeds the family's %s tolerance %.3g (baseline %.3g%s)",
                  c.max_rel_error, std::string(to_string(c.dtype)).c_str(), c.tolerance, b.max_rel_error,
                  b.status == Status::ok ? ", within tolerance" : ", already failing");
    f.explanation = text;
    if (c.status == Status::failed) f.explanation = "the variant failed: " + c.reason;
    if (!c.reason.empty() && c.status == Status::wrong) f.details.push_back(c.reason);
  } else if (b.status == Status::wrong && c.status == Status::ok) {
    f.verdict = Verdict::improvement;
    std::snprintf(text, sizeof text, "max relative error %.3g is back within tolerance %.3g (baseline %.3g)",
                  c.max_rel_error, c.tolerance, b.max_rel_error);
    f.explanation = text;
  } else {
    f.verdict = Verdict::unchanged;
    std::snprintf(text, sizeof text, "max relative error %.3g (baseline %.3g), tolerance %.3g", c.max_rel_error,
                  b.max_rel_error, c.tolerance);
    f.explanation = text;
  }
  return f;
}

// Per-function growth between two callgrind summaries, largest first.
std::vector<std::string> grown_functions(const CallgrindEntry& b, const CallgrindEntry& c) {
  std::vector<std::pair<double, std::string>> grown;
  const auto before_costs = function_costs(b), after_costs = function_costs(c);
  std::set<std::string> names;
  for (const auto& [k, v] : before_costs) names.insert(k);
  for (const auto& [k, v] : after_costs) names.insert(k);
  for (const auto& name : names) {
    double before = before_costs.count(name) ? before_costs.at(name) : 0;
    double after = after_costs.count(name) ? after_costs.at(name) : 0;
    if (after > before)
      grown.push_back({after - before, name + ": " + num(before) + " -> " + num(after) + " Ir per call (+" +
                                           num(after - before) + (before == 0 ? ", new" : "") + ")"});
  }
  std::sort(grown.begin(), grown.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < grown.size() && i < 5; ++i) out.push_back(grown[i].second);
  return out;
}

// The functions and source lines whose Ir grew, from the diff of the two callgrind.out files (the
// one callgrind reader/diff of kprof). Empty when either file is gone or unreadable: the caller
// falls back to the section's top_functions.
std::vector<std::string> callgrind_file_diff(const CallgrindEntry& b, const CallgrindEntry& c) {
  if (b.file.empty() || c.file.empty()) return {};
  std::error_code ec;
  if (!std::filesystem::exists(b.file, ec) || !std::filesystem::exists(c.file, ec)) return {};
  std::vector<std::string> out;
  try {
    CallgrindDiff d = diff_callgrind(read_callgrind_file(b.file), read_callgrind_file(c.file), "Ir");
    const std::size_t e = d.sort_event;
    auto grown = [&](const CostDelta& x) {
      const std::int64_t before = e < x.a.size() ? x.a[e] : 0, after = e < x.b.size() ? x.b[e] : 0;
      return std::pair<double, double>{static_cast<double>(before) / static_cast<double>(b.iterations),
                                       static_cast<double>(after) / static_cast<double>(c.iterations)};
    };
    int functions = 0, lines = 0;
    for (const auto& f : d.functions) {
      auto [before, after] = grown(f);
      if (after <= before || functions >= 3) continue;
      ++functions;
      out.push_back("function " + f.name + (f.file.empty() ? "" : " (" + f.file + ")") + ": " + num(before) + " -> " +
                    num(after) + " Ir per call (+" + num(after - before) + ")");
    }
    for (const auto& l : d.lines) {
      auto [before, after] = grown(l);
      if (after <= before || lines >= 3) continue;
      ++lines;
      out.push_back("line " + l.file + ":" + std::to_string(l.line) + " in " + l.function + ": " + num(before) +
                    " -> " + num(after) + " Ir per call (+" + num(after - before) + ")");
    }
  } catch (const UsageError&) {
    return {};
  }
  return out;
}

Finding compare_instructions(const CallgrindEntry& b, const CallgrindEntry& c, const CompareOptions& o) {
  Finding f;
  f.metric = Metric::instructions;
  f.baseline = *b.per_call_cost("Ir");
  f.current = *c.per_call_cost("Ir");
  f.change_pct = change_pct(f.baseline, f.current);
  f.threshold_pct = o.instr_threshold_pct;
  f.threshold_source = "default";
  const BenchmarkNoise* noise = o.noise ? o.noise->find(c.subject.key) : nullptr;
  if (noise && !noise->instr_changes_pct.empty() && noise->instr_detectable_pct > f.threshold_pct) {
    f.threshold_pct = noise->instr_detectable_pct;
    f.threshold_source = "noise calibration";
  }
  if (!b.file.empty() && !c.file.empty()) f.profiles = Finding::Profiles{b.file, c.file, b.iterations, c.iterations};
  const std::string what = "instructions " + num(f.baseline) + " -> " + num(f.current) + " per call (" +
                           format_signed_pct(f.change_pct, 2) + ")";
  if (f.change_pct > f.threshold_pct) {
    f.verdict = Verdict::regression;
    f.explanation = what + ": more than the " + format_fixed(f.threshold_pct, 2) + "% threshold; grew:";
    f.details = callgrind_file_diff(b, c);
    if (f.details.empty()) f.details = grown_functions(b, c);
    if (f.details.empty())
      f.explanation = what + ": more than the " + format_fixed(f.threshold_pct, 2) +
                      "% threshold (no per-function data in the callgrind section; open " + c.file + ")";
  } else if (f.change_pct < -f.threshold_pct) {
    f.verdict = Verdict::improvement;
    f.explanation = what + ": fewer instructions";
  } else {
    f.verdict = Verdict::unchanged;
    f.explanation = what + ": within " + format_fixed(f.threshold_pct, 2) + "%";
  }
  return f;
}

// Bytes and allocations of each call site of an entry, by label (a label may repeat: sites that
// differ only in their module).
std::map<std::string, std::pair<double, double>> site_costs(const MemoryEntry& e) {
  std::map<std::string, std::pair<double, double>> out;
  for (const auto& s : e.top_sites) {
    auto& [bytes, count] = out[site_label(s.frame.function, s.frame.file, s.frame.line)];
    bytes += static_cast<double>(s.bytes);
    count += static_cast<double>(s.count);
  }
  return out;
}

std::vector<std::string> grown_sites(const MemoryEntry& b, const MemoryEntry& c) {
  const auto before = site_costs(b);
  std::vector<std::pair<double, std::string>> grown;
  for (const auto& [label, now] : site_costs(c)) {
    auto [bytes, count] = now;
    auto [b_bytes, b_count] = before.count(label) ? before.at(label) : std::pair<double, double>{0, 0};
    if (bytes > b_bytes || count > b_count)
      grown.push_back({bytes - b_bytes, label + ": " + format_bytes(b_bytes) + " in " + num(b_count) + " -> " +
                                            format_bytes(bytes) + " in " + num(count) + " allocations" +
                                            (b_count == 0 ? " (new site)" : "")});
  }
  std::sort(grown.begin(), grown.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < grown.size() && i < 5; ++i) out.push_back(grown[i].second);
  return out;
}

void compare_memory(const MemoryEntry& b, const MemoryEntry& c, const CompareOptions& o, std::vector<Finding>& out) {
  auto bytes_finding = [&](Metric metric, const char* label, double base, double cur) {
    Finding f;
    f.metric = metric;
    f.baseline = base;
    f.current = cur;
    f.change_pct = change_pct(base, cur);
    f.threshold_pct = o.memory_threshold_pct;
    f.threshold_source = "default";
    const std::string what = std::string(label) + " " + format_bytes(base) + " -> " + format_bytes(cur) + " (" +
                             (cur >= base ? "+" : "-") + format_bytes(std::fabs(cur - base)) + ", " +
                             format_signed_pct(f.change_pct) + ")";
    if (cur - base >= o.min_memory_bytes && f.change_pct > f.threshold_pct) {
      f.verdict = Verdict::regression;
      f.explanation = what + "; allocation sites that grew:";
      f.details = grown_sites(b, c);
      if (f.details.empty()) f.explanation = what + " (the memory section lists no allocation sites)";
    } else if (base - cur >= o.min_memory_bytes && f.change_pct < -f.threshold_pct) {
      f.verdict = Verdict::improvement;
      f.explanation = what;
    } else {
      f.verdict = Verdict::unchanged;
      f.explanation = what;
    }
    out.push_back(std::move(f));
  };
  bytes_finding(Metric::peak_memory, "peak memory in the region", static_cast<double>(b.peak_bytes),
                static_cast<double>(c.peak_bytes));
  bytes_finding(Metric::allocated_bytes, "bytes allocated per call", b.per_call.bytes_allocated,
                c.per_call.bytes_allocated);
  {
    Finding f;
    f.metric = Metric::allocations;
    f.baseline = b.per_call.allocations;
    f.current = c.per_call.allocations;
    f.change_pct = change_pct(f.baseline, f.current);
    char text[160];
    std::snprintf(text, sizeof text, "allocations per call %.2f -> %.2f", f.baseline, f.current);
    f.explanation = text;
    // Counts are exact: half an allocation more per call is a new allocation in the loop.
    if (f.current - f.baseline >= 0.5) {
      f.verdict = Verdict::regression;
      f.explanation += "; allocation sites that grew:";
      f.details = grown_sites(b, c);
    } else if (f.baseline - f.current >= 0.5) {
      f.verdict = Verdict::improvement;
    }
    out.push_back(std::move(f));
  }
}

const Finding* find(const std::vector<Finding>& fs, Metric m) {
  for (const auto& f : fs)
    if (f.metric == m) return &f;
  return nullptr;
}

}  // namespace

// Cross-metric reading: what the instruction count says about a wall-time change and back.
void update_metric_notes(BenchmarkComparison& bc) {
  const std::string kPrefix = "metrics disagree: ";
  std::erase_if(bc.notes, [&](const std::string& n) { return n.starts_with(kPrefix); });
  const Finding* t = find(bc.findings, Metric::time);
  const Finding* ir = find(bc.findings, Metric::instructions);
  if (!t || !ir) return;
  if (t->verdict == Verdict::regression && ir->verdict != Verdict::regression)
    bc.notes.push_back(kPrefix + "instructions flat (" + format_signed_pct(ir->change_pct, 2) + ") but wall time " +
                       format_signed_pct(t->change_pct) +
                       ": the cost is not in executed instructions but in memory traffic (cache misses, "
                       "bandwidth) or vector width and clock frequency" +
                       (bc.code_path_changed ? "; the code path changed" : "; run `kprof mem` and compare code paths"));
  if (ir->verdict == Verdict::regression && t->verdict == Verdict::unchanged)
    bc.notes.push_back(kPrefix + "instructions " + format_signed_pct(ir->change_pct, 2) + " but wall time flat (" +
                       format_signed_pct(t->change_pct) +
                       "): the extra instructions hide behind memory stalls at this size; they will cost time "
                       "where the data fits in cache");
}

namespace {

void add_disagreement_notes(const Result& b, const Result& c, BenchmarkComparison& bc) {
  bc.code_path_changed = b.code_path != c.code_path;
  if (bc.code_path_changed)
    bc.notes.push_back("code path changed: '" + b.code_path + "' -> '" + c.code_path +
                       "' (vector width or library kernels differ)");
  update_metric_notes(bc);
}

}  // namespace

std::string_view to_string(Metric m) {
  switch (m) {
    case Metric::time:
      return "time";
    case Metric::instructions:
      return "instructions";
    case Metric::peak_memory:
      return "peak_memory";
    case Metric::allocated_bytes:
      return "allocated_bytes";
    case Metric::allocations:
      return "allocations";
    case Metric::correctness:
      return "correctness";
  }
  return "?";
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::regression:
      return "regression";
    case Verdict::improvement:
      return "improvement";
    case Verdict::unchanged:
      return "unchanged";
    case Verdict::inconclusive:
      return "inconclusive";
  }
  return "?";
}

bool BenchmarkComparison::has_regression() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.verdict == Verdict::regression; });
}

int Comparison::regressions() const {
  int n = 0;
  for (const auto& b : benchmarks)
    for (const auto& f : b.findings) n += f.verdict == Verdict::regression;
  return n;
}

int Comparison::improvements() const {
  int n = 0;
  for (const auto& b : benchmarks)
    for (const auto& f : b.findings) n += f.verdict == Verdict::improvement;
  return n;
}

std::optional<SuiteTime> Comparison::suite_time() const {
  double log_sum = 0;
  int n = 0;
  for (const auto& b : benchmarks)
    for (const auto& f : b.findings)
      if (f.metric == Metric::time && !b.is_new && 1.0 + f.change_pct / 100.0 > 0) {
        log_sum += std::log1p(f.change_pct / 100.0);
        ++n;
      }
  if (n < 2) return std::nullopt;
  return SuiteTime{n, std::exp(log_sum / n)};
}

Comparison compare_runs(const Run& baseline, const Run& current, const CompareOptions& options,
                        const std::string& baseline_source, const std::string& current_source) {
  Comparison out;
  out.baseline_source = baseline_source;
  out.current_source = current_source;
  out.baseline_commit = baseline.git_commit;
  out.current_commit = current.git_commit;
  out.paired = options.paired;

  if (baseline.environment.fingerprint != current.environment.fingerprint) {
    std::string msg = "baseline (" + baseline_source + ", fingerprint " + baseline.environment.fingerprint +
                      ") and current (" + current_source + ", fingerprint " + current.environment.fingerprint +
                      ") come from different machines or builds: " +
                      fingerprint_difference(baseline.environment, current.environment) +
                      ". Wall time is not comparable; instruction and memory counts still are.";
    if (options.refuse_mismatch) throw UsageError(msg + " (refused: --on-mismatch refuse)");
    out.warnings.push_back(msg);
  }
  for (const auto& w : current.environment.warnings) out.warnings.push_back("current environment: " + w);

  std::map<std::string, const Result*> base_results;
  for (const auto& r : baseline.results) base_results[r.key()] = &r;
  auto base_ir = callgrind_entries(baseline), cur_ir = callgrind_entries(current);
  auto base_mem = memory_entries(baseline), cur_mem = memory_entries(current);

  std::set<std::string> current_keys;
  auto add_sections = [&](const std::string& key, BenchmarkComparison& bc) {
    if (base_ir.count(key) && cur_ir.count(key))
      bc.findings.push_back(compare_instructions(base_ir.at(key), cur_ir.at(key), options));
    if (base_mem.count(key) && cur_mem.count(key))
      compare_memory(base_mem.at(key), cur_mem.at(key), options, bc.findings);
  };

  for (const Result& c : current.results) {
    BenchmarkComparison bc;
    bc.key = c.key();
    bc.family = c.family;
    bc.variant = c.variant;
    bc.dtype = std::string(to_string(c.dtype));
    bc.size = c.size.str();
    current_keys.insert(bc.key);
    auto it = base_results.find(bc.key);
    if (it == base_results.end()) {
      bc.is_new = true;
      bc.notes.push_back("new benchmark: not in the baseline, nothing to compare");
      out.benchmarks.push_back(std::move(bc));
      continue;
    }
    const Result& b = *it->second;
    bc.findings.push_back(compare_correctness(b, c));
    if (c.status == Status::skipped) bc.notes.push_back("skipped in the current run: " + c.reason);
    if (b.status == Status::ok && c.status == Status::ok && !b.time.round_ns.empty() && !c.time.round_ns.empty())
      bc.findings.push_back(compare_time(b, c, baseline, current, options));
    add_sections(bc.key, bc);
    add_disagreement_notes(b, c, bc);
    out.benchmarks.push_back(std::move(bc));
  }
  // Sections may cover benchmarks that `kprof run` did not time (a callgrind-only gate).
  std::set<std::string> section_keys;
  for (const auto& [k, v] : cur_ir) section_keys.insert(k);
  for (const auto& [k, v] : cur_mem) section_keys.insert(k);
  for (const auto& key : section_keys) {
    if (current_keys.count(key)) continue;
    BenchmarkComparison bc;
    bc.key = key;
    add_sections(key, bc);
    if (bc.findings.empty()) {
      bc.is_new = true;
      bc.notes.push_back("new benchmark: not in the baseline, nothing to compare");
    }
    current_keys.insert(key);
    out.benchmarks.push_back(std::move(bc));
  }
  for (const auto& r : baseline.results)
    if (!current_keys.count(r.key())) out.removed.push_back(r.key());
  return out;
}

Run merge_runs(const std::vector<Run>& runs, const std::vector<std::string>& sources) {
  if (runs.empty()) throw UsageError("no run documents to compare");
  Run merged = runs.front();
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < merged.results.size(); ++i) index[merged.results[i].key()] = i;
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const Run& r = runs[i];
    if (r.environment.fingerprint != merged.environment.fingerprint)
      throw UsageError(sources.at(i) + ": fingerprint " + r.environment.fingerprint + " differs from " + sources.at(0) +
                       " (" + merged.environment.fingerprint +
                       "): runs merged into one side of a comparison must come from the same build and machine");
    for (const Result& res : r.results) {
      auto it = index.find(res.key());
      if (it == index.end()) {
        index[res.key()] = merged.results.size();
        merged.results.push_back(res);
      } else if (merged.results[it->second].time.round_ns.empty() && !res.time.round_ns.empty()) {
        merged.results[it->second] = res;
      }
    }
    merge_sections(merged, r);
  }
  return merged;
}

}  // namespace kprof::regress
