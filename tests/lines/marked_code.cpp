// Marked test functions (compiled with KPROF_INSTRUMENT=1). Tests find marker lines by searching
// this file for the "// @name" tags, so edits that move lines do not break them.
#include "marked_code.h"

#include <time.h>

#include <stdexcept>

#include "kprof/lines.h"

namespace lines_fixture {
namespace {

std::int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

[[gnu::noinline]] std::int64_t inner(std::int64_t x) {
  KPROF_FUNCTION;
  KPROF_LINE;  // @inner_body
  x = x * 3 + 1;
  return x;
}

}  // namespace

std::int64_t loop(int n) {
  KPROF_FUNCTION;  // @loop_function
  KPROF_LINE;      // @loop_once
  std::int64_t sum = 0;
  for (int i = 0; i < n; ++i) {
    KPROF_LINE;  // @loop_n
    sum += i;
    for (int j = 0; j < 3; ++j) {
      KPROF_LINE;  // @loop_3n
      sum ^= j;
    }
  }
  return sum;
}

std::int64_t outer_calls_inner(int n) {
  KPROF_FUNCTION;
  KPROF_LINE;  // @outer_init
  std::int64_t x = 0;
  for (int i = 0; i < n; ++i) {
    KPROF_LINE;  // @outer_call
    x = inner(x) % 1000003;
  }
  return x;
}

std::int64_t recurse(int depth) {
  KPROF_FUNCTION;
  KPROF_LINE;  // @recurse_base
  if (depth == 0) return 0;
  KPROF_LINE;  // @recurse_call
  return 1 + recurse(depth - 1);
}

int early_return(int x) {
  KPROF_FUNCTION;
  KPROF_LINE;  // @early_check
  if (x < 0) return -1;
  KPROF_LINE;  // @early_late
  return x + 1;
}

void throws(bool do_throw) {
  KPROF_FUNCTION;
  KPROF_LINE;  // @throw_first
  int v = do_throw ? 1 : 0;
  KPROF_LINE;  // @throw_middle
  if (v) throw std::runtime_error("asked to");
  KPROF_LINE;  // @throw_last
  v = 2;
}

void busy_line(std::int64_t spin_ns) {
  KPROF_FUNCTION;
  KPROF_LINE;  // @busy_setup
  std::int64_t end = now_ns() + spin_ns;
  KPROF_LINE;  // @busy_spin
  while (now_ns() < end) continue;
  KPROF_LINE;  // @busy_after
  end = 0;
}

// The same-line fast path: a loop whose body has one marked statement re-marks the open line.
std::int64_t self_loop(int n) {
  KPROF_FUNCTION;  // @self_function
  KPROF_LINE;      // @self_init
  std::int64_t sum = 0;
  for (int i = 0; i < n; ++i) {
    KPROF_LINE;  // @self_body
    sum += i;
  }
  KPROF_LINE;  // @self_after
  return sum;
}

std::int64_t alternate(int n) {
  KPROF_FUNCTION;  // @alt_function
  std::int64_t sum = 0;
  for (int i = 0; i < n; ++i) {
    KPROF_LINE;  // @alt_a
    sum += i;
    KPROF_LINE;  // @alt_b
    sum ^= i;
  }
  return sum;
}

void repeated_spin(int n, std::int64_t spin_ns) {
  KPROF_FUNCTION;  // @repeat_function
  for (int i = 0; i < n; ++i) {
    KPROF_LINE;  // @repeat_spin
    std::int64_t end = now_ns() + spin_ns;
    while (now_ns() < end) continue;
  }
  KPROF_LINE;  // @repeat_after
  spin_ns = 0;
}

}  // namespace lines_fixture
