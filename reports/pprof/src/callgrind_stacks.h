#pragma once
// Callgrind's call graph turned into stacks with costs (callgrind_stacks.cpp says how the stacks are
// chosen; docs/FORMATS.md says what they mean).
#include "kprof/reports/callgrind_profile.h"
#include "kprof/reports/stack_samples.h"

namespace kprof {

// One sample per (cost line, chain of callers): values per event, adding up to the profile's totals.
void add_callgrind_stacks(const CallgrindProfile& profile, StackSamples& out);

}  // namespace kprof
