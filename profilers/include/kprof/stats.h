#pragma once
// Order statistics, written once for every part of kprof that summarises samples: the runner's
// timing rounds, the line timers' calibration, the regression gate and the history's steps.
#include <cstdint>
#include <vector>

#include "kprof/run.h"

namespace kprof {

// Linear interpolation between order statistics, q in [0, 1] (q = 0.5 of an even count is the
// mean of the two middle values); 0 for no values.
double quantile(std::vector<double> values, double q);
double quantile_sorted(const std::vector<double>& sorted, double q);  // `sorted` ascending
double median(std::vector<double> values);
TimingStats summarize(std::int64_t iterations_per_round, std::vector<double> round_ns);

}  // namespace kprof
