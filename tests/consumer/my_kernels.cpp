// A user's kernel, registered in a few lines; kprof::main supplies the command line.
#include <span>
#include <vector>

#include <kprof/kprof.h>
#include <kprof/lines.h>

// kprof's private headers stay private: none of them is on a user's include path.
#if __has_include("symbolize.h") || __has_include("callgrind_profiler.h")
#error "a private kprof header leaked into the consumer's include path"
#endif
#if __has_include("cpu_profiler.h") || __has_include("gperf_profile.h")
#error "a private kprof header leaked into the consumer's include path"
#endif
#ifndef KPROF_CONSUMER_OWN_FLAGS
#error "the consumer's own CMAKE_CXX_FLAGS_RELWITHDEBINFO were not used for its code"
#endif

template <class T>
struct Saxpy {
  explicit Saxpy(const kprof::Size& s) : x(s["n"]), y(s["n"]) {
    kprof::fill_uniform(std::span<T>(x), 1);
    kprof::fill_uniform(std::span<T>(y), 2);
  }
  std::span<const T> output() const { return y; }
  std::vector<T> x, y;
};

KPROF_FAMILY(user_axpy, Saxpy)
    .describe("y += 3x, from a consumer project")
    .param({.name = "n", .default_value = 4096})
    .flops([](const kprof::Size& s) { return 2.0 * s["n"]; })
    .bytes([](const kprof::Size& s, std::size_t e) { return 3.0 * s["n"] * e; })
    .reference([](auto& p) {
      for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] += 3 * p.x[i];
    })
    .variant({.name = "scalar", .kind = kprof::Kind::scalar},
             [](auto& p) {
               auto* __restrict y = p.y.data();
               const auto* __restrict x = p.x.data();
               for (std::size_t i = 0; i < p.x.size(); ++i) y[i] += 3 * x[i];
             })
    // Allocates a scratch copy per call and is instrumented line by line: `mem` and `lines` see it.
    .variant({.name = "scratch", .kind = kprof::Kind::scalar}, [](auto& p) {
      KPROF_FUNCTION;
      std::vector<typename decltype(p.x)::value_type> scratch(p.x);
      KPROF_LINE;
      for (std::size_t i = 0; i < scratch.size(); ++i) p.y[i] += 3 * scratch[i];
    });
