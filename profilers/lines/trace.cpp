// The trace mode's runtime: bounded per-thread interval buffers, attached to every thread table
// while tracing, kept across a thread's exit and copied out after the region.
#include "kprof/lines/trace.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "runtime_state.h"

namespace kprof::lines {
namespace detail {

TraceBuffer* new_trace_buffer(State& s, std::int64_t os_tid) {
  auto* buffer = new TraceBuffer();
  // Uninitialised on purpose: only the pages the thread fills become resident.
  buffer->events = new TraceEvent[s.trace_capacity];
  buffer->capacity = s.trace_capacity;
  buffer->thread = ++s.trace_threads;
  buffer->os_tid = os_tid;
  return buffer;
}

void free_trace_buffer(TraceBuffer* buffer) {
  delete[] buffer->events;
  delete buffer;
}

}  // namespace detail

void start_tracing(std::uint64_t events_per_thread) {
  detail::thread_table();  // the calling thread's table, so that its buffer is touched below
  detail::State& s = detail::state();
  std::lock_guard lock(s.mutex);
  if (s.trace_capacity > 0) return;
  s.trace_capacity = std::max<std::uint64_t>(events_per_thread, 1);
  for (ThreadTable* t : s.live)
    if (t->trace == nullptr) t->trace = detail::new_trace_buffer(s, t == detail::current_table ? gettid() : 0);
  // The threads already here (the one that runs the region among them) take their page faults now,
  // outside the region: first touches cost ~80 ns per interval on this project's VM (a fault per
  // 170 intervals). Threads started inside the region fault their buffers in as they fill them.
  for (ThreadTable* t : s.live)
    std::memset(static_cast<void*>(t->trace->events), 0, s.trace_capacity * sizeof(TraceEvent));
}

namespace {

ThreadTrace copy_of(const TraceBuffer& buffer) {
  ThreadTrace trace;
  trace.thread = buffer.thread;
  trace.os_tid = buffer.os_tid;
  trace.events.assign(buffer.events, buffer.events + buffer.size);
  trace.dropped = buffer.dropped;
  return trace;
}

}  // namespace

Trace collect_trace() {
  detail::State& s = detail::state();
  std::lock_guard lock(s.mutex);
  Trace trace;
  trace.origin_ticks = s.reset_ticks;
  trace.events_per_thread = s.trace_capacity;
  trace.sites = s.locations;
  trace.sites.resize(kMaxSites, &detail::kOverflowLocation);
  for (const ThreadTable* t : s.live)
    if (t->trace != nullptr && t->trace->size + t->trace->dropped > 0) trace.threads.push_back(copy_of(*t->trace));
  for (const TraceBuffer* b : s.finished_traces)
    if (b->size + b->dropped > 0) trace.threads.push_back(copy_of(*b));
  std::sort(trace.threads.begin(), trace.threads.end(),
            [](const ThreadTrace& a, const ThreadTrace& b) { return a.thread < b.thread; });
  return trace;
}

}  // namespace kprof::lines
