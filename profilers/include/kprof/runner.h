#pragma once
// The timing runner and the kernel region. Every profiler aims at the same region: the problem
// is set up first (never measured), then the variant runs `iterations` times between on_enter()
// and on_exit(). Profilers plug in as RegionHooks.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kprof/job.h"
#include "kprof/kernel.h"
#include "kprof/registry.h"
#include "kprof/run.h"
#include "kprof/sections/figures.h"

namespace kprof {

// How to time; what to time is a list of Jobs (plan_jobs).
struct RunOptions {
  int rounds = 11;                  // interleaved rounds (A B C A B C ...), odd so the median is a sample
  double min_round_seconds = 0.02;  // each variant's batch per round lasts at least this long
  double warmup_seconds = 0.05;
  bool check = true;  // correctness check before timing (never skip in reports)
  // Called after each group of jobs is measured, with the jobs done so far and the total (a
  // sweep's progress line); may be empty.
  std::function<void(std::size_t done, std::size_t total)> on_progress;
};

// Runs the jobs: correctness first, then warm-up and interleaved rounds, each run of consecutive
// jobs of one family, size, dtype and thread count (job and BLAS) measured together. Progress lines go to `log`
// (stderr in the CLI) so that stdout stays a clean table or JSON. `figures`, when given, receives the
// figures of every checked variant whose family reports some (FamilyRecord::figures).
std::vector<Result> run_benchmarks(const std::vector<Job>& jobs, const RunOptions& options, const MachinePeak& peak,
                                   std::FILE* log, FiguresSection* figures = nullptr);

// Max normwise relative error of `out` against `ref`: max|out-ref| / max(max|ref|, tiny).
// Returns +inf when sizes differ or `out` holds NaN.
double max_rel_error(const OutputView& out, const OutputView& ref);

// Correctness of one variant at one size against the family's plain reference.
struct CheckResult {
  double max_rel_error = 0;
  bool ok = false;
  std::string reason;  // empty when ok: "max relative error 3e-05 exceeds tolerance 1e-10"
  // The family's figures (FamilyRecord::figures) as the checked call left them, name -> value.
  std::map<std::string, double> figures;
};

// "Fresh problem + reference output" in one place, for `kprof run`, `kprof bench` and the tests:
// the reference runs once, at the first check, per family, size and dtype; every checked variant
// gets a fresh problem of the same seed, so no variant sees another's writes. A variant that throws
// propagates the exception.
class ReferenceCheck {
 public:
  ReferenceCheck(const FamilyRecord& family, Size size, DType dtype);
  ~ReferenceCheck();
  CheckResult check(std::size_t variant);

 private:
  const FamilyRecord& family_;
  Size size_;
  DType dtype_;
  std::unique_ptr<Instance> reference_;
};

// One check with its own reference (ReferenceCheck for several variants of one size).
CheckResult check_variant(const FamilyRecord& family, std::size_t variant, const Size& size, DType dtype);

// What really runs for a variant on this machine (VariantSpec::code_path or a description).
std::string describe_code_path(const FamilyRecord& family, std::size_t variant);

class RegionHooks {
 public:
  virtual ~RegionHooks() = default;
  virtual void on_enter() {}
  virtual void on_exit() {}
};

struct RegionOptions {
  std::int64_t iterations = 1;
  bool warmup = true;  // one call before the region (page faults, lazy BLAS init stay outside)
  // With iterations == 0: as many calls as fill this many seconds, estimated from warm calls after
  // the warm-up (so the problem is built once, not once to calibrate and once to run).
  double fill_seconds = 0;
};

// Sets up the job's problem, then runs the variant inside the hooks with the job's threads.
// Returns the region's wall time; `calls`, when given, receives the number of calls made inside
// the region.
double run_region(const Job& job, const RegionOptions& options, RegionHooks& hooks, std::int64_t* calls = nullptr);

// Sets the thread count everywhere kprof controls it: threaded variants (current_threads()) get
// `threads`, the BLAS pools `blas_threads` (0: as many as `threads`; kprof::ThreadLimits).
void set_threads(int threads, int blas_threads = 0);
int current_threads();

}  // namespace kprof
