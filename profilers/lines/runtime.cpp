// The marker runtime: site ids, per-thread tables, the clock choice, reset and merge. Nothing here
// runs on the hot path except through the rare slow paths (first use of a site or of a thread).
#include <cpuid.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "kprof/lines.h"
#include "kprof/lines/collector.h"
#include "runtime_state.h"

namespace kprof::lines {
namespace detail {

bool clock_is_tsc = false;

std::uint64_t clock_gettime_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

namespace {

std::atomic<bool> g_instrumented{false};

bool cpu_has_invariant_tsc() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid_max(0x80000000u, nullptr) < 0x80000007u) return false;
  __cpuid(0x80000007u, a, b, c, d);
  return (d & (1u << 8)) != 0;
}

// Retires a thread's table when the thread ends: its counts join the `retired` sums and the
// table is zeroed for the next thread, so short-lived threads neither lose hits nor leak tables.
struct TableOwner {
  ThreadTable* table = nullptr;
  ~TableOwner() {
    if (!table) return;
    State& s = state();
    std::lock_guard lock(s.mutex);
    for (std::uint32_t i = 0; i < kMaxSites; ++i) {
      const Cell& c = table->cells[i];
      Cell& r = s.retired[i];
      r.ticks += c.ticks;
      r.hits += c.hits;
      r.marks += c.marks;
      r.repeats += c.repeats;
      r.calls += c.calls;
    }
    s.retired_threads += table->lines + table->calls > 0 ? 1 : 0;
    if (table->trace != nullptr) s.finished_traces.push_back(table->trace);
    std::memset(static_cast<void*>(table), 0, sizeof(ThreadTable));
    std::erase(s.live, table);
    s.free.push_back(table);
    current_table = nullptr;
  }
};

thread_local TableOwner t_owner;

}  // namespace

State& state() {
  static State* s = new State();  // never destroyed: threads may retire tables during exit
  return *s;
}

void choose_clock_once() {
  State& s = state();
  std::call_once(s.clock_once, [&s] {
    const char* forced = std::getenv("KPROF_LINES_CLOCK");
    bool invariant = cpu_has_invariant_tsc();
    if (forced && std::string(forced) == "clock_gettime") {
      clock_is_tsc = false;
      s.clock_why = "KPROF_LINES_CLOCK=clock_gettime";
    } else if (forced && std::string(forced) == "tsc") {
      clock_is_tsc = true;
      s.clock_why = invariant ? "KPROF_LINES_CLOCK=tsc (invariant TSC)" : "KPROF_LINES_CLOCK=tsc (TSC NOT invariant)";
    } else {
      clock_is_tsc = invariant;
      s.clock_why = invariant ? "invariant TSC (cpuid 0x80000007 EDX bit 8)"
                              : "the TSC is not invariant on this CPU (cpuid 0x80000007), so clock_gettime";
    }
  });
}

std::uint32_t register_site(Site& site) noexcept {
  State& s = state();
  std::lock_guard lock(s.mutex);
  std::uint32_t id = site.id.load(std::memory_order_relaxed);
  if (id != 0) return id;
  if (s.locations.size() < kOverflowSite) {
    id = static_cast<std::uint32_t>(s.locations.size());
    s.locations.push_back(site.location);
  } else {
    id = kOverflowSite;
    ++s.unregistered;
  }
  site.id.store(id, std::memory_order_relaxed);
  return id;
}

ThreadTable* create_thread_table() noexcept {
  choose_clock_once();
  State& s = state();
  ThreadTable* t = nullptr;
  {
    std::lock_guard lock(s.mutex);
    if (!s.free.empty()) {
      t = s.free.back();
      s.free.pop_back();
    } else {
      t = new ThreadTable();  // owned by State for the life of the process
    }
    s.live.push_back(t);
    if (s.trace_capacity > 0) t->trace = new_trace_buffer(s, gettid());
  }
  t_owner.table = t;
  current_table = t;
  return t;
}

void mark_binary_instrumented() noexcept { g_instrumented.store(true, std::memory_order_relaxed); }

bool instrumented() noexcept { return g_instrumented.load(std::memory_order_relaxed); }

}  // namespace detail

bool binary_is_instrumented() noexcept { return detail::instrumented(); }

void reset() {
  detail::choose_clock_once();
  detail::State& s = detail::state();
  std::lock_guard lock(s.mutex);
  s.trace_threads = 0;
  for (ThreadTable* t : s.live) {
    TraceBuffer* trace = t->trace;  // kept across the reset, emptied and renumbered
    std::memset(static_cast<void*>(t), 0, sizeof(ThreadTable));
    if (trace != nullptr) {
      trace->size = trace->dropped = 0;
      trace->thread = ++s.trace_threads;
      t->trace = trace;
    }
  }
  for (TraceBuffer* b : s.finished_traces) detail::free_trace_buffer(b);
  s.finished_traces.clear();
  for (Cell& c : s.retired) c = Cell{};
  s.retired_threads = 0;
  s.reset_ticks = detail::read_clock();
  s.reset_ns = detail::clock_gettime_ns();
}

Snapshot collect(const ClockInfo& clock) {
  detail::State& s = detail::state();
  std::uint64_t now_ticks = detail::read_clock();
  std::uint64_t now_ns = detail::clock_gettime_ns();
  Snapshot snap;
  snap.clock = clock;
  std::lock_guard lock(s.mutex);
  // Over a region of a second or more the TSC rate measured across it beats the short calibration.
  if (detail::clock_is_tsc && s.reset_ns != 0 && now_ns - s.reset_ns > 200'000'000)
    snap.clock.ticks_per_ns = static_cast<double>(now_ticks - s.reset_ticks) / static_cast<double>(now_ns - s.reset_ns);
  std::vector<Cell> sum(s.retired.begin(), s.retired.end());
  snap.threads = s.retired_threads;
  for (const ThreadTable* t : s.live) {
    if (t->lines + t->calls > 0) ++snap.threads;
    for (std::uint32_t i = 0; i < kMaxSites; ++i) {
      const Cell& c = t->cells[i];
      sum[i].ticks += c.ticks;
      sum[i].hits += c.hits;
      sum[i].marks += c.marks;
      sum[i].repeats += c.repeats;
      sum[i].calls += c.calls;
    }
  }
  for (std::uint32_t i = 1; i < s.locations.size(); ++i)
    if (sum[i].hits > 0) snap.sites.push_back({s.locations[i], sum[i]});
  if (sum[kOverflowSite].hits > 0) snap.sites.push_back({&detail::kOverflowLocation, sum[kOverflowSite]});
  snap.unregistered_sites = s.unregistered;
  return snap;
}

double net_ns(const Cell& cell, const ClockInfo& clock) {
  double ns =
      static_cast<double>(cell.ticks) / clock.ticks_per_ns - static_cast<double>(cell.marks) * clock.line_mark_ns -
      static_cast<double>(cell.repeats) * clock.repeat_mark_ns - static_cast<double>(cell.calls) * clock.call_ns;
  return ns > 0 ? ns : 0;
}

}  // namespace kprof::lines
