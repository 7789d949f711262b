#pragma once
// Functions without a single marker, compiled from the copy kprof-mark writes (kprof_line_profile):
// each shape the automatic markers must handle, with the hit counts the tests expect.
#include <cstdint>
#include <vector>

namespace unmarked_fixture {

std::int64_t template_sum(int n);  // a function template, instantiated for int and double
std::int64_t lambda_calls(int n);  // a lambda called n times: a function of its own
std::int64_t range_for(const std::vector<int>& values);
int early_exit(int x);                     // returns early when x < 0
void throws_midway(bool do_throw);         // throws from its second statement when asked
std::int64_t multi_line_statement(int n);  // one statement written over three lines
int switch_cases(int x);                   // case labels: markers go after the label
std::int64_t not_instrumented(int n);      // an excluded line and a macro-written one: no marker

}  // namespace unmarked_fixture
