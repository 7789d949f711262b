// The PERFORMANCE.md harness: ~1 s of setup, then a ~50 ms kernel. `region` toggles callgrind
// collection around the kernel only (run with --instr-atstart=no --collect-atstart=no), as kprof
// does; `whole` leaves everything to valgrind. Compare the wall time of both under callgrind.
#include <valgrind/callgrind.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

__attribute__((noinline)) double setup(std::vector<double>& a, std::vector<double>& b, int rounds) {
  double s = 0;
  for (int r = 0; r < rounds; ++r)
    for (std::size_t i = 0; i < a.size(); ++i) {
      a[i] = std::sin(0.001 * i + r);
      b[i] = std::cos(0.002 * i - r);
      s += a[i];
    }
  return s;
}

__attribute__((noinline)) double kernel(const std::vector<double>& a, const std::vector<double>& b, int reps) {
  double s = 0;
  for (int r = 0; r < reps; ++r)
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

int main(int argc, char** argv) {
  bool region = argc > 1 && std::strcmp(argv[1], "region") == 0;
  int setup_rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  int kernel_reps = argc > 3 ? std::atoi(argv[3]) : 60;
  std::vector<double> a(1 << 20), b(1 << 20);
  auto t0 = std::chrono::steady_clock::now();
  double s = setup(a, b, setup_rounds);
  auto t1 = std::chrono::steady_clock::now();
  if (region) {
    CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_TOGGLE_COLLECT;
  }
  s += kernel(a, b, kernel_reps);
  if (region) {
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_STOP_INSTRUMENTATION;
  }
  auto t2 = std::chrono::steady_clock::now();
  std::fprintf(stderr, "setup %.3f s, kernel %.3f s (%g)\n", std::chrono::duration<double>(t1 - t0).count(),
               std::chrono::duration<double>(t2 - t1).count(), s);
  return 0;
}
