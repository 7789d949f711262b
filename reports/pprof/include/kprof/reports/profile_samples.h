#pragma once
// The stacks of each kprof profiler, built once (the same stacks as its callgrind-format file) and
// written by `kprof cpu`, `kprof mem` and `kprof callgrind` next to their other outputs as pprof
// (<kind>.<key>.pb.gz) and speedscope (<kind>.<key>.speedscope.json) files (docs/FORMATS.md).
#include <cstdint>
#include <vector>

#include "kprof/frame.h"
#include "kprof/memory.h"
#include "kprof/reports/callgrind_profile.h"
#include "kprof/reports/speedscope.h"
#include "kprof/reports/stack_samples.h"

namespace kprof {

// gperftools' samples: sample types samples/count and cpu/nanoseconds (samples x period), period
// cpu/nanoseconds from gperftools' period.
StackSamples cpu_samples(const std::vector<SampledStack>& stacks, std::uint64_t period_us);

// Allocations by stack from the call site outwards: alloc_objects/count and alloc_space/bytes from
// the allocation stacks, inuse_objects/count and inuse_space/bytes from what was live at the peak.
// Stacks the report left out (beyond its 2000 and 50 largest) are one sample each way, so that the
// totals are the report's.
StackSamples memory_samples(const MemoryReport& report);

// Every event of a callgrind profile, a sample type each (unit count). Callgrind records a call
// graph, not stacks: each function's self cost, per line, becomes samples whose stack is the
// function and its callers, the cost split over the callers in proportion to the inclusive cost
// of the first event each call site passed (callgrind_stacks.cpp says exactly how).
StackSamples callgrind_samples(const CallgrindProfile& profile);

// The speedscope profiles of each kind: cpu's CPU time; mem's alloc_space, alloc_objects and
// inuse_space at the peak; callgrind's every event (an empty list: every sample type).
std::vector<SpeedscopeProfile> cpu_speedscope_profiles();
std::vector<SpeedscopeProfile> memory_speedscope_profiles();

}  // namespace kprof
