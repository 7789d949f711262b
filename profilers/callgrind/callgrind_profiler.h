#pragma once
// `kprof callgrind`: runs a kernel region (or a whole program) under valgrind's callgrind and
// turns the file it writes into hotspot tables and a Run section.
//
// For a kernel, kprof re-runs its own binary as `kprof region <family/variant> --collector
// callgrind ...` under `valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no`: the
// problem is set up without callgrind's instrumentation (but still under valgrind's core, which
// cannot be skipped: ~3x native for integer code, ~100x for glibc's libm, docs/PERFORMANCE.md),
// and CallgrindRegionHooks switch instrumentation and collection on for the kernel region only.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kprof/job.h"
#include "kprof/kernel.h"
#include "kprof/registry.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/callgrind_profile.h"
#include "kprof/runner.h"
#include "kprof/sections/callgrind.h"

namespace kprof {

// Client requests around the region (no-ops when not running under valgrind).
class CallgrindRegionHooks : public RegionHooks {
 public:
  void on_enter() override;
  void on_exit() override;
};

struct CallgrindOptions {
  bool cache_sim = false;
  bool branch_sim = false;
  std::vector<std::string> toggle_collect;  // program mode: collect inside these functions only
  std::filesystem::path out_dir = ".";
};

// The valgrind binary; throws ToolError saying how to install it when it is missing. Running
// valgrind throws ToolError when valgrind fails (with the end of its log).
std::filesystem::path require_valgrind();

struct CallgrindRun {
  std::filesystem::path file;  // the callgrind.out.* written
  CallgrindProfile profile;
  double region_seconds = 0;  // wall time of the region under valgrind (kernel mode)
  double total_seconds = 0;   // wall time of the whole valgrind run
  int exit_status = 0;        // program mode: the program's status (128 + N for signal N)
};

struct KernelTarget {
  Job job;
  std::int64_t iterations = 1;
};

// callgrind.out.<family>.<variant>.<dtype>.<size>
std::string callgrind_file_name(const KernelTarget& target);

// Runs the region under callgrind; the file is moved into place only when valgrind succeeded.
CallgrindRun run_callgrind_kernel(const KernelTarget& target, const CallgrindOptions& options);
// Runs `argv` under callgrind (whole program, or --toggle-collect functions).
CallgrindRun run_callgrind_program(const std::vector<std::string>& argv, const CallgrindOptions& options);

// One entry of the Run's callgrind section (kprof/sections/callgrind.h, docs/CALLGRIND.md).
CallgrindEntry callgrind_entry(const KernelTarget& target, const CallgrindRun& run, std::size_t top = 10);
CallgrindEntry callgrind_program_entry(const std::vector<std::string>& argv, const CallgrindRun& run,
                                       std::size_t top = 10);

}  // namespace kprof
