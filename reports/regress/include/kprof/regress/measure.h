#pragma once
// How the gate measures two builds on this machine (binary mode of `kprof regress`): the two kprof
// binaries run alternately in ABBA order, the profilers once per binary, and the wall-time suspects
// measured a second time (confirm.h). Running a binary goes through a BenchmarkRunner, so tests
// drive this logic with a fake one and `kprof regress` with kprof processes (process_runner.h).
#include <functional>
#include <string>
#include <vector>

#include "kprof/regress/compare.h"
#include "kprof/run.h"

namespace kprof::regress {

// One invocation of a kprof binary: what to run and on which benchmarks.
struct BenchmarkRequest {
  std::string binary;
  std::string label;               // names the invocation in messages: "baseline run 3"
  std::string subcommand = "run";  // "run" (wall time), "callgrind" or "mem"
  std::vector<std::string> filters;
  std::vector<std::string> sizes;  // empty: each family's default
  std::string dtype;               // "", "f32", "f64" or "both"
  int rounds = 5;                  // run only
  double min_time_ms = 10;         // run only
  bool operator==(const BenchmarkRequest&) const = default;
};

class BenchmarkRunner {
 public:
  virtual ~BenchmarkRunner() = default;
  // The Run document the binary wrote; ToolError when it failed.
  virtual Run run(const BenchmarkRequest& request) = 0;
};

struct MeasureOptions {
  std::vector<std::string> filters;
  std::vector<std::string> sizes;
  std::string dtype;
  int rounds = 5;
  double min_time_ms = 10;
  // 7 ABBA pairs: one pair spoiled by a load spike still leaves the rank test below 0.05 (with 5,
  // 1 of 10 injected +20% slowdowns went unflagged that way; docs/REGRESS.md).
  int alternations = 7;
  std::vector<std::string> collect;                  // profilers run once per binary: "callgrind", "mem"
  std::function<void(const std::string&)> progress;  // one line per step done; empty: silent
};

struct Binaries {
  std::string baseline, current;
};

struct Sides {
  Run baseline, current;
};

// One side of an interleaved comparison: the rounds of every invocation pooled (the run's summary)
// and each invocation's median in alternation order in its PairedMediansSection (sample i of both
// sides was measured back to back: the samples of the paired estimate and of the rank test).
Run combine_invocations(const std::vector<Run>& runs);

// `alternations` invocations of `run` per binary in ABBA order (A B, B A, A B ...; B A, A B ...
// with `current_first`): slow drift of the machine hits both sides equally.
Sides measure_interleaved(BenchmarkRunner& runner, const Binaries& bins, const MeasureOptions& options,
                          bool current_first = false);

// measure_interleaved, then each `collect` profiler once per binary, merged into its side.
Sides measure_binaries(BenchmarkRunner& runner, const Binaries& bins, const MeasureOptions& options);

// Measures the wall-time suspects of `gate` a second time (confirm.h): fresh alternations of the
// two binaries for those benchmarks only, twice as many as the first measurement, starting with
// the current build so that a disturbance tied to the order cannot repeat, one measurement per
// size and dtype. Returns the alarms not confirmed.
int confirm_time_alarms(BenchmarkRunner& runner, const Binaries& bins, const MeasureOptions& options,
                        const CompareOptions& compare, const Sides& first, Comparison& gate);

}  // namespace kprof::regress
