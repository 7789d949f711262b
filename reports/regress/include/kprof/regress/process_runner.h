#pragma once
// The BenchmarkRunner of `kprof regress`: runs a kprof binary as a child process (argv, no shell;
// kprof/process.h) and reads the Run document it writes.
#include <filesystem>

#include "kprof/regress/measure.h"

namespace kprof::regress {

class ProcessBenchmarkRunner : public BenchmarkRunner {
 public:
  // `scratch`: an existing folder for the profilers' output folders.
  explicit ProcessBenchmarkRunner(std::filesystem::path scratch) : scratch_(std::move(scratch)) {}

  // `<binary> run --format json ...` read from its stdout. `kprof mem` and `kprof callgrind` take
  // one benchmark, one size and one dtype: one invocation per combination, each writing into its
  // own folder, merged. Exit 1 (a wrong variant) still gives a document; any other failure, or
  // output that is no Run document, is a ToolError naming the invocation and its last error line.
  Run run(const BenchmarkRequest& request) override;

 private:
  Run run_profiler(const BenchmarkRequest& request);
  std::filesystem::path scratch_;
  int profiler_runs_ = 0;  // numbers the profilers' output folders
};

}  // namespace kprof::regress
