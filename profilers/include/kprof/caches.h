#pragma once
// The CPU's caches as Linux describes them in sysfs: what `env` shows, what the runner's "fits in the
// last-level cache" roofline mark and the sweep's cache knees (kprof/reports/sweep.h) compare with.
// Not glibc's sysconf(_SC_LEVEL3_CACHE_SIZE), which trusts CPUID (a VM reported a 508 MiB L3).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kprof {

// One cache of cpu0 (sysfs index<N>).
struct CacheLevel {
  int level = 0;
  std::string type;        // "Data", "Instruction", "Unified"
  std::int64_t bytes = 0;  // per instance (an L3 shared by a CCX or a socket counts once)

  std::string name() const;  // "L1d", "L1i", "L2", "L3"
  bool operator==(const CacheLevel&) const = default;
};

// The caches under `dir` (<dir>/index*/{level,type,size}); empty when absent (some VMs).
std::vector<CacheLevel> read_cpu_caches(const std::filesystem::path& dir = "/sys/devices/system/cpu/cpu0/cache");

// This machine's caches that hold data (no instruction cache), smallest level first; read once.
const std::vector<CacheLevel>& data_caches();

// The largest data or unified cache of this machine in bytes (0 when unknown): a memory-bound
// kernel whose bytes per call fit in it is fed from cache, not DRAM.
double last_level_cache_bytes();

}  // namespace kprof
