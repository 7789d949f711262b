// `kprof bench [filters] [-s size] [-t dtype] -- --benchmark_...`: every selected variant as a
// Google Benchmark benchmark, so users keep their flags, JSON output and tools/compare.py.
#include <benchmark/benchmark.h>

#include <memory>

#include "commands.h"
#include "kprof/errors.h"
#include "kprof/registry.h"
#include "kprof/runner.h"

namespace kprof::cli {
namespace {

void register_benchmark(FamilyRecord* family, std::size_t v, const Size& size, DType dtype) {
  std::string name =
      family->name + "/" + family->variants[v].spec.name + "/" + std::string(to_string(dtype)) + "/" + size.str();
  benchmark::RegisterBenchmark(name.c_str(), [family, v, size, dtype](benchmark::State& state) {
    if (std::string why = isa_skip_reason(family->variants[v].spec.isa); !why.empty()) {
      state.SkipWithError(("skipped: " + why).c_str());
      return;
    }
    CheckResult check = check_variant(*family, v, size, dtype);
    if (!check.ok) {
      state.SkipWithError(("wrong: " + check.reason).c_str());
      return;
    }
    auto instance = family->make_instance(size, dtype);  // setup stays outside the timed loop
    for (auto _ : state) instance->run(v, 1);
    double flops = family->flops ? family->flops(size) : 0;
    double bytes = family->bytes ? family->bytes(size, element_bytes(dtype)) : 0;
    state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
    state.counters["max_rel_err"] = check.max_rel_error;
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
    std::vector<DType> dtypes = args->dtype == "both" ? std::vector<DType>{DType::f64, DType::f32}
                                                      : std::vector<DType>{dtype_from_string(args->dtype)};
    for (const Selection& s : select(args->filters)) {
      std::vector<Size> sizes;
      if (!args->sizes.empty()) {
        for (const auto& spec : args->sizes) sizes.push_back(parse_size(s.family->params, spec));
      } else if (!s.family->default_sizes.empty()) {
        for (const auto& spec : s.family->default_sizes) sizes.push_back(parse_size(s.family->params, spec));
      } else {
        sizes.push_back(default_size(s.family->params));
      }
      for (const Size& size : sizes)
        for (DType d : dtypes)
          for (std::size_t v : s.variants) register_benchmark(s.family, v, size, d);
    }
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
  });
}

}  // namespace kprof::cli
