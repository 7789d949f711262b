#include "test_family.h"

#include <stdexcept>

namespace kprof::test {

KPROF_FAMILY(testfam, ScaleProblem)
    .describe("y = 2x, for kprof's own tests")
    .param({.name = "n", .default_value = 1000, .max = 1 << 24})
    .flops([](const Size& s) { return 1.0 * s["n"]; })
    .bytes([](const Size& s, std::size_t e) { return 2.0 * s["n"] * e; })
    .reference([](auto& p) {
      for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = 2 * p.x[i];
    })
    .variant({.name = "scalar", .kind = Kind::scalar},
             [](auto& p) {
               for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = p.x[i] + p.x[i];
             })
    .variant({.name = "wrong", .kind = Kind::other},
             [](auto& p) {
               for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = 2 * p.x[i] + 1;
             })
    .variant({.name = "needs-avx512", .kind = Kind::simd, .isa = Isa::avx512},
             [](auto& p) {
               for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = 2 * p.x[i];
             })
    .variant({.name = "throws", .kind = Kind::other}, [](auto&) { throw std::runtime_error("out of cheese"); });

}  // namespace kprof::test
