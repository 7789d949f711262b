// The hidden `kprof region`: the child process that profilers re-run (under valgrind, for one).
// It sets a job's problem up and runs one kernel region with a profiler's hooks.
#include <iostream>
#include <memory>

#include "callgrind_profiler.h"
#include "commands.h"
#include "cpu_profiler.h"
#include "kprof/atomic_file.h"
#include "kprof/isa.h"
#include "kprof/job.h"
#include "kprof/runner.h"

namespace kprof::cli {

void add_region_command(CLI::App& app, Context&) {
  // The child process profilers re-run: hidden from --help. The job comes as Job::to_args() wrote
  // it (family/variant -s SIZE -t DTYPE --threads N), read back by Job::from_args.
  struct RegionArgs {
    std::string collector = "none", cpu_profile, report;
    std::int64_t iterations = 1;
    bool print_isa = false, check = false;
  };
  auto r = std::make_shared<RegionArgs>();
  CLI::App* region = app.add_subcommand("region", "Run one kernel region with a profiler's hooks (internal)");
  region->group("");
  region->allow_extras();  // the job's arguments, for Job::from_args
  region->add_option("--iterations", r->iterations, "kernel calls in the region")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  region->add_option("--collector", r->collector, "none, callgrind or cpu")
      ->check(CLI::IsMember({"none", "callgrind", "cpu"}));
  region->add_option("--cpu-profile", r->cpu_profile, "gperftools profile file (collector cpu)");
  region->add_option("--report", r->report, "JSON file for the region's wall time");
  // `kprof callgrind` asks a valgrind-safe flavour what a variant needs there (callgrind_build_for).
  region->add_flag("--print-isa", r->print_isa, "print the ISA the variant needs in this binary, run nothing");
  // ... and has that flavour check the code it ran against the reference (check_in_build).
  region->add_flag("--check", r->check, "check the variant against its reference, print the result as JSON");
  region->callback([r, region] {
    const Job job = Job::from_args(region->remaining());
    if (r->print_isa) {
      std::cout << to_string(job.variant().isa) << "\n";
      return;
    }
    if (r->check) {
      const CheckResult c = check_variant(job.family(), job.target.variant, job.size, job.dtype);
      std::cout << nlohmann::json{{"ok", c.ok}, {"reason", c.reason}, {"max_rel_error", c.max_rel_error}}.dump()
                << "\n";
      return;
    }
    RegionOptions o;
    o.iterations = r->iterations;
    std::unique_ptr<RegionHooks> hooks;
    if (r->collector == "callgrind")
      hooks = std::make_unique<CallgrindRegionHooks>();
    else if (r->collector == "cpu")
      hooks = std::make_unique<CpuProfilerHooks>(r->cpu_profile.empty() ? "kprof.prof" : r->cpu_profile);
    else
      hooks = std::make_unique<RegionHooks>();
    double seconds = run_region(job, o, *hooks);
    if (!r->report.empty())
      write_file_atomically(r->report, nlohmann::json{{"seconds", seconds}, {"iterations", r->iterations}}.dump());
  });
}

}  // namespace kprof::cli
