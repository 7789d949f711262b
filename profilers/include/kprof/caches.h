#pragma once
// The CPU's caches: what `env` shows, what the runner's "fits in the last-level cache" roofline mark
// and the sweep's cache knees (kprof/reports/sweep.h) compare with. Linux's sysfs first (the
// kernel's view, one entry per cache instance); where a VM's sysfs has none, CPUID's own cache
// description, with the levels no real cache could be dropped (a VM's CPUID reported a 508 MiB L3:
// the host's total, not one cache). The source used is recorded (Environment::cache_source).
#include <cstdint>
#include <filesystem>
#include <functional>
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

// One CPUID query's registers.
struct CpuidRegs {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};
using CpuidFn = std::function<CpuidRegs(std::uint32_t leaf, std::uint32_t subleaf)>;

// The caches CPUID describes: the deterministic cache parameters, leaf 4 on Intel and leaf
// 0x8000001D on AMD (with topology extensions), or AMD's older leaves 0x80000005/0x80000006
// (L1d, L1i, L2, L3) where a hypervisor hides 0x8000001D. Levels above 128 MiB are left out: the
// largest single cache shipped (AMD's 3D V-Cache L3) is 96 MiB. `cpuid` answers the queries (the
// CPU's own instruction by default; tests pass recorded registers).
std::vector<CacheLevel> read_cpuid_caches(const CpuidFn& cpuid = {});

// This machine's caches and where they came from: "sysfs", "cpuid", or "" when neither says.
struct MachineCaches {
  std::vector<CacheLevel> levels;  // every cache, instruction caches included
  std::string source;
};
const MachineCaches& machine_caches();  // read once

// This machine's caches that hold data (no instruction cache), smallest level first; read once.
const std::vector<CacheLevel>& data_caches();

// The largest data or unified cache of this machine in bytes (0 when unknown): a memory-bound
// kernel whose bytes per call fit in it is fed from cache, not DRAM.
double last_level_cache_bytes();

}  // namespace kprof
