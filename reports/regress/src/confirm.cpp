#include "kprof/regress/confirm.h"

#include <cstdio>
#include <map>

#include "kprof/reports/tables.h"
#include "kprof/sections/paired_medians.h"

namespace kprof::regress {
namespace {

Finding* time_finding(BenchmarkComparison& bc) {
  for (auto& f : bc.findings)
    if (f.metric == Metric::time) return &f;
  return nullptr;
}

const Finding* time_finding(const Comparison& c, const std::string& key) {
  for (const auto& bc : c.benchmarks)
    if (bc.key == key)
      for (const auto& f : bc.findings)
        if (f.metric == Metric::time) return &f;
  return nullptr;
}

bool is_suspect(const Finding& f) {
  return f.metric == Metric::time &&
         (f.verdict == Verdict::regression || (f.verdict == Verdict::inconclusive && f.change_pct > 0));
}

std::string change_text(const Finding& f) {
  return format_signed_pct(f.change_pct) + ", " + std::string(to_string(f.verdict));
}

}  // namespace

std::vector<std::string> time_suspects(const Comparison& gate) {
  std::vector<std::string> keys;
  for (const auto& bc : gate.benchmarks)
    for (const auto& f : bc.findings)
      if (is_suspect(f)) keys.push_back(bc.key);
  return keys;
}

Run pool_time_samples(const Run& first, const Run& rerun) {
  Run pooled = first;
  std::map<std::string, const Result*> again;
  for (const auto& r : rerun.results) again[r.key()] = &r;
  for (Result& r : pooled.results) {
    auto it = again.find(r.key());
    if (it == again.end() || it->second->status != Status::ok || r.status != Status::ok) continue;
    const auto& more = it->second->time.round_ns;
    r.time.round_ns.insert(r.time.round_ns.end(), more.begin(), more.end());
  }
  auto from = rerun.section<PairedMediansSection>();
  auto into = pooled.section<PairedMediansSection>();
  if (!from || !into) return pooled;
  for (auto& [key, medians] : into->medians)
    if (auto more = from->medians.find(key); more != from->medians.end())
      medians.insert(medians.end(), more->second.begin(), more->second.end());
  pooled.set_section(*into);
  return pooled;
}

int apply_confirmation(Comparison& gate, const Comparison& rerun, const Comparison& pooled, double alpha) {
  int dismissed = 0;
  for (auto& bc : gate.benchmarks) {
    Finding* first = time_finding(bc);
    const Finding* again = time_finding(rerun, bc.key);
    const Finding* both = time_finding(pooled, bc.key);
    // A benchmark the re-run could not time (it failed there) keeps its first verdict: it can be
    // neither confirmed nor dismissed, and the failure is reported by the correctness finding.
    if (!first || !is_suspect(*first) || !again || !both) continue;
    const bool was_alarm = first->verdict == Verdict::regression;
    const std::string history =
        "measurement 1: " + first->measurement + " -> " + std::string(to_string(first->verdict));
    const std::string repeat = "re-measurement (fresh alternations, current build first): " + again->measurement +
                               " -> " + std::string(to_string(again->verdict));
    Finding out = *both;
    const bool repeated = again->verdict == Verdict::regression ||
                          (again->change_pct > again->threshold_pct && again->p_value && *again->p_value < alpha);
    if (repeated && both->verdict == Verdict::regression) {
      out.explanation =
          both->explanation + "; confirmed by a re-measurement with fresh alternations (" + change_text(*again) + ")";
    } else {
      if (out.verdict == Verdict::regression) out.verdict = Verdict::inconclusive;
      out.explanation = both->measurement + ", both measurements pooled: not confirmed (measurement 1 " +
                        change_text(*first) + ", re-measurement " + change_text(*again) +
                        "); a slowdown that does not repeat is the machine's load, not the code, so this is no "
                        "alert (more alternations would resolve a small real change)";
      dismissed += was_alarm;
    }
    out.details.insert(out.details.begin(), {history, repeat});
    *first = std::move(out);
    update_metric_notes(bc);
  }
  return dismissed;
}

}  // namespace kprof::regress
