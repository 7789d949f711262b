#pragma once
// Confirmation of wall-time alarms in binary mode. On a shared machine a neighbour's burst of load
// can slow one side of an interleaved measurement for seconds: an A/A comparison here once gave
// +12.6% at p=0.0003 (docs/REGRESS.md). So a suspect is measured twice: a time finding that is a
// regression, or beyond the threshold but inconclusive, is re-measured with fresh alternations of
// the same two binaries, and it is an alert only when the re-measurement on its own repeats it and
// both measurements pooled show a regression. A real slowdown repeats; a load burst rarely does.
#include <string>
#include <vector>

#include "kprof/regress/compare.h"

namespace kprof::regress {

// Keys of the benchmarks whose wall-time finding needs a second measurement.
std::vector<std::string> time_suspects(const Comparison& gate);

// One side of the pooled measurement: `first` with the rounds and the per-invocation medians of
// `rerun` appended, for every benchmark measured in both (pairs stay aligned: both sides append
// their re-run invocations in the same order).
Run pool_time_samples(const Run& first, const Run& rerun);

// Replaces the time finding of every suspect of `gate` that `rerun` measured with the confirmed
// verdict: the pooled figures, explained with both measurements. A suspect stays an alert when the
// pooled samples show a regression and the re-measurement repeats it on its own: slower beyond the
// threshold with the rank test below `alpha` (its bootstrap CI may still include no change: one
// pair spoiled by a load burst widens it, and the pooled CI already has to exclude it). Returns how
// many alarms of the first measurement were not confirmed.
int apply_confirmation(Comparison& gate, const Comparison& rerun, const Comparison& pooled, double alpha);

}  // namespace kprof::regress
