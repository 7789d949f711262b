// Code with known symbols, lines and inlined calls for test_symbolize (built with -O2 -g). The
// lines the test looks for carry marker comments; keep each marked statement on one line.
#include "fixture.h"

#include <algorithm>

namespace symfix {

volatile int g_sink = 0;
void* volatile g_return_address = nullptr;

__attribute__((noinline)) int leaf(int x) { return x * 7 + g_sink; }  // LEAF_LINE

// Returns its own return address: an address inside the caller, just after the call.
__attribute__((noipa)) void* here() { return __builtin_return_address(0); }

__attribute__((noinline)) void* calls_here() {
  void* p = here();  // PLAIN_CALL
  g_sink = 2;
  return p;
}

static inline __attribute__((always_inline)) void* inlined_helper() {
  void* p = here();  // INLINED_CALL
  g_sink = 3;
  return p;
}

__attribute__((noinline)) void* calls_inlined_helper() {
  void* p = inlined_helper();  // OUTER_CALL
  g_sink = 1;
  return p;
}

// Called through std::transform, which is inlined into its caller: the call is in stl_algo.h.
__attribute__((noipa)) int twice(int x) {
  g_return_address = __builtin_return_address(0);
  return 2 * x + g_sink;
}

__attribute__((noinline)) void* calls_through_std_transform() {
  int in[4] = {1, 2, 3, 4}, out[4];
  std::transform(in, in + 4, out, twice);  // STD_CALL
  g_sink = out[3];
  return g_return_address;
}

}  // namespace symfix
