#include "kprof/stats.h"

#include <algorithm>
#include <cmath>

namespace kprof {

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(pos));
  auto hi = static_cast<std::size_t>(std::ceil(pos));
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, q);
}

double median(std::vector<double> values) { return quantile(std::move(values), 0.5); }

TimingStats summarize(std::int64_t iterations_per_round, std::vector<double> round_ns) {
  TimingStats s;
  s.iterations_per_round = iterations_per_round;
  if (round_ns.empty()) return s;
  s.median_ns = median(round_ns);
  s.q1_ns = quantile(round_ns, 0.25);
  s.q3_ns = quantile(round_ns, 0.75);
  auto [mn, mx] = std::minmax_element(round_ns.begin(), round_ns.end());
  s.min_ns = *mn;
  s.max_ns = *mx;
  std::vector<double> deviations;
  for (double x : round_ns) deviations.push_back(std::fabs(x - s.median_ns));
  s.mad_ns = median(std::move(deviations));
  s.round_ns = std::move(round_ns);
  return s;
}

}  // namespace kprof
