// The PERFORMANCE.md harness for issue 5: ~1 s of native setup, then a ~50 ms native kernel, so that
// region-only callgrind (what `kprof callgrind` does) can be compared with whole-program callgrind.
//
//   kprof_bench_region_harness <region|whole> <typical|libm> [setup_rounds] [kernel_reps]
//
// `region` toggles callgrind around the kernel only (run it with --instr-atstart=no
// --collect-atstart=no, as kprof does); `whole` leaves everything to valgrind.
//
// Two setups, because the gain of region-only profiling depends on what valgrind's core (which
// still runs the setup: valgrind cannot attach to a running process) makes of the setup code:
//   typical  what kernel harnesses (kprof's own families included) do: allocate, fill with
//            std::mt19937 + std::uniform_real_distribution, build an index array and sort it by key.
//            Integer and plain floating-point code, which valgrind's core runs a few times slower
//            than native.
//   libm     sin/cos of every element: the worst case. glibc's libm runs ~100x slower under
//            valgrind's core alone (measured with --tool=none), as slow as under callgrind, so
//            region-only cannot gain much there.
// The defaults (typical: 4 rounds, libm: 50 rounds; 45 kernel reps) give ~1 s of setup and ~50 ms of kernel natively on
// the 2-core Sapphire Rapids VM of docs/PERFORMANCE.md; the times are printed so that the sizing is checked on every
// run rather than assumed.
#include <valgrind/callgrind.h>

#include <time.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

namespace {

constexpr std::size_t kN = std::size_t{1} << 20;

struct Problem {
  std::vector<double> a, b;
};

// One round builds the whole problem again, from fresh allocations, as a harness that sets up
// several sizes or seeds would: random pairs (a, b), then sorted by a (an index array sorted by
// key, then b gathered into that order).
__attribute__((noinline)) void setup_typical(Problem& p, int rounds) {
  for (int r = 0; r < rounds; ++r) {
    std::mt19937 rng(1234 + r);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> a(kN), b(kN);
    for (auto& x : a) x = dist(rng);
    for (auto& x : b) x = dist(rng);
    std::vector<std::uint32_t> order(kN);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t i, std::uint32_t j) { return a[i] < a[j]; });
    p.a.resize(kN);
    p.b.resize(kN);
    for (std::size_t i = 0; i < kN; ++i) {
      p.a[i] = a[order[i]];
      p.b[i] = b[order[i]];
    }
  }
}

__attribute__((noinline)) void setup_libm(Problem& p, int rounds) {
  p.a.assign(kN, 0.0);
  p.b.assign(kN, 0.0);
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < kN; ++i) {
      p.a[i] = std::sin(0.001 * static_cast<double>(i) + r);
      p.b[i] = std::cos(0.002 * static_cast<double>(i) - r);
    }
}

// The kernel, the same for both setups: `reps` dot products of the two 1M-element vectors.
__attribute__((noinline)) double kernel(const Problem& p, int reps) {
  double s = 0;
  for (int r = 0; r < reps; ++r)
    for (std::size_t i = 0; i < kN; ++i) s += p.a[i] * p.b[i];
  return s;
}

// Wall and CPU time: on a shared machine (the kernel's autogroups give every login session an
// equal share of the cores, whatever the nice values) wall time depends on the other sessions'
// load, while the process's CPU time does not. The process is single-threaded, so CPU time is
// the time it would take alone.
struct Stamp {
  std::chrono::steady_clock::time_point wall;
  double cpu;
};

Stamp now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return {std::chrono::steady_clock::now(), static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec)};
}

double wall(const Stamp& a, const Stamp& b) { return std::chrono::duration<double>(b.wall - a.wall).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || (std::strcmp(argv[1], "region") != 0 && std::strcmp(argv[1], "whole") != 0) ||
      (std::strcmp(argv[2], "typical") != 0 && std::strcmp(argv[2], "libm") != 0)) {
    std::fprintf(stderr, "usage: %s <region|whole> <typical|libm> [setup_rounds] [kernel_reps]\n", argv[0]);
    return 2;
  }
  const bool region = std::strcmp(argv[1], "region") == 0;
  const bool libm = std::strcmp(argv[2], "libm") == 0;
  const int setup_rounds = argc > 3 ? std::atoi(argv[3]) : (libm ? 50 : 4);
  const int kernel_reps = argc > 4 ? std::atoi(argv[4]) : 45;
  Problem p;
  const Stamp t0 = now();
  if (libm)
    setup_libm(p, setup_rounds);
  else
    setup_typical(p, setup_rounds);
  const Stamp t1 = now();
  if (region) {
    CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_TOGGLE_COLLECT;
  }
  double s = kernel(p, kernel_reps);
  if (region) {
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_STOP_INSTRUMENTATION;
  }
  const Stamp t2 = now();
  std::printf("%s setup (%d rounds) wall %.3f s cpu %.3f s, kernel (%d reps) wall %.4f s cpu %.4f s, checksum %.6g\n",
              argv[2], setup_rounds, wall(t0, t1), t1.cpu - t0.cpu, kernel_reps, wall(t1, t2), t2.cpu - t1.cpu, s);
  return 0;
}
