#pragma once
// Sweeps: ranges and lists in size specs and thread counts, expanded into the plain points a run
// measures (each point timed with interleaved rounds as usual, all in one Run document).
//
//   -s n=64..4096:*2          n = 64, 128, ..., 4096        (geometric: ":*K")
//   -s n=0..1000:+250         n = 0, 250, 500, 750, 1000    (arithmetic: ":+K" or ":K"; default step +1)
//   -s n=100,1000,10000       a list: a bare value after `name=` continues that name's list
//   -s n=64..1024:*2,d=8,16   the product: every n with every d, in the order written
//   --threads 1..8, --threads 1,2,4, --threads 1..8:*2, --blas-threads 1,2 (kprof/job.h ThreadPlan)
//   -s gemm:n=64..512:*2      a sweep of one family's sizes only (kprof/size.h specs_for_family)
// A range includes its start and every step up to (and including) its end. Specs without a range
// or a list ("512x64,chunk=128") pass through unchanged.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kprof {

// The plain size specs one spec stands for. Throws UsageError for an empty or inverted range, a
// step that does not advance, or a value that is not a whole number, naming the spec.
std::vector<std::string> expand_size_spec(std::string_view spec);

// Thread counts from "4", "1..8", "1,2,4" or "1..8:*2", each in 1..max_threads. Throws UsageError
// naming `option` ("--threads", "--blas-threads").
std::vector<int> parse_thread_list(std::string_view text, int max_threads, std::string_view option = "--threads");

// The most threads a run accepts: 8 per logical CPU, at least 8. Past that a sweep measures the
// scheduler, not the kernel, and a typo such as --threads 1..800 is caught before it runs.
int thread_limit(int logical_cpus);

// A sweep larger than `max_points` runs only when the user said --yes: a typo such as
// n=1..100000 would otherwise start a day-long run. Throws UsageError with the count.
void check_sweep_size(std::size_t points, std::size_t max_points, bool yes);

}  // namespace kprof
