#include "kprof/regress/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "kprof/stats.h"

namespace kprof::regress {
namespace {

double normal_upper_tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

// Number of arrangements of n1 + n2 distinct values giving each U, by the classic recurrence
// f(n1, n2, u) = f(n1-1, n2, u-n2) + f(n1, n2-1, u); returns P(U >= u_obs).
double exact_upper_tail(int n1, int n2, double u_obs) {
  const int max_u = n1 * n2;
  // counts[a][b] as a rolling table over (a, b) with vectors indexed by u.
  std::vector<std::vector<std::vector<double>>> f(n1 + 1, std::vector<std::vector<double>>(n2 + 1));
  for (int a = 0; a <= n1; ++a)
    for (int b = 0; b <= n2; ++b) {
      f[a][b].assign(a * b + 1, 0.0);
      if (a == 0 || b == 0) {
        f[a][b][0] = 1;
        continue;
      }
      for (int u = 0; u <= a * b; ++u) {
        double left = (u - b >= 0 && u - b <= (a - 1) * b) ? f[a - 1][b][u - b] : 0;
        double right = (u <= a * (b - 1)) ? f[a][b - 1][u] : 0;
        f[a][b][u] = left + right;
      }
    }
  double total = 0, tail = 0;
  for (int u = 0; u <= max_u; ++u) {
    total += f[n1][n2][u];
    if (u >= u_obs - 1e-9) tail += f[n1][n2][u];
  }
  return tail / total;
}

}  // namespace

RankTest mann_whitney(const std::vector<double>& baseline, const std::vector<double>& current) {
  RankTest t;
  const std::size_t n0 = baseline.size(), n1 = current.size();
  if (n0 == 0 || n1 == 0) return t;
  bool ties = false;
  for (double c : current)
    for (double b : baseline) {
      if (c > b)
        t.u += 1;
      else if (c == b) {
        t.u += 0.5;
        ties = true;
      }
    }
  // Ties inside one sample also matter for the variance.
  std::vector<double> all(baseline);
  all.insert(all.end(), current.begin(), current.end());
  std::sort(all.begin(), all.end());
  double tie_term = 0;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j] == all[i]) ++j;
    double run = static_cast<double>(j - i);
    if (run > 1) ties = true;
    tie_term += run * run * run - run;
    i = j;
  }
  const double m = static_cast<double>(n0), n = static_cast<double>(n1);
  if (!ties && n0 + n1 <= 40) {
    t.exact = true;
    // U counts pairs with current > baseline; the permutation distribution is symmetric.
    t.p_greater = exact_upper_tail(static_cast<int>(n1), static_cast<int>(n0), t.u);
    t.p_less = exact_upper_tail(static_cast<int>(n1), static_cast<int>(n0), m * n - t.u);
    return t;
  }
  const double mean = m * n / 2.0;
  const double total = m + n;
  const double var = m * n / 12.0 * ((total + 1.0) - tie_term / (total * (total - 1.0)));
  if (var <= 0) return t;  // every value equal: no evidence either way
  const double sd = std::sqrt(var);
  t.p_greater = normal_upper_tail((t.u - mean - 0.5) / sd);
  t.p_less = normal_upper_tail((mean - t.u - 0.5) / sd);
  return t;
}

RatioEstimate bootstrap_ratio(const std::vector<double>& baseline, const std::vector<double>& current, bool paired,
                              double confidence, int resamples, std::uint64_t seed) {
  RatioEstimate r;
  if (baseline.empty() || current.empty()) return r;
  r.paired = paired && baseline.size() == current.size();
  std::mt19937_64 rng(seed);
  std::vector<double> estimates;
  estimates.reserve(static_cast<std::size_t>(resamples));
  if (r.paired) {
    std::vector<double> ratios;
    for (std::size_t i = 0; i < baseline.size(); ++i) ratios.push_back(current[i] / baseline[i]);
    r.ratio = median(ratios);
    std::uniform_int_distribution<std::size_t> pick(0, ratios.size() - 1);
    std::vector<double> sample(ratios.size());
    for (int i = 0; i < resamples; ++i) {
      for (auto& x : sample) x = ratios[pick(rng)];
      estimates.push_back(median(sample));
    }
  } else {
    r.ratio = median(current) / median(baseline);
    std::uniform_int_distribution<std::size_t> pick_b(0, baseline.size() - 1), pick_c(0, current.size() - 1);
    std::vector<double> sb(baseline.size()), sc(current.size());
    for (int i = 0; i < resamples; ++i) {
      for (auto& x : sb) x = baseline[pick_b(rng)];
      for (auto& x : sc) x = current[pick_c(rng)];
      estimates.push_back(median(sc) / median(sb));
    }
  }
  std::sort(estimates.begin(), estimates.end());
  const double alpha = (1.0 - confidence) / 2.0;
  r.low = quantile_sorted(estimates, alpha);
  r.high = quantile_sorted(estimates, 1.0 - alpha);
  return r;
}

}  // namespace kprof::regress
