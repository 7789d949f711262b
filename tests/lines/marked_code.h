#pragma once
// Small functions with known control flow, compiled with KPROF_INSTRUMENT=1 (marked_code.cpp), so
// that the tests can check exact hit counts and where time goes.
#include <cstdint>

namespace lines_fixture {

// Line numbers of the markers in marked_code.cpp, checked by the tests against the source.
std::int64_t loop(int n);                         // one line hit once, one hit n times, one hit n*3 times
std::int64_t outer_calls_inner(int n);            // nested: inner() called n times from one line
std::int64_t recurse(int depth);                  // recursion: each level is its own invocation
int early_return(int x);                          // returns before the last line when x < 0
void throws(bool do_throw);                       // throws from the middle line when asked
void busy_line(std::int64_t spin_ns);             // one line that spins for spin_ns, one that does not
std::int64_t self_loop(int n);                    // one line re-marked n times in a row (the same-line fast path)
std::int64_t alternate(int n);                    // two lines in turn, n times each: every mark changes line
void repeated_spin(int n, std::int64_t spin_ns);  // one line re-marked n times, spinning spin_ns each time

}  // namespace lines_fixture
