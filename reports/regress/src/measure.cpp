#include "kprof/regress/measure.h"

#include <map>
#include <utility>

#include "kprof/regress/confirm.h"
#include "kprof/sections/paired_medians.h"
#include "kprof/stats.h"

namespace kprof::regress {
namespace {

BenchmarkRequest run_request(const std::string& binary, const std::string& label, const MeasureOptions& o) {
  BenchmarkRequest r;
  r.binary = binary;
  r.label = label;
  r.filters = o.filters;
  r.sizes = o.sizes;
  r.dtype = o.dtype;
  r.rounds = o.rounds;
  r.min_time_ms = o.min_time_ms;
  return r;
}

// The wall-time suspects grouped by where they were measured: (size, dtype) -> family/variant.
std::map<std::pair<std::string, std::string>, std::vector<std::string>> suspects_by_size(const Comparison& gate) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;
  for (const auto& key : time_suspects(gate))
    for (const auto& bc : gate.benchmarks)
      if (bc.key == key) groups[{bc.size, bc.dtype}].push_back(bc.family + "/" + bc.variant);
  return groups;
}

}  // namespace

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

Sides measure_interleaved(BenchmarkRunner& runner, const Binaries& bins, const MeasureOptions& options,
                          bool current_first) {
  std::vector<Run> base, cur;
  for (int i = 0; i < options.alternations; ++i) {
    const bool base_first = (i % 2 == 0) != current_first;
    for (int k = 0; k < 2; ++k) {
      const bool is_base = (k == 0) == base_first;
      const std::string label = std::string(is_base ? "baseline" : "current") + " run " + std::to_string(i + 1);
      (is_base ? base : cur).push_back(runner.run(run_request(is_base ? bins.baseline : bins.current, label, options)));
    }
    if (options.progress)
      options.progress("alternation " + std::to_string(i + 1) + "/" + std::to_string(options.alternations) + " done");
  }
  return Sides{combine_invocations(base), combine_invocations(cur)};
}

Sides measure_binaries(BenchmarkRunner& runner, const Binaries& bins, const MeasureOptions& options) {
  Sides s = measure_interleaved(runner, bins, options);
  for (const auto& sub : options.collect) {
    BenchmarkRequest profile = run_request(bins.baseline, "baseline " + sub, options);
    profile.subcommand = sub;
    std::vector<Run> b = {s.baseline, runner.run(profile)};
    profile.binary = bins.current;
    profile.label = "current " + sub;
    std::vector<Run> c = {s.current, runner.run(profile)};
    s.baseline = merge_runs(b, {"baseline run", "baseline " + sub});
    s.current = merge_runs(c, {"current run", "current " + sub});
  }
  return s;
}

int confirm_time_alarms(BenchmarkRunner& runner, const Binaries& bins, const MeasureOptions& options,
                        const CompareOptions& compare, const Sides& first, Comparison& gate) {
  const auto groups = suspects_by_size(gate);
  if (groups.empty()) return 0;
  if (options.progress) {
    const std::size_t n = time_suspects(gate).size();
    options.progress("measuring " + std::to_string(n) + " wall-time suspect" + (n == 1 ? "" : "s") +
                     " again to confirm");
  }
  int dismissed = 0;
  for (const auto& [where, filters] : groups) {
    MeasureOptions again = options;
    // Twice the alternations: the re-measurement decides alone whether the alarm stands, so it
    // should miss a real slowdown less often than one measurement and be spoiled by a burst of
    // load less easily (docs/REGRESS.md measured both).
    again.alternations = 2 * options.alternations;
    again.filters = filters;
    again.sizes = {where.first};
    again.dtype = where.second;
    again.collect.clear();
    again.progress = nullptr;
    Sides s = measure_interleaved(runner, bins, again, /*current_first=*/true);
    Comparison rerun = compare_runs(s.baseline, s.current, compare, gate.baseline_source, gate.current_source);
    Comparison pooled =
        compare_runs(pool_time_samples(first.baseline, s.baseline), pool_time_samples(first.current, s.current),
                     compare, gate.baseline_source, gate.current_source);
    dismissed += apply_confirmation(gate, rerun, pooled, compare.alpha);
  }
  return dismissed;
}

}  // namespace kprof::regress
