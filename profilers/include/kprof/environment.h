#pragma once
// The environment fingerprint every run carries, and the machine's measured peak.
#include <string>

#include "kprof/run.h"

namespace kprof {

Environment collect_environment(int threads);

// The current time as kprof stamps every record (Run::created_utc, the peak cache, history):
// ISO 8601 in UTC to the second, "2026-01-02T03:04:05Z".
std::string utc_now();

// The hash behind Environment::fingerprint (FNV-1a, 16 hex digits), for every writer of one.
std::string fnv1a_hex(const std::string& text);

// FMA GFLOP/s (f32, f64) per core at the widest ISA and STREAM-triad GB/s, measured by kprof.
// Cached in $KPROF_CACHE_DIR or ~/.cache/kprof/peak.json keyed by CPU model and ISA;
// `refresh` measures again. Takes about a second when measured.
MachinePeak machine_peak(bool refresh);

// Called by the CLI before a BLAS is first used: a description of the BLAS kernels in use (the
// pools kprof/thread_pools.h finds), or that the binary has none.
std::string blas_code_path();

}  // namespace kprof
