#pragma once
// The environment fingerprint every run carries, and the machine's measured peak.
#include <filesystem>
#include <string>
#include <vector>

#include "kprof/run.h"

namespace kprof {

Environment collect_environment(int threads);

// FMA GFLOP/s (f32, f64) per core at the widest ISA and STREAM-triad GB/s, measured by kprof.
// Cached in $KPROF_CACHE_DIR or ~/.cache/kprof/peak.json keyed by CPU model and ISA;
// `refresh` measures again. Takes about a second when measured.
MachinePeak machine_peak(bool refresh);

// The CPU's caches from Linux's sysfs (<dir>/index*/{level,type,size}); empty when absent. Not
// glibc's sysconf(_SC_LEVEL3_CACHE_SIZE), which trusts CPUID (a VM reported a 508 MiB L3).
std::vector<CacheLevel> read_cpu_caches(const std::filesystem::path& dir = "/sys/devices/system/cpu/cpu0/cache");

// The largest data or unified cache of this machine in bytes (0 when unknown): a memory-bound
// kernel whose bytes per call fit in it is fed from cache, not DRAM.
double last_level_cache_bytes();

// Called by the CLI before OpenBLAS is first used: a description of the OpenBLAS kernels in use.
std::string blas_code_path();

}  // namespace kprof
