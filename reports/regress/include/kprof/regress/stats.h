#pragma once
// Statistics for regression gates: a rank test that does not assume normal timings (Mann-Whitney U)
// and a bootstrap confidence interval for the ratio current/baseline. Both are deterministic (fixed
// seed) so that a CI log can be reproduced from the same Run documents.
#include <cstdint>
#include <vector>

namespace kprof::regress {

// The median is kprof::median (kprof/stats.h), shared with the runner.

struct RankTest {
  double u = 0;          // U statistic of `current` (count of pairs where current > baseline; ties 1/2)
  double p_greater = 1;  // one-sided p-value: current tends to be larger (slower) than baseline
  double p_less = 1;     // one-sided p-value: current tends to be smaller (faster)
  bool exact = false;    // exact permutation distribution (no ties, small samples) or normal approximation
};

// Mann-Whitney U test of `current` against `baseline`. Exact for tie-free samples with
// n1 + n2 <= 40; otherwise the normal approximation with tie and continuity corrections.
// Empty input gives p = 1.
RankTest mann_whitney(const std::vector<double>& baseline, const std::vector<double>& current);

struct RatioEstimate {
  double ratio = 1;  // point estimate of current/baseline
  double low = 1;    // confidence interval bounds
  double high = 1;
  bool paired = false;
};

// Ratio current/baseline with a percentile-bootstrap confidence interval. Paired (same length,
// sample i of both taken back to back, as in interleaved runs): the median of per-pair ratios,
// resampling pairs, so slow drift of the machine cancels. Unpaired: the ratio of medians,
// resampling each side. Non-positive samples are rejected by the caller (timings are > 0).
RatioEstimate bootstrap_ratio(const std::vector<double>& baseline, const std::vector<double>& current, bool paired,
                              double confidence = 0.95, int resamples = 2000, std::uint64_t seed = 0x6b70726f66);

}  // namespace kprof::regress
