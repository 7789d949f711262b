// Line-timer overhead (docs/PERFORMANCE.md, "## line timers"):
//  - BM_ClockRead: one read of the markers' clock (rdtsc or clock_gettime), for context.
//  - BM_MarkerAddedNsPerHit: a real kernel loop with one KPROF_LINE per row (each hit re-marks the
//    open line: the same-line fast path, no clock read), against the same loop compiled without
//    markers, interleaved; counter added_ns_per_hit = (marked - plain) / hits.
//  - BM_TransitionMarkerAddedNsPerHit: the same loop with two KPROF_LINEs per row, so every hit
//    changes line and reads the clock; added_ns_per_hit = (marked - plain) / (2 rows).
//  - BM_NmfLinesVsWall: nmf/scalar at the default size: the per-line times of nls_scalar (marker
//    cost subtracted) summed, against the wall time of the same function built without markers;
//    counter lines_over_wall should be within 5% of 1. Diagnostics: the marked call's wall timed
//    from outside (marked_wall_outside_ms, lines_over_marked_outside), the TSC rate used, and
//    both calls' thread CPU time (plain_cpu_ms, marked_cpu_ms: no preemption in them).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

#include "kprof/kernel.h"
#include "kprof/lines/collector.h"
#include "kprof/lines/report.h"
#include "nmf_problem.h"

namespace kprof::bench {
namespace marked {
void rows_times_vector(const double* A, const double* x, double* y, std::int64_t rows, std::int64_t cols);
void rows_times_vector_two_lines(const double* A, const double* x, double* y, std::int64_t rows, std::int64_t cols);
}  // namespace marked
namespace plain {
void rows_times_vector(const double* A, const double* x, double* y, std::int64_t rows, std::int64_t cols);
void rows_times_vector_two_lines(const double* A, const double* x, double* y, std::int64_t rows, std::int64_t cols);
}  // namespace plain
}  // namespace kprof::bench

namespace kprof::targets::nmf {
namespace instrumented {
template <class T>
void nls_scalar(NmfProblem<T>& p);
}
namespace plain {
template <class T>
void nls_scalar(NmfProblem<T>& p);
}
}  // namespace kprof::targets::nmf

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// This thread's CPU time: unlike wall time, preemption by other processes does not count.
double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void BM_ClockRead(benchmark::State& state) {
  kprof::lines::calibrate();
  std::uint64_t sum = 0;
  for (auto _ : state) sum += kprof::lines::detail::read_clock();
  benchmark::DoNotOptimize(sum);
  state.SetLabel(kprof::lines::calibrate().source);
}
BENCHMARK(BM_ClockRead);

using RowsKernel = void (*)(const double*, const double*, double*, std::int64_t, std::int64_t);

// The marked kernel against the same source compiled without markers, interleaved, so that the
// machine's load hits both alike; hits_per_row marker hits happen per row.
void marker_added_ns(benchmark::State& state, RowsKernel plain_kernel, RowsKernel marked_kernel, int hits_per_row) {
  const std::int64_t rows = 4096, cols = state.range(0);
  std::vector<double> A(rows * cols), x(cols), y(rows);
  kprof::fill_uniform(std::span<double>(A), 1);
  kprof::fill_uniform(std::span<double>(x), 2);
  kprof::lines::calibrate();
  std::vector<double> plain_ns, marked_ns;
  for (auto _ : state) {
    // Interleaved, so that the machine's load hits both alike.
    auto t0 = Clock::now();
    plain_kernel(A.data(), x.data(), y.data(), rows, cols);
    plain_ns.push_back(seconds_since(t0) * 1e9);
    auto t1 = Clock::now();
    marked_kernel(A.data(), x.data(), y.data(), rows, cols);
    marked_ns.push_back(seconds_since(t1) * 1e9);
    benchmark::DoNotOptimize(y.data());
  }
  double plain = median(plain_ns), marked = median(marked_ns);
  state.counters["plain_ns_per_row"] = plain / rows;
  state.counters["marked_ns_per_row"] = marked / rows;
  state.counters["added_ns_per_hit"] = (marked - plain) / static_cast<double>(rows * hits_per_row);
}

