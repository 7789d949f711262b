// The marker runtime: exact hit counts, nesting, recursion, early return, exceptions, and that
// every tick between a function's entry and exit lands on exactly one of its lines.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "lines_test_util.h"
#include "marked_code.h"

namespace kprof::lines::test {
namespace {

TEST(LinesRuntime, ExactHitCountsForKnownLoops) {
  Snapshot s = profile([] { loop(1000); });
  std::uint32_t fn = line_of("loop_function");
  EXPECT_EQ(cell_at(s, fn, true).hits, 1u);  // one call
  EXPECT_EQ(cell_at(s, fn).hits, 1u);        // the header line opens once per call
  EXPECT_EQ(cell_at(s, line_of("loop_once")).hits, 1u);
  EXPECT_EQ(cell_at(s, line_of("loop_n")).hits, 1000u);
  EXPECT_EQ(cell_at(s, line_of("loop_3n")).hits, 3000u);
}

TEST(LinesRuntime, ResetForgetsEarlierRuns) {
  loop(10);
  Snapshot s = profile([] { loop(7); });
  EXPECT_EQ(cell_at(s, line_of("loop_n")).hits, 7u);
}

TEST(LinesRuntime, EveryTickBetweenEntryAndExitLandsOnOneLine) {
  Snapshot s = profile([] { loop(5000); });
  std::uint32_t fn = line_of("loop_function");
  Cell f = cell_at(s, fn, true);
  EXPECT_GT(f.ticks, 0u);
  EXPECT_EQ(line_ticks(s, fn, line_of("loop_3n")), f.ticks);
}

TEST(LinesRuntime, NestedCallsCountOnTheCallersLineAndTheirOwn) {
  Snapshot s = profile([] { outer_calls_inner(500); });
  Cell call_line = cell_at(s, line_of("outer_call"));
  Cell inner_body = cell_at(s, line_of("inner_body"));
  EXPECT_EQ(call_line.hits, 500u);
  EXPECT_EQ(inner_body.hits, 500u);
  EXPECT_EQ(call_line.calls, 500u);  // one instrumented call inside each interval of the caller's line
  // The caller's line holds the whole of every inner call (entry to exit) and more.
  Cell inner_fn = cell_at(s, line_of("inner_body") - 1, true);
  EXPECT_EQ(inner_fn.hits, 500u);
  EXPECT_GE(call_line.ticks, inner_fn.ticks);
}

TEST(LinesRuntime, RecursionGivesEachInvocationItsOwnLines) {
  Snapshot s = profile([] { EXPECT_EQ(recurse(10), 10); });
  EXPECT_EQ(cell_at(s, line_of("recurse_base")).hits, 11u);
  EXPECT_EQ(cell_at(s, line_of("recurse_call")).hits, 10u);
  EXPECT_EQ(cell_at(s, line_of("recurse_base") - 1, true).hits, 11u);
  EXPECT_EQ(cell_at(s, line_of("recurse_call")).calls, 10u + 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 + 1);
}

TEST(LinesRuntime, EarlyReturnClosesTheOpenLine) {
  Snapshot s = profile([] {
    for (int i = 0; i < 5; ++i) early_return(-1);
    for (int i = 0; i < 3; ++i) early_return(1);
  });
  std::uint32_t check = line_of("early_check");
  Cell f = cell_at(s, check - 1, true);
  EXPECT_EQ(f.hits, 8u);
  EXPECT_EQ(cell_at(s, check).hits, 8u);
  EXPECT_EQ(cell_at(s, line_of("early_late")).hits, 3u);
  EXPECT_EQ(line_ticks(s, check - 1, line_of("early_late")), f.ticks);
}

TEST(LinesRuntime, ExceptionClosesTheOpenLine) {
  Snapshot s = profile([] {
    for (int i = 0; i < 4; ++i) EXPECT_THROW(throws(true), std::runtime_error);
    for (int i = 0; i < 2; ++i) throws(false);
  });
  std::uint32_t first = line_of("throw_first");
  Cell f = cell_at(s, first - 1, true);
  EXPECT_EQ(f.hits, 6u);
  EXPECT_EQ(cell_at(s, first).hits, 6u);
  EXPECT_EQ(cell_at(s, line_of("throw_middle")).hits, 6u);
  EXPECT_EQ(cell_at(s, line_of("throw_last")).hits, 2u);
  EXPECT_EQ(line_ticks(s, first - 1, line_of("throw_last")), f.ticks);
}

TEST(LinesRuntime, TimeGoesToTheLineThatSpent_ItWithTheMarkerCostTakenOut) {
  const std::int64_t spin = 20'000'000;  // 20 ms
  Snapshot s = profile([&] { busy_line(spin); });
  double spin_ns = net_ns(cell_at(s, line_of("busy_spin")), s.clock);
  double after_ns = net_ns(cell_at(s, line_of("busy_after")), s.clock);
  double wall_ns = net_ns(cell_at(s, line_of("busy_setup") - 1, true), s.clock);
  // Bounds that preemption cannot break: the spin line holds at least the spin, at most the call.
  EXPECT_GE(spin_ns, 0.95 * spin);
  EXPECT_LE(spin_ns, wall_ns);
  EXPECT_LT(after_ns, spin_ns);
}

// The same-line fast path (a marker re-marking the line already open reads no clock).
TEST(LinesRuntime, SameLineMarksCountEveryHitExactly) {
  Snapshot s = profile([] { self_loop(10'000); });
  Cell body = cell_at(s, line_of("self_body"));
  EXPECT_EQ(body.hits, 10'000u);
  EXPECT_EQ(body.repeats, 9'999u);  // every iteration after the first re-marks the open line
  EXPECT_EQ(body.marks, 1u);        // one interval: only the mark that closed it read the clock
  EXPECT_EQ(cell_at(s, line_of("self_init")).hits, 1u);
  EXPECT_EQ(cell_at(s, line_of("self_after")).hits, 1u);
  EXPECT_EQ(cell_at(s, line_of("self_function"), true).hits, 1u);
}

TEST(LinesRuntime, SameLineMarksKeepEveryTickOnALine) {
  Snapshot s = profile([] { self_loop(10'000); });
  std::uint32_t fn = line_of("self_function");
  Cell f = cell_at(s, fn, true);
  EXPECT_GT(f.ticks, 0u);
  EXPECT_EQ(line_ticks(s, fn, line_of("self_after")), f.ticks);
  EXPECT_EQ(f.repeats, 9'999u);  // the function's wall holds its lines' repeats too
}

TEST(LinesRuntime, TwoLinesInTurnAreBothTimed) {
  Snapshot s = profile([] { alternate(5'000); });
  Cell a = cell_at(s, line_of("alt_a")), b = cell_at(s, line_of("alt_b"));
  EXPECT_EQ(a.hits, 5'000u);
  EXPECT_EQ(b.hits, 5'000u);
  EXPECT_EQ(a.repeats, 0u);  // every mark changes line: each one reads the clock
  EXPECT_EQ(b.repeats, 0u);
  EXPECT_EQ(a.marks, 5'000u);
  EXPECT_EQ(b.marks, 5'000u);
  EXPECT_GT(a.ticks, 0u);
  EXPECT_GT(b.ticks, 0u);
  std::uint32_t fn = line_of("alt_function");
  Cell f = cell_at(s, fn, true);
  EXPECT_EQ(f.hits, 1u);
  EXPECT_EQ(line_ticks(s, fn, line_of("alt_b")), f.ticks);
}

TEST(LinesRuntime, SameLineLoopKeepsItsTimeOnItsLine) {
  const int n = 20;
  const std::int64_t spin = 1'000'000;  // 1 ms per iteration
  Snapshot s = profile([&] { repeated_spin(n, spin); });
  Cell spin_cell = cell_at(s, line_of("repeat_spin"));
  EXPECT_EQ(spin_cell.hits, std::uint64_t(n));
  EXPECT_EQ(spin_cell.repeats, std::uint64_t(n - 1));
  double spin_ns = net_ns(spin_cell, s.clock);
  double after_ns = net_ns(cell_at(s, line_of("repeat_after")), s.clock);
  double wall_ns = net_ns(cell_at(s, line_of("repeat_function"), true), s.clock);
  // Preemption can only add time: the spin line holds at least every spin, at most the call.
  EXPECT_GE(spin_ns, 0.95 * n * spin);
  EXPECT_LE(spin_ns, wall_ns);
  EXPECT_LT(after_ns, spin_ns);
}

TEST(LinesRuntime, SameLineLoopCallingAMarkedFunctionCountsItsCalls) {
  Snapshot s = profile([] { outer_calls_inner(500); });
  Cell call_line = cell_at(s, line_of("outer_call"));
  EXPECT_EQ(call_line.hits, 500u);
  EXPECT_EQ(call_line.repeats, 499u);
  // One interval: its closing mark, plus the one line mark each inner() call makes.
  EXPECT_EQ(call_line.marks, 1u + 500u);
  EXPECT_EQ(call_line.calls, 500u);
}

TEST(LinesRuntime, SameLineMarkIsCalibratedCheaperThanAClockReadingMark) {
  const ClockInfo& c = clock();
  EXPECT_GE(c.repeat_mark_ns, 0.0);
  EXPECT_LT(c.repeat_mark_ns, c.line_mark_ns);
}

TEST(LinesRuntime, ClockIsTheOneAskedFor) {
  const ClockInfo& c = clock();
  const char* forced = std::getenv("KPROF_LINES_CLOCK");
  if (forced && std::string(forced) == "clock_gettime") {
    EXPECT_EQ(c.source, "clock_gettime");
    EXPECT_EQ(c.ticks_per_ns, 1.0);
  } else {
    EXPECT_FALSE(c.source.empty());
  }
  EXPECT_GT(c.ticks_per_ns, 0.0);
}

// The calibrated cost of a line-changing mark is what `kprof lines` subtracts per hit, so it must be
// the cost of a mark: a loop of nothing but transitions, timed from outside, costs about one
// calibrated mark per mark (a little less: the loop itself costs too). The outside time is the least of 9
// loops (a loop the shared machine preempted is slower, never faster); a calibration that counted
// ticks as nanoseconds, or marks twice, is off by 2x or more.
TEST(LinesRuntime, CalibratedLineMarkCostMatchesATransitionLoopTimedFromOutside) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The loop here carries the sanitizer's checks of the test's own code, which the calibration
  // loop inside kprof_lines does not: seen at 0.52-0.54 of the outside figure under ASan at -O1.
  GTEST_SKIP() << "a cost relation of optimised code; not meaningful under a sanitizer";
#endif
  const ClockInfo& c = clock();
  constexpr int kPairs = 20000;
  std::vector<double> outside_ns_per_mark;
  for (int rep = 0; rep < 9; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    profile([] { alternate(kPairs); });
    std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - t0;
    outside_ns_per_mark.push_back(elapsed.count() / (2.0 * kPairs));
  }
  const double outside = *std::min_element(outside_ns_per_mark.begin(), outside_ns_per_mark.end());
  // Seen here under a load of 19 on 2 cores: 0.77-1.75 (mostly 0.95-0.99), both clocks.
  EXPECT_GE(c.line_mark_ns, 0.6 * outside) << "outside: " << outside << " ns per mark";
  EXPECT_LE(c.line_mark_ns, 2.5 * outside) << "outside: " << outside << " ns per mark";
}

TEST(LinesRuntime, SitesCarryTheirStaticLocation) {
  Snapshot s = profile([] { loop(1); });
  bool found = false;
  for (const SiteTotals& t : s.sites)
    if (t.location->line == line_of("loop_n")) {
      found = true;
      EXPECT_EQ(std::string(t.location->function), "loop");
      EXPECT_NE(std::string(t.location->file).find("tests/lines/marked_code.cpp"), std::string::npos);
    }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace kprof::lines::test
