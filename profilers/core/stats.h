#pragma once
// Order statistics for timing samples (private to core).
#include <vector>

#include "kprof/run.h"

namespace kprof {

double median(std::vector<double> values);
double quantile(std::vector<double> values, double q);  // linear interpolation, q in [0, 1]
TimingStats summarize(std::int64_t iterations_per_round, std::vector<double> round_ns);

}  // namespace kprof
