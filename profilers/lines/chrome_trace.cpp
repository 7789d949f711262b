// The trace mode's file: Chrome trace-event JSON ("JSON Object Format", the format chrome://tracing,
// Perfetto and speedscope read). Each interval is one complete event; on each thread they nest,
// because a line closes exactly where the next opens and a call's lines lie inside its caller's line.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <utility>

#include "kprof/lines/trace.h"
#include "kprof/reports/tables.h"

namespace kprof::lines {
namespace {

using json = nlohmann::json;

// What a line event is called: "file:line  text", the statement's line and text from the report
// (a marker alone on its line times the statement below it).
class EventNames {
 public:
  explicit EventNames(const Report& report) {
    for (const FunctionReport& fr : report.functions)
      for (const LineRow& row : fr.rows)
        if (row.marked) statements_[{fr.file, row.marker_line}] = &row;
  }

  std::string operator()(const Location& at) const {
    if (at.is_function) return at.function;
    const std::string file = std::filesystem::path(at.file).filename().string();
    auto it = statements_.find({at.file, at.line});
    if (it == statements_.end()) return file + ":" + std::to_string(at.line);
    const LineRow& row = *it->second;
    std::string text = row.text;
    text.erase(0, std::min(text.find_first_not_of(" \t"), text.size()));
    return file + ":" + std::to_string(row.line) + (text.empty() ? "" : "  " + text);
  }

 private:
  std::map<std::pair<std::string, std::uint32_t>, const LineRow*> statements_;
};

// Callers before callees at one instant: by start, then the longer first, then functions first (a
// call that marked nothing has its entry line exactly as long as itself).
void order_for_nesting(std::vector<TraceEvent>& events, const std::vector<const Location*>& sites) {
  std::stable_sort(events.begin(), events.end(), [&sites](const TraceEvent& a, const TraceEvent& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end;
    return sites[a.site]->is_function && !sites[b.site]->is_function;
  });
}

// Intervals whose start and end read the same clock value (the TSC advances in steps of ~10 ns on
// some VMs) are left out of the file and counted: they hold no time, and speedscope's importer
// mis-nests a zero-length event that starts where a longer one starts.
//
// Times on a grid of 1/1024 us (0.98 ns): multiples of a power of two add exactly in binary floating
// point, so a reader computing ts + dur gets exactly the next interval's ts. On a decimal grid
// (ns / 1000) the sum can land a hair past it, and readers then see intervals overlap without nesting.
class TraceClock {
 public:
  TraceClock(const ClockInfo& clock, std::uint64_t origin_ticks)
      : steps_per_tick_(1.024 / clock.ticks_per_ns), origin_(origin_ticks) {}
  std::int64_t steps(std::uint64_t ticks) const {
    return std::llround(static_cast<double>(ticks - origin_) * steps_per_tick_);
  }
  static double us(std::int64_t steps) { return static_cast<double>(steps) / 1024.0; }

 private:
  double steps_per_tick_;
  std::uint64_t origin_;
};

json metadata(const char* name, int pid, std::uint32_t tid, const std::string& value) {
  return {{"name", name}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", value}}}};
}

std::string thread_label(const ThreadTrace& t) {
  return "thread " + std::to_string(t.thread) + (t.os_tid != 0 ? " (tid " + std::to_string(t.os_tid) + ")" : "");
}

}  // namespace

json to_chrome_trace(const Trace& trace, const ClockInfo& clock, const Report& report,
                     const std::string& process_name) {
  const int pid = static_cast<int>(getpid());
  const EventNames name_of(report);
  const TraceClock time(clock, trace.origin_ticks);
  json events = json::array();
  events.push_back(metadata("process_name", pid, 0, process_name));
  json dropped = json::object();
  std::uint64_t kept = 0, zero_length = 0;
  for (ThreadTrace thread : trace.threads) {
    events.push_back(metadata("thread_name", pid, thread.thread, thread_label(thread)));
    order_for_nesting(thread.events, trace.sites);
    for (const TraceEvent& e : thread.events) {
      const Location& at = *trace.sites[e.site];
      json args = {{"file", at.file}, {"line", at.line}};
      if (!at.is_function) args["function"] = at.function;
      const std::int64_t start = time.steps(e.start), end = time.steps(e.end);
      if (end == start) {  // two clock reads with one value: no time to show, and see zero_length_left_out
        ++zero_length;
        continue;
      }
      events.push_back({{"name", name_of(at)},
                        {"cat", at.is_function ? "function" : "line"},
                        {"ph", "X"},
                        {"ts", TraceClock::us(start)},
                        {"dur", TraceClock::us(end - start)},
                        {"pid", pid},
                        {"tid", thread.thread},
                        {"args", std::move(args)}});
    }
    kept += thread.events.size();  // zero-length ones included: the buffer kept them
    if (thread.dropped > 0) dropped[thread_label(thread)] = thread.dropped;
  }
  json other = {
      {"tool", "kprof lines --trace"},
      {"clock", clock.source},
      {"ticks_per_ns", clock.ticks_per_ns},
      {"events_per_thread", trace.events_per_thread},
      {"events_kept", kept},
      {"events_dropped", std::move(dropped)},
      {"zero_length_left_out", zero_length},
      {"note", "raw intervals: each includes the markers' own cost (about " + format_fixed(clock.line_mark_ns, 1) +
                   " ns per line change), which kprof lines' table takes out"}};
  return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ns"}, {"otherData", std::move(other)}};
}

std::string trace_summary(const Trace& trace) {
  std::uint64_t kept = 0, dropped = 0;
  for (const ThreadTrace& t : trace.threads) {
    kept += t.events.size();
    dropped += t.dropped;
  }
  std::string out =
      "Trace: " + std::to_string(kept) + " intervals on " + std::to_string(trace.threads.size()) + " thread(s)";
  if (dropped > 0)
    out += "; " + std::to_string(dropped) + " more were not kept (each thread keeps its first " +
           std::to_string(trace.events_per_thread) + "; raise --trace-events)";
  return out + "\n";
}

}  // namespace kprof::lines
