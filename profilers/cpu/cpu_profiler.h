#pragma once
// `kprof cpu`: gperftools' sampling CPU profiler around a kernel region (or a whole program via
// LD_PRELOAD=libprofiler.so), symbolised by kprof itself (libdwfl) into per-function and
// per-line sample tables and a callgrind-format file (event "Samples") for kcachegrind.
//
// libprofiler is loaded with dlopen when a region is profiled, so the kprof binary does not link
// it (no SIGPROF machinery, no CPUPROFILE handling in every kprof process).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "gperf_profile.h"
#include "kprof/job.h"
#include "kprof/registry.h"
#include "kprof/reports/callgrind_profile.h"
#include "kprof/runner.h"
#include "kprof/sections/cpu.h"

namespace kprof {

// ProfilerStart(path) on enter, ProfilerStop() on exit, and the process's CPU time in between
// (what the samples should add up to). Throws ToolError (how to install gperftools) when
// libprofiler cannot be loaded.
class CpuProfilerHooks : public RegionHooks {
 public:
  explicit CpuProfilerHooks(std::filesystem::path profile);
  void on_enter() override;
  void on_exit() override;
  double cpu_seconds() const { return cpu_seconds_; }

 private:
  std::filesystem::path profile_;
  int (*start_)(const char*) = nullptr;
  void (*stop_)() = nullptr;
  double cpu_start_ = 0;
  double cpu_seconds_ = 0;
};

// Sets CPUPROFILE_FREQUENCY (samples per second) for profilers started later in this process.
void set_cpu_profile_frequency(int hz);

// Every sampled stack symbolised once (innermost first): each PC's frames with inlined calls
// expanded, the runtime's code inlined into the program's left out (charged to the line that
// inlined it). What the callgrind-format file and the pprof file are both made of.
std::vector<SampledStack> symbolise_samples(const GperfProfile& profile);
// Cost lines at the sampled PCs (self samples), calls with inclusive samples between adjacent
// frames (each caller/callee pair counted once per stack).
CallgrindProfile cpu_stacks_to_callgrind(const std::vector<SampledStack>& stacks, std::uint64_t period_us,
                                         const std::string& command);
CallgrindProfile cpu_profile_to_callgrind(const GperfProfile& profile, const std::string& command);

struct CpuRun {
  std::filesystem::path profile_file;    // gperftools' own file
  std::filesystem::path callgrind_file;  // kprof's conversion
  GperfProfile raw;
  std::vector<SampledStack> stacks;  // raw's samples symbolised
  CallgrindProfile profile;
  double region_seconds = 0;  // wall time of the region (kernel mode) or of the program
  double cpu_seconds = 0;     // CPU time (all threads) of the region, or of the program
  int exit_status = 0;        // program mode: the program's status (128 + N for signal N)
  // Program mode: what the program exec'd, in order. The profile is the last image's, from its start.
  std::vector<std::string> execs;
};

// Samples per CPU second actually taken. gperftools asks for SIGPROF every 1/frequency s of CPU
// time, but the kernel checks CPU-time timers only at its scheduler tick (CONFIG_HZ: 250 on
// many distribution kernels, at most 1000), so above the tick rate there are fewer samples than
// asked for (and each stands for more CPU time than the period says).
double samples_per_cpu_second(const CpuRun& run);
// A warning for the report when the rate fell well short of `frequency` (empty otherwise, or when
// the region was too short to tell).
std::string sampling_rate_note(const CpuRun& run, int frequency);

struct CpuKernelTarget {
  Job job;
  std::int64_t iterations = 0;  // 0: as many as fill `seconds`
  double seconds = 1.0;
  int frequency = 1000;
};

// In this process: sets the problem up, then profiles the repeated region.
CpuRun run_cpu_kernel(CpuKernelTarget& target, const std::filesystem::path& out_dir);
// LD_PRELOAD=libprofiler.so CPUPROFILE=<file> program args.
CpuRun run_cpu_program(const std::vector<std::string>& argv, int frequency, const std::filesystem::path& out_dir);

// One entry of the Run's cpu section (kprof/sections/cpu.h).
CpuEntry cpu_entry(const CpuKernelTarget& target, const CpuRun& run, std::size_t top = 10);
CpuEntry cpu_program_entry(const std::vector<std::string>& argv, const CpuRun& run, std::size_t top = 10);

}  // namespace kprof
