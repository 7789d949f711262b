// A small real program for the callgrind tests: calls, recursion, an inlined helper from another
// file, and a loop worth profiling. Its callgrind files are compared with callgrind_annotate's.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cg_workload_inline.h"

__attribute__((noinline)) double dot(const std::vector<double>& x, const std::vector<double>& y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
  return s;
}

__attribute__((noinline)) long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  std::vector<double> x(n), y(n);
  for (int i = 0; i < n; ++i) x[i] = i * 0.5, y[i] = 1.0 / (i + 1);
  double total = 0;
  for (int r = 0; r < 10; ++r) total += dot(x, y) + scaled_sum(x, r);
  std::printf("%g %ld\n", total, fib(18));
  return 0;
}
