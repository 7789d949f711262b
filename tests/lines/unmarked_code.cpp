// No markers here: kprof_line_profile compiles a copy with one at every statement (the tags name
// the lines the tests look up; they are comments, so the copy keeps them on the same lines).
// clang-format off: the statement over three lines and the aligned tags are the fixture.
#include "unmarked_code.h"

#include <stdexcept>

namespace unmarked_fixture {

template <class T>
T sum_to(int n) {
  T total = 0;                                  // @tpl_init
  for (int i = 0; i < n; ++i) {                 // @tpl_loop
    total += static_cast<T>(i);                 // @tpl_body
  }
  return total;                                 // @tpl_return
}

std::int64_t template_sum(int n) {
  return sum_to<int>(n) + static_cast<std::int64_t>(sum_to<double>(n));  // @tpl_call
}

std::int64_t lambda_calls(int n) {
  std::int64_t acc = 0;                         // @lambda_init
  auto add = [&acc](int i) {
    acc += i;                                   // @lambda_body
  };
  for (int i = 0; i < n; ++i) add(i);           // @lambda_loop
  return acc;
}

std::int64_t range_for(const std::vector<int>& values) {
  std::int64_t acc = 0;
  for (int v : values) {                        // @range_header
    acc += v;                                   // @range_body
  }
  return acc;
}

int early_exit(int x) {
  if (x < 0) {                                  // @early_check
    return -1;                                  // @early_return
  }
  int y = x * 2;                                // @early_late
  return y;
}

void throws_midway(bool do_throw) {
  volatile int a = 1;                           // @throw_first
  if (do_throw) throw std::runtime_error("x");  // @throw_middle
  a = a + 1;                                    // @throw_last
}

std::int64_t multi_line_statement(int n) {
  std::int64_t acc = 0;
  for (int i = 0; i < n; ++i) {
    acc += static_cast<std::int64_t>(i) *       // @multi_start
           2 +
           1;
    acc -= 1;                                   // @multi_next
  }
  return acc;
}

// constexpr: left unmarked (a marker's static variables are not allowed there), and said so.
constexpr int doubled(int x) { return x * 2; }

int switch_cases(int x) {
  int out = 0;
  switch (x) {
    case 0:
      out = 10;                                 // @case_zero
      break;
    default:
      out = doubled(x);                         // @case_default
      break;
  }
  return out;
}

// Two lines left without a marker, listed under the function's table: a statement written by a
// macro, and one excluded by kprof_line_profile's EXCLUDE_LINES (CMakeLists.txt gives its number).
#define UNMARKED_FIXTURE_ADD(acc, v) acc += (v)
std::int64_t not_instrumented(int n) {
  std::int64_t acc = 0;
  for (int i = 0; i < n; ++i) acc += i;         // @ni_loop
  acc *= 3;                                     // @excluded
  UNMARKED_FIXTURE_ADD(acc, 7);                 // @macro
  return acc;                                   // @ni_return
}

}  // namespace unmarked_fixture
