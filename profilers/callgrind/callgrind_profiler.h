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

// The build a kernel's region runs in under valgrind (CallgrindEntry::build). Valgrind does not emulate
// AVX-512: a variant that needs it here runs in the valgrind-safe flavour next to this binary
// (`<binary>-valgrind`, built by kprof_add_family / kprof_add_kernels), where its code is compiled
// for AVX2 when it has no AVX-512 intrinsics (AVX512_PORTABLE: Eigen). Every other variant runs in
// this binary, the code `kprof run` measures.
inline constexpr std::string_view kNativeBuild = "native";
inline constexpr std::string_view kValgrindSafeBuild = "avx2 (valgrind-safe)";

struct CallgrindBuild {
  std::filesystem::path binary;  // the kprof that valgrind runs the region in
  std::string label;             // kNativeBuild or kValgrindSafeBuild
};

// Where `job`'s region can run under valgrind; UsageError naming why when nowhere (a variant
// written with AVX-512 intrinsics, an ISA this CPU lacks).
CallgrindBuild callgrind_build_for(const Job& job);

// `job`'s variant checked against its family's reference in `build` (run natively, not under
// valgrind): the code that build's region ran. ToolError when that build fails to say.
CheckResult check_in_build(const CallgrindBuild& build, const Job& job);

struct CallgrindRun {
  std::filesystem::path file;  // the callgrind.out.* written
  CallgrindBuild build;        // kernel mode: the build whose region ran
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
