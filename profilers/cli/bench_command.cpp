// `kprof bench [filters] [-s size] [-t dtype] -- --benchmark_...`: every selected variant as a
// Google Benchmark benchmark, so users keep their flags, JSON output and tools/compare.py.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "commands.h"
#include "kprof/errors.h"
#include "kprof/job.h"
#include "kprof/registry.h"
#include "kprof/runner.h"

namespace kprof::cli {
namespace {

// Variants found wrong or failing, by key: what makes `kprof bench` exit 1, and what it names.
using Findings = std::shared_ptr<std::map<std::string, std::string>>;

void register_benchmark(const Job& job, const Findings& findings) {
  benchmark::RegisterBenchmark(job.key().c_str(), [job, findings](benchmark::State& state) {
    const FamilyRecord* family = job.target.family;
    const std::size_t v = job.target.variant;
    const Size& size = job.size;
    const DType dtype = job.dtype;
    if (std::string why = isa_skip_reason(job.variant().isa); !why.empty()) {
      state.SkipWithError(("skipped: " + why).c_str());
      return;
    }
    CheckResult check;
    try {
      check = check_variant(*family, v, size, dtype);
    } catch (const std::exception& e) {
      check.reason = std::string("threw: ") + e.what();
    }
    if (!check.ok) {
      const std::string why = (check.reason.rfind("threw: ", 0) == 0 ? "failed: " : "wrong: ") + check.reason;
      (*findings)[job.key()] = why;
      state.SkipWithError(why.c_str());
      return;
    }
    auto instance = family->make_instance(size, dtype);  // setup stays outside the timed loop
    for (auto _ : state) instance->run(v, 1);
    double flops = family->flops ? family->flops(size) : 0;
    double bytes = family->bytes ? family->bytes(size, element_bytes(dtype)) : 0;
    state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
    // A label, not a counter: Google Benchmark would print 2e-15 as "2f" (femto).
    char error[48];
    std::snprintf(error, sizeof error, "max_rel_err=%.3g", check.max_rel_error);
    state.SetLabel(error);
  })->UseRealTime();
}

}  // namespace

void add_bench_command(CLI::App& app, Context& ctx) {
  struct Args {
    std::vector<std::string> filters, sizes;
    std::string dtype = "both";
    int threads = 1;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand("bench", "Run the selected variants through Google Benchmark (flags after --)");
  sub->add_option("filters", args->filters, "family, family/variant, ... (default: all)");
  sub->add_option("-s,--size", args->sizes, "size spec (repeatable; default: the family's)");
  sub->add_option("-t,--dtype", args->dtype, "f32, f64 or both")->capture_default_str();
  sub->add_option("--threads", args->threads, "threads for BLAS and threaded variants")->check(CLI::Range(1, 1024));
  sub->callback([args, &ctx] {
    set_threads(args->threads);
    auto findings = std::make_shared<std::map<std::string, std::string>>();
    for (const Job& job : plan_jobs(args->filters, args->sizes, parse_dtypes(args->dtype), args->threads))
      register_benchmark(job, findings);
    std::vector<std::string> storage = {"kprof bench"};
    for (const auto& a : ctx.passthrough) storage.push_back(a);
    std::vector<char*> argv;
    for (auto& a : storage) argv.push_back(a.data());
    int argc = static_cast<int>(argv.size());
    benchmark::Initialize(&argc, argv.data());
    if (benchmark::ReportUnrecognizedArguments(argc, argv.data()))
      throw UsageError("unrecognised Google Benchmark flag after '--' (see --benchmark_help... flags in its docs)");
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    for (const auto& [key, why] : *findings) {
      std::cerr << "kprof bench: finding: " << key << " is " << why << "\n";
      ctx.exit_code = kExitFinding;
    }
  });
}

}  // namespace kprof::cli
