// Measures what the markers cost, as the intervals they close see it, so that the report can take
// it out: back-to-back line marks alternating between two lines (each interval holds one
// clock-reading mark's cost and nothing else), one line re-marked many times in a row (the
// same-line fast path: its interval holds those repeats and one closing mark), and lines that hold
// one call to an empty marked function each (its entry + exit on top of the mark).
// The markers are spelled out here instead of using KPROF_LINE: this file must not mark the whole
// binary as instrumented.
#include <algorithm>
#include <array>
#include <vector>

#include "kprof/lines.h"
#include "kprof/lines/collector.h"
#include "kprof/stats.h"
#include "runtime_state.h"

namespace kprof::lines {
namespace {

constexpr Location kCalFunction{__FILE__, "kprof_lines_calibration", 1, true};
constexpr Location kCalHeader{__FILE__, "kprof_lines_calibration", 1, false};
constexpr Location kCalLineA{__FILE__, "kprof_lines_calibration", 2, false};
constexpr Location kCalLineB{__FILE__, "kprof_lines_calibration", 3, false};
constexpr Location kCalCall{__FILE__, "kprof_lines_calibration", 4, false};
constexpr Location kCalCall2{__FILE__, "kprof_lines_calibration", 5, false};
constexpr Location kCalRepeat{__FILE__, "kprof_lines_calibration", 6, false};
constexpr Location kEmptyFunction{__FILE__, "kprof_lines_empty", 7, true};
constexpr Location kEmptyHeader{__FILE__, "kprof_lines_empty", 7, false};
constinit Site g_cal_function{&kCalFunction};
constinit Site g_cal_header{&kCalHeader};
constinit Site g_cal_a{&kCalLineA};
constinit Site g_cal_b{&kCalLineB};
constinit Site g_cal_call{&kCalCall};
constinit Site g_cal_call2{&kCalCall2};
constinit Site g_cal_repeat{&kCalRepeat};
constinit Site g_empty_function{&kEmptyFunction};
constinit Site g_empty_header{&kEmptyHeader};

[[gnu::noinline]] void empty_marked_function() { FunctionScope scope(g_empty_function, g_empty_header); }

constexpr int kMarksPerRep = 2000;
constexpr int kRepeatsPerRep = 200'000;  // ~0.5 ns each: 0.1 ms, far above the closing mark's noise

// One repetition: kMarksPerRep back-to-back line marks, kRepeatsPerRep marks of one line, then
// kMarksPerRep lines holding a call.
[[gnu::noinline]] void calibration_rep() {
  FunctionScope scope(g_cal_function, g_cal_header);
  for (int i = 0; i < kMarksPerRep / 2; ++i) {
    scope.mark(g_cal_a);
    scope.mark(g_cal_b);
  }
  scope.mark(g_cal_repeat);
  // Unrolled by 8 so that the loop's own counter and branch are a small part of what is measured.
  for (int i = 0; i < kRepeatsPerRep / 8; ++i) {
    scope.mark(g_cal_repeat);
    scope.mark(g_cal_repeat);
    scope.mark(g_cal_repeat);
    scope.mark(g_cal_repeat);
    scope.mark(g_cal_repeat);
    scope.mark(g_cal_repeat);
    scope.mark(g_cal_repeat);
    scope.mark(g_cal_repeat);
  }
  // Two call lines in turn: each mark is a transition, so each interval holds one mark and one call.
  for (int i = 0; i < kMarksPerRep / 2; ++i) {
    scope.mark(g_cal_call);
    empty_marked_function();
    scope.mark(g_cal_call2);
    empty_marked_function();
  }
}

constexpr std::array<Site*, 9> kAllSites{&g_cal_function, &g_cal_header, &g_cal_a,          &g_cal_b,       &g_cal_call,
                                         &g_cal_call2,    &g_cal_repeat, &g_empty_function, &g_empty_header};

// While tracing, each repetition starts with an empty buffer: the intervals it records cost what
// the region's recording costs (a full buffer only counts them, which is cheaper).
void empty_trace_buffer() {
  if (TraceBuffer* trace = detail::thread_table()->trace) trace->size = trace->dropped = 0;
}

Cell take(Site& site) {
  ThreadTable* t = detail::thread_table();
  Cell c = t->cells[detail::site_id(site)];
  t->cells[detail::site_id(site)] = Cell{};
  return c;
}

double measure_ticks_per_ns() {
  if (!detail::clock_is_tsc) return 1.0;
  std::uint64_t ns0 = detail::clock_gettime_ns(), t0 = detail::read_clock();
  std::uint64_t ns1 = ns0, t1 = t0;
  while (ns1 - ns0 < 20'000'000) {  // 20 ms: enough for 4 significant digits
    ns1 = detail::clock_gettime_ns();
    t1 = detail::read_clock();
  }
  return static_cast<double>(t1 - t0) / static_cast<double>(ns1 - ns0);
}

}  // namespace

ClockInfo calibrate() {
  detail::choose_clock_once();
  detail::thread_table();
  ClockInfo info;
  info.source = detail::clock_is_tsc ? "tsc" : "clock_gettime";
  {
    std::lock_guard lock(detail::state().mutex);
    info.why = detail::state().clock_why;
  }
  info.ticks_per_ns = measure_ticks_per_ns();

  std::uint64_t r0 = detail::read_clock();
  std::uint64_t sink = 0;
  for (int i = 0; i < 10000; ++i) sink += detail::read_clock();
  info.clock_read_ns = static_cast<double>(detail::read_clock() - r0) / info.ticks_per_ns / 10001.0;
  asm volatile("" : : "r"(sink));

  // Medians over repetitions: a preempted repetition (the machine is shared) does not count.
  std::vector<double> line_ns, repeat_ns, call_ns;
  calibration_rep();  // warm-up: registers the sites and pages in the table
  for (Site* s : kAllSites) take(*s);
  for (int rep = 0; rep < 15; ++rep) {
    empty_trace_buffer();
    calibration_rep();
    Cell a = take(g_cal_a), b = take(g_cal_b), repeat = take(g_cal_repeat);
    Cell call = take(g_cal_call), call2 = take(g_cal_call2);
    for (Site* s : kAllSites) take(*s);
    auto ns = [&](std::uint64_t ticks) { return static_cast<double>(ticks) / info.ticks_per_ns; };
    double per_mark = ns(a.ticks + b.ticks) / static_cast<double>(a.marks + b.marks);
    double per_repeat =
        (ns(repeat.ticks) - static_cast<double>(repeat.marks) * per_mark) / static_cast<double>(repeat.repeats);
    double per_call = (ns(call.ticks + call2.ticks) - static_cast<double>(call.marks + call2.marks) * per_mark) /
                      static_cast<double>(call.calls + call2.calls);
    line_ns.push_back(per_mark);
    repeat_ns.push_back(per_repeat);
    call_ns.push_back(per_call);
  }
  info.line_mark_ns = median(line_ns);
  info.repeat_mark_ns = std::max(0.0, median(repeat_ns));
  info.call_ns = std::max(0.0, median(call_ns));
  return info;
}

}  // namespace kprof::lines
