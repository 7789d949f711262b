// Step-change detection for history trends: a level shift, not a single outlier. A candidate split
// needs a change beyond the threshold between the medians of the windows on either side, and a rank
// test saying the two windows differ; overlapping candidates keep the largest change.
#include <algorithm>
#include <cmath>
#include <map>

#include "kprof/history/history.h"
#include "kprof/regress/stats.h"
#include "kprof/stats.h"

namespace kprof::history {

std::vector<Step> detect_steps(const std::vector<double>& values, const std::vector<std::string>& fingerprints,
                               const StepOptions& options) {
  const std::size_t n = values.size();
  const std::size_t w = std::max<std::size_t>(options.window, 1);
  const std::size_t min_side = std::max<std::size_t>(options.min_after, 1);
  std::vector<Step> candidates;
  for (std::size_t i = min_side; i + min_side <= n; ++i) {
    std::vector<double> before(values.begin() + static_cast<std::ptrdiff_t>(i >= w ? i - w : 0),
                               values.begin() + static_cast<std::ptrdiff_t>(i));
    std::vector<double> after(values.begin() + static_cast<std::ptrdiff_t>(i),
                              values.begin() + static_cast<std::ptrdiff_t>(std::min(n, i + w)));
    Step s;
    s.index = i;
    s.before = median(before);
    s.after = median(after);
    if (s.before <= 0) continue;
    s.change_pct = (s.after / s.before - 1.0) * 100.0;
    if (std::fabs(s.change_pct) <= options.threshold_pct) continue;
    // Exact series (instructions) have no spread: a clean split is enough. Timed series need the
    // rank test, or complete separation when the windows are too small for it to reach 5%.
    const bool up = s.change_pct > 0;
    const double lo_after = *std::min_element(after.begin(), after.end());
    const double hi_after = *std::max_element(after.begin(), after.end());
    const double lo_before = *std::min_element(before.begin(), before.end());
    const double hi_before = *std::max_element(before.begin(), before.end());
    const bool separated = up ? lo_after > hi_before : hi_after < lo_before;
    regress::RankTest rank = regress::mann_whitney(before, after);
    s.p_value = up ? rank.p_greater : rank.p_less;
    const bool significant = s.p_value < 0.05;
    if (!separated && !significant) continue;
    if (!fingerprints.empty() && fingerprints.size() == n)
      s.fingerprint_changed = fingerprints[i] != fingerprints[i - 1];
    candidates.push_back(s);
  }
  // Keep the clearest split within each window: the most significant, then the largest.
  std::sort(candidates.begin(), candidates.end(), [](const Step& a, const Step& b) {
    if (a.p_value != b.p_value) return a.p_value < b.p_value;
    return std::fabs(a.change_pct) > std::fabs(b.change_pct);
  });
  std::vector<Step> kept;
  for (const Step& c : candidates) {
    bool near = std::any_of(kept.begin(), kept.end(), [&](const Step& k) {
      return (c.index > k.index ? c.index - k.index : k.index - c.index) < w;
    });
    if (!near) kept.push_back(c);
  }
  std::sort(kept.begin(), kept.end(), [](const Step& a, const Step& b) { return a.index < b.index; });
  return kept;
}

bool Step::machine_wide() const { return moved_alike >= 3 && 2 * moved_alike >= benchmarks; }

void mark_run_wide_steps(std::vector<SeriesStep>& steps,
                         const std::map<std::int64_t, std::size_t>& benchmarks_per_run) {
  std::map<std::pair<std::int64_t, bool>, std::size_t> alike;  // (run, up) -> steps
  for (const auto& s : steps) ++alike[{s.at.run_id, s.step.change_pct > 0}];
  for (auto& s : steps) {
    s.step.moved_alike = alike[{s.at.run_id, s.step.change_pct > 0}];
    auto it = benchmarks_per_run.find(s.at.run_id);
    s.step.benchmarks = it == benchmarks_per_run.end() ? s.step.moved_alike : it->second;
  }
}

}  // namespace kprof::history
