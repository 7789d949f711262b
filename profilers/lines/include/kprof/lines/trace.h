#pragma once
// The trace mode of the line timers (`kprof lines --trace FILE`): besides the per-line sums, every
// thread keeps the intervals themselves (each line's and each marked function call's start and
// end), written as Chrome trace-event JSON for a timeline per thread (Perfetto, chrome://tracing,
// speedscope). Memory is bounded: each thread keeps its first `events_per_thread` intervals and
// counts the rest.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kprof/lines.h"
#include "kprof/lines/collector.h"
#include "kprof/lines/report.h"

namespace kprof::lines {

// Turns interval recording on for every thread that has marked or will mark. Call before
// calibrate(), so that the markers' measured cost (taken out of the table's times) includes the
// recording. There is no turning it off: a process traces one region.
void start_tracing(std::uint64_t events_per_thread);

struct ThreadTrace {
  std::uint32_t thread = 0;  // 1 = the first thread to mark since reset()
  std::int64_t os_tid = 0;   // 0 when the thread had marked before tracing started
  std::vector<TraceEvent> events;
  std::uint64_t dropped = 0;  // intervals past the buffer's capacity
};

struct Trace {
  std::vector<ThreadTrace> threads;
  std::vector<const Location*> sites;  // index: TraceEvent::site
  std::uint64_t origin_ticks = 0;      // reset()'s clock reading: time 0 of the trace
  std::uint64_t events_per_thread = 0;
};

// Copies every thread's intervals recorded since reset(). Call where collect() is called.
Trace collect_trace();

// The Chrome trace-event document ("JSON Object Format"): one complete event ("ph": "X") per
// interval, functions in category "function" and lines in "line" (named "file:line  text", the
// text taken from `report`), times in microseconds since reset(), one tid per thread.
nlohmann::json to_chrome_trace(const Trace& trace, const ClockInfo& clock, const Report& report,
                               const std::string& process_name);

// "Trace: 1234 intervals on 2 threads ..." with what was dropped, for the text report.
std::string trace_summary(const Trace& trace);

}  // namespace kprof::lines
