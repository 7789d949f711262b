// The trace mode (kprof/lines/trace.h): every interval the markers close is kept, per thread, up to
// a fixed capacity. The intervals of a line add up to exactly the ticks its table cell holds (both
// come from the same clock reads), a function's intervals are its calls, intervals nest on each
// thread, and a thread that marks more than the capacity keeps its first intervals and counts the
// rest. Its own executable: tracing, once started, stays on for the process.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>
#include <vector>

#include "kprof/lines/trace.h"
#include "lines_test_util.h"

namespace kprof::lines::test {
namespace {

constexpr std::uint64_t kCapacity = 50'000;

struct Traced {
  Snapshot snapshot;
  Trace trace;
};

template <class F>
Traced traced(F&& f) {
  start_tracing(kCapacity);
  Traced t;
  t.snapshot = profile(f);
  t.trace = collect_trace();
  return t;
}

// Per site: the ticks of its intervals and how many there were, over every thread.
struct SiteSums {
  std::uint64_t ticks = 0, intervals = 0;
};
std::map<const Location*, SiteSums> sums_by_site(const Trace& trace) {
  std::map<const Location*, SiteSums> sums;
  for (const ThreadTrace& t : trace.threads)
    for (const TraceEvent& e : t.events) {
      SiteSums& s = sums[trace.sites[e.site]];
      s.ticks += e.end - e.start;
      s.intervals += 1;
    }
  return sums;
}

void run_workload() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([] { loop(1000); });
  outer_calls_inner(500);
  recurse(6);
  for (auto& t : threads) t.join();
}

TEST(LinesTrace, IntervalsAddUpToTheTableExactly) {
  const Traced t = traced(run_workload);
  ASSERT_EQ(t.trace.threads.size(), 3u);  // this thread and two that have exited
  const auto sums = sums_by_site(t.trace);
  std::size_t checked = 0;
  for (const SiteTotals& site : t.snapshot.sites) {
    auto it = sums.find(site.location);
    ASSERT_NE(it, sums.end()) << site.location->function << ":" << site.location->line;
    EXPECT_EQ(it->second.ticks, site.cell.ticks) << site.location->function << ":" << site.location->line;
    if (site.location->is_function) {
      EXPECT_EQ(it->second.intervals, site.cell.hits) << site.location->function;
    }
    ++checked;
  }
  EXPECT_EQ(sums.size(), checked);  // no interval of a site the table does not have
  for (const ThreadTrace& thread : t.trace.threads) EXPECT_EQ(thread.dropped, 0u);
}

TEST(LinesTrace, FunctionsHoldTheirLinesOnEveryThread) {
  const Traced t = traced(run_workload);
  const std::uint32_t inner_line = line_of("outer_call");
  std::uint64_t inner_calls_inside_their_line = 0;
  for (const ThreadTrace& thread : t.trace.threads) {
    std::vector<TraceEvent> events = thread.events;
    std::sort(events.begin(), events.end(), [](const TraceEvent& a, const TraceEvent& b) {
      return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    std::vector<TraceEvent> open;
    for (const TraceEvent& e : events) {
      ASSERT_LE(e.start, e.end);
      // Every open interval that does not hold this one must have ended before it starts.
      while (!open.empty() && !(open.back().start <= e.start && e.end <= open.back().end)) {
        ASSERT_LE(open.back().end, e.start) << "two intervals overlap without nesting";
        open.pop_back();
      }
      if (!open.empty()) {
        const Location& parent = *t.trace.sites[open.back().site];
        if (t.trace.sites[e.site]->is_function && parent.line == inner_line) ++inner_calls_inside_their_line;
      }
      open.push_back(e);
    }
  }
  EXPECT_EQ(inner_calls_inside_their_line, 500u);  // inner() always inside outer's calling line
}

TEST(LinesTrace, AThreadKeepsItsFirstIntervalsAndCountsTheRest) {
  constexpr int kN = 100'000;
  const Traced t = traced([] { std::thread([] { loop(kN); }).join(); });
  ASSERT_EQ(t.trace.threads.size(), 1u);
  const ThreadTrace& thread = t.trace.threads[0];
  // loop(n) closes 2n + 2 line intervals (its entry line, the line before the loop, n of each loop
  // line) and one call.
  EXPECT_EQ(thread.events.size(), kCapacity);
  EXPECT_EQ(thread.events.size() + thread.dropped, 2u * kN + 3u);
  EXPECT_EQ(t.trace.events_per_thread, kCapacity);
  EXPECT_NE(trace_summary(t.trace).find("were not kept"), std::string::npos);
}

TEST(LinesTrace, ChromeTraceEventsNameTheStatementAndNestPerThread) {
  const Traced t = traced(run_workload);
  const Report report = build_report(t.snapshot);
  const nlohmann::json doc = to_chrome_trace(t.trace, t.snapshot.clock, report, "test");
  const nlohmann::json& events = doc.at("traceEvents");
  std::map<int, double> last_end_of_top;  // per tid: events come callers first, in time order
  std::size_t complete = 0, named_lines = 0, thread_names = 0;
  double previous_ts = -1;
  int previous_tid = -1;
  for (const nlohmann::json& e : events) {
    if (e.at("ph") == "M") {
      thread_names += e.at("name") == "thread_name";
      continue;
    }
    ASSERT_EQ(e.at("ph"), "X");
    ++complete;
    const int tid = e.at("tid").get<int>();
    if (tid == previous_tid) {
      EXPECT_GE(e.at("ts").get<double>(), previous_ts);
    }
    previous_tid = tid;
    previous_ts = e.at("ts").get<double>();
    EXPECT_GE(e.at("dur").get<double>(), 0.0);
    if (e.at("cat") == "line" &&
        e.at("name").get<std::string>().find("marked_code.cpp:" + std::to_string(line_of("loop_n") + 1) +
                                             "  sum += i;") != std::string::npos)
      ++named_lines;
  }
  std::size_t kept = 0;
  for (const ThreadTrace& thread : t.trace.threads) kept += thread.events.size();
  EXPECT_EQ(complete + doc.at("otherData").at("zero_length_left_out").get<std::uint64_t>(), kept);
  EXPECT_EQ(thread_names, t.trace.threads.size());
  EXPECT_EQ(named_lines, 2u * 1000u);  // loop(1000)'s `sum += i;` on each of the two threads
  EXPECT_EQ(doc.at("otherData").at("events_kept").get<std::uint64_t>(), kept);
}

}  // namespace
}  // namespace kprof::lines::test
