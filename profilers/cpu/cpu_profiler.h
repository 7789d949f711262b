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

#include <nlohmann/json.hpp>

#include "gperf_profile.h"
#include "kprof/registry.h"
#include "kprof/reports/callgrind_profile.h"
#include "kprof/runner.h"

namespace kprof {

// ProfilerStart(path) on enter, ProfilerStop() on exit. Throws UsageError (how to install
// gperftools) when libprofiler cannot be loaded.
class CpuProfilerHooks : public RegionHooks {
 public:
  explicit CpuProfilerHooks(std::filesystem::path profile);
  void on_enter() override;
  void on_exit() override;

 private:
  std::filesystem::path profile_;
  int (*start_)(const char*) = nullptr;
  void (*stop_)() = nullptr;
};

// Sets CPUPROFILE_FREQUENCY (samples per second) for profilers started later in this process.
void set_cpu_profile_frequency(int hz);

// Symbolises every stack: cost lines at the sampled PCs (self samples), calls with inclusive
// samples between adjacent frames (each caller/callee pair counted once per stack).
CallgrindProfile cpu_profile_to_callgrind(const GperfProfile& profile, const std::string& command);

struct CpuRun {
  std::filesystem::path profile_file;    // gperftools' own file
  std::filesystem::path callgrind_file;  // kprof's conversion
  GperfProfile raw;
  CallgrindProfile profile;
  double region_seconds = 0;
};

struct CpuKernelTarget {
  VariantRef ref;
  Size size;
  DType dtype = DType::f64;
  std::int64_t iterations = 0;  // 0: as many as fill `seconds`
  double seconds = 1.0;
  int threads = 1;
  int frequency = 1000;
};

// In this process: sets the problem up, then profiles the repeated region.
CpuRun run_cpu_kernel(CpuKernelTarget& target, const std::filesystem::path& out_dir);
// LD_PRELOAD=libprofiler.so CPUPROFILE=<file> program args.
CpuRun run_cpu_program(const std::vector<std::string>& argv, int frequency, const std::filesystem::path& out_dir);

nlohmann::json cpu_result_json(const CpuKernelTarget& target, const CpuRun& run, std::size_t top = 10);
nlohmann::json cpu_program_json(const std::vector<std::string>& argv, const CpuRun& run, std::size_t top = 10);

}  // namespace kprof
