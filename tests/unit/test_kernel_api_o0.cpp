// A family registered from a translation unit compiled at -O0 without NDEBUG (see
// tests/unit/CMakeLists.txt), as a user's Debug build would be: test_kernel_api.cpp checks that
// its KPROF_FAMILY recorded that build.
#include "test_family.h"

namespace kprof::test {

KPROF_FAMILY(api_built_at_o0, ScaleProblem)
    .param({.name = "n", .default_value = 100})
    .reference([](auto& p) {
      for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = 2 * p.x[i];
    })
    .variant({.name = "scalar"}, [](auto& p) {
      for (std::size_t i = 0; i < p.x.size(); ++i) p.y[i] = 2 * p.x[i];
    });

}  // namespace kprof::test
