// A program of the user's own (its own main) that registers a kernel and runs kprof's correctness
// check, linking only kprof::kprof: the registration library, without the command line's
// dependencies (consumer_test.sh checks the binary's libraries).
#include <cstdio>
#include <span>
#include <vector>

#include <kprof/kprof.h>

template <class T>
struct Twice {
  explicit Twice(const kprof::Size& s) : x(s["n"]), y(s["n"]) { kprof::fill_uniform(std::span<T>(x), 3); }
  std::span<const T> output() const { return y; }
  std::vector<T> x, y;
};

KPROF_FAMILY(twice, Twice)
    .param({.name = "n", .default_value = 100})
    .reference([](auto& p) {
      for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = 2 * p.x[i];
    })
    .variant({.name = "add", .kind = kprof::Kind::scalar}, [](auto& p) {
      for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = p.x[i] + p.x[i];
    });

int main() {
  kprof::VariantRef ref = kprof::select_one("twice/add");
  kprof::CheckResult check =
      kprof::check_variant(*ref.family, ref.variant, kprof::Size({{"n", 100}}), kprof::DType::f64);
  std::printf("twice/add: %s\n", check.ok ? "ok" : check.reason.c_str());
  return check.ok ? 0 : 1;
}
