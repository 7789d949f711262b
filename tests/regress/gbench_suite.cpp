// A Google Benchmark suite as a team would have one (BENCHMARK, Arg, ArgName, templates, units),
// for the tests of kprof's Google Benchmark import (test_gbench_import.cpp). One knob makes the
// "current build" slower on purpose, read outside the timed loop:
//   KPROF_GBENCH_EXTRA_TIME_PCT=100   BM_SumOfSquares spins for that % of its work's duration
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <vector>

namespace {

double extra_time_pct() {
  const char* v = std::getenv("KPROF_GBENCH_EXTRA_TIME_PCT");
  return v ? std::strtod(v, nullptr) : 0.0;
}

std::vector<double> data(std::int64_t n) {
  std::vector<double> x(static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.5 + static_cast<double>((i * 7919) % 1000) / 1000.0;
  return x;
}

void BM_SumOfSquares(benchmark::State& state) {
  const std::vector<double> x = data(state.range(0));
  const double extra = extra_time_pct() / 100.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    double sum = 0;
    for (double v : x) sum += v * v;
    benchmark::DoNotOptimize(sum);
    if (extra > 0) {
      const auto until = std::chrono::steady_clock::now() + (std::chrono::steady_clock::now() - start) * extra;
      while (std::chrono::steady_clock::now() < until) {
      }
    }
  }
}
BENCHMARK(BM_SumOfSquares)->Arg(1 << 12)->Arg(1 << 14);

template <class T>
void BM_Sort(benchmark::State& state) {
  std::vector<T> unsorted(static_cast<std::size_t>(state.range(0)));
  for (std::size_t i = 0; i < unsorted.size(); ++i) unsorted[i] = static_cast<T>((i * 2654435761u) % 100003);
  for (auto _ : state) {
    std::vector<T> x = unsorted;
    std::sort(x.begin(), x.end());
    benchmark::DoNotOptimize(x.data());
  }
}
BENCHMARK_TEMPLATE(BM_Sort, int)->ArgName("n")->Arg(1 << 12)->Unit(benchmark::kMicrosecond);

void BM_Accumulate(benchmark::State& state) {
  const std::vector<double> x = data(1 << 12);
  for (auto _ : state) benchmark::DoNotOptimize(std::accumulate(x.begin(), x.end(), 0.0));
}
BENCHMARK(BM_Accumulate)->UseRealTime();  // one thread: two on a shared 2-core machine move by 30%

}  // namespace

BENCHMARK_MAIN();