void BM_MarkerAddedNsPerHit(benchmark::State& state) {
  marker_added_ns(state, kprof::bench::plain::rows_times_vector, kprof::bench::marked::rows_times_vector, 1);
}
BENCHMARK(BM_MarkerAddedNsPerHit)->Arg(16)->Arg(64)->Arg(256);

void BM_TransitionMarkerAddedNsPerHit(benchmark::State& state) {
  marker_added_ns(state, kprof::bench::plain::rows_times_vector_two_lines,
                  kprof::bench::marked::rows_times_vector_two_lines, 2);
}
BENCHMARK(BM_TransitionMarkerAddedNsPerHit)->Arg(16)->Arg(64)->Arg(256);

void BM_NmfLinesVsWall(benchmark::State& state) {
  using kprof::targets::nmf::NmfProblem;
  kprof::Size size({{"m", 64}, {"n", 1797}, {"k", 16}});
  NmfProblem<double> plain_problem(size), marked_problem(size);
  kprof::lines::ClockInfo clock = kprof::lines::calibrate();
  std::vector<double> wall_ns, lines_ns, fn_wall_ns, marked_outside_ns, ticks_per_ns, plain_cpu_ns, marked_cpu_ns;
  for (auto _ : state) {
    double c0 = thread_cpu_seconds();
    auto t0 = Clock::now();
    kprof::targets::nmf::plain::nls_scalar(plain_problem);
    wall_ns.push_back(seconds_since(t0) * 1e9);
    plain_cpu_ns.push_back((thread_cpu_seconds() - c0) * 1e9);
    kprof::lines::reset();
    double c1 = thread_cpu_seconds();
    auto t1 = Clock::now();
    kprof::targets::nmf::instrumented::nls_scalar(marked_problem);
    marked_outside_ns.push_back(seconds_since(t1) * 1e9);
    marked_cpu_ns.push_back((thread_cpu_seconds() - c1) * 1e9);
    kprof::lines::Snapshot snapshot = kprof::lines::collect(clock);
    ticks_per_ns.push_back(snapshot.clock.ticks_per_ns);
    kprof::lines::Report report = kprof::lines::build_report(snapshot);
    for (const auto& f : report.functions)
      if (f.function == "nls_scalar") {
        lines_ns.push_back(f.total_ns);
        fn_wall_ns.push_back(f.wall_ns);
      }
  }
  double wall = median(wall_ns), lines = median(lines_ns);
  state.counters["plain_wall_ms"] = wall / 1e6;
  state.counters["sum_of_lines_ms"] = lines / 1e6;
  state.counters["marked_wall_net_ms"] = median(fn_wall_ns) / 1e6;
  state.counters["lines_over_wall"] = lines / wall;
  // Apart from the target's ratio: the marked call timed from outside as the plain one is, so that
  // the markers' effect on the code (marked_outside / plain) and the accuracy of the attribution
  // and its TSC rate (sum of lines / marked_outside) can be told apart.
  state.counters["marked_wall_outside_ms"] = median(marked_outside_ns) / 1e6;
  state.counters["lines_over_marked_outside"] = lines / median(marked_outside_ns);
  state.counters["ticks_per_ns"] = median(ticks_per_ns);
  // CPU time of each call: whether the marked code itself runs slower or faster than the plain.
  state.counters["plain_cpu_ms"] = median(plain_cpu_ns) / 1e6;
  state.counters["marked_cpu_ms"] = median(marked_cpu_ns) / 1e6;
  state.counters["outer_iterations"] = plain_problem.n_iter;
}
BENCHMARK(BM_NmfLinesVsWall)->Unit(benchmark::kMillisecond)->Iterations(15);

}  // namespace
