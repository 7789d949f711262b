#pragma once
// The pprof file of each kprof profiler, made of the same stacks as its callgrind-format file
// (docs/FORMATS.md "pprof"): what `kprof cpu`, `kprof mem` and `kprof callgrind` write next to
// their other outputs as <kind>.<key>.pb.gz.
#include <cstdint>
#include <vector>

#include "kprof/frame.h"
#include "kprof/memory.h"
#include "kprof/reports/callgrind_profile.h"
#include "kprof/reports/pprof.h"

namespace kprof {

// gperftools' samples: sample types samples/count and cpu/nanoseconds (samples x period), period
// cpu/nanoseconds from gperftools' period.
PprofProfile cpu_pprof(const std::vector<SampledStack>& stacks, std::uint64_t period_us);

// Allocations by stack from the call site outwards: alloc_objects/count and alloc_space/bytes from
// the allocation stacks, inuse_objects/count and inuse_space/bytes from what was live at the peak.
// Stacks the report left out (beyond its 2000 and 50 largest) are one sample each way, so that the
// totals are the report's.
PprofProfile memory_pprof(const MemoryReport& report);

// Every event of a callgrind profile, a sample type each (unit count). Callgrind records a call
// graph, not stacks: each function's self cost, per line, becomes samples whose stack is the
// function and its callers, the cost split over the callers in proportion to the inclusive cost
// of the first event each call site passed (callgrind_stacks.cpp says exactly how).
PprofProfile callgrind_pprof(const CallgrindProfile& profile);

}  // namespace kprof
