// A test-only kernel family whose "current build" can be made worse on purpose. The same binary is
// the baseline when the knobs are unset and the current build when one is set, so the gate's tests
// inject known regressions and check that each is flagged and explained:
//   KPROF_PROBE_EXTRA_INSTR_PCT=3      probe/instructions does ~3% more instructions
//   KPROF_PROBE_EXTRA_TIME_PCT=10      probe/time takes ~10% longer (spins after the work)
//   KPROF_PROBE_EXTRA_BYTES=1048576    probe/memory allocates 1 MiB more per call
//   KPROF_PROBE_ERROR=1e-6             probe/error returns a result off by this relative amount
// Knobs are read in the problem's constructor: setup, never inside the measured region.
#include <chrono>
#include <cstdlib>
#include <span>
#include <vector>

#include "kprof/kprof.h"

namespace kprof::test {
namespace {

double knob(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::strtod(v, nullptr) : 0.0;
}

template <class T>
struct Probe {
  explicit Probe(const Size& s) : x(s["n"]) {
    fill_uniform(std::span<T>(x), 31, 0.5, 1.5);
    extra_instr_pct = knob("KPROF_PROBE_EXTRA_INSTR_PCT");
    extra_time_pct = knob("KPROF_PROBE_EXTRA_TIME_PCT");
    extra_bytes = static_cast<std::size_t>(knob("KPROF_PROBE_EXTRA_BYTES"));
    error = knob("KPROF_PROBE_ERROR");
  }
  std::span<const T> output() const { return {&result, 1}; }
  std::int64_t n() const { return static_cast<std::int64_t>(x.size()); }

  std::vector<T> x;
  T result{};
  volatile T sink{};  // keeps injected work observable without touching the result
  double extra_instr_pct = 0, extra_time_pct = 0, error = 0;
  std::size_t extra_bytes = 0;
};

// One accumulator, no -ffast-math: the compiler keeps the loop scalar, so instruction counts scale
// exactly with the number of elements visited.
template <class T>
T sum_of_squares(const T* x, std::int64_t n) {
  T sum = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += x[i] * x[i];
  return sum;
}

}  // namespace

KPROF_FAMILY(probe, Probe)
    .describe("sum of squares with injectable regressions (kprof's regression-gate tests)")
    .param({.name = "n", .default_value = 1 << 15, .help = "vector length"})
    .default_sizes({"32768"})
    .flops([](const Size& s) { return 2.0 * s["n"]; })
    .bytes([](const Size& s, std::size_t e) { return 1.0 * s["n"] * e; })
    .tolerance(1e-4, 1e-10)
    .reference([](auto& p) {
      long double sum = 0;
      for (auto v : p.x) sum += static_cast<long double>(v) * v;
      p.result = static_cast<std::decay_t<decltype(p.result)>>(sum);
    })
    .variant({.name = "steady", .note = "never changes: must never alert"},
             [](auto& p) { p.result = sum_of_squares(p.x.data(), p.n()); })
    .variant({.name = "instructions", .note = "KPROF_PROBE_EXTRA_INSTR_PCT: extra pass over that % of the data"},
             [](auto& p) {
               p.result = sum_of_squares(p.x.data(), p.n());
               if (p.extra_instr_pct > 0) {
                 auto m = static_cast<std::int64_t>(static_cast<double>(p.n()) * p.extra_instr_pct / 100.0);
                 p.sink = sum_of_squares(p.x.data(), m);
               }
             })
    .variant({.name = "time", .note = "KPROF_PROBE_EXTRA_TIME_PCT: spins for that % of the work's duration"},
             [](auto& p) {
               auto start = std::chrono::steady_clock::now();
               p.result = sum_of_squares(p.x.data(), p.n());
               if (p.extra_time_pct > 0) {
                 auto work = std::chrono::steady_clock::now() - start;
                 auto until = start + work + work * (p.extra_time_pct / 100.0);
                 while (std::chrono::steady_clock::now() < until) {
                 }
               }
             })
    .variant({.name = "memory", .note = "KPROF_PROBE_EXTRA_BYTES: allocates that many bytes per call"},
             [](auto& p) {
               p.result = sum_of_squares(p.x.data(), p.n());
               if (p.extra_bytes > 0) {
                 std::vector<unsigned char> scratch(p.extra_bytes, 1);
                 p.sink = scratch[p.extra_bytes / 2];
               }
             })
    .variant({.name = "error", .note = "KPROF_PROBE_ERROR: relative error injected into the result"}, [](auto& p) {
      using T = std::decay_t<decltype(p.result)>;
      p.result = sum_of_squares(p.x.data(), p.n()) * static_cast<T>(1.0 + p.error);
    });

}  // namespace kprof::test
