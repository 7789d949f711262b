#pragma once
// The marker runtime's process-wide state, shared by runtime.cpp and calibration.cpp.
#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "kprof/lines.h"

namespace kprof::lines::detail {

struct State {
  std::mutex mutex;
  std::once_flag clock_once;
  std::string clock_why;
  std::vector<const Location*> locations{nullptr};  // index = site id; id 0 is the "no line open" sink
  std::uint64_t unregistered = 0;                   // sites that got kOverflowSite
  std::vector<ThreadTable*> live;                   // tables of running threads
  std::vector<ThreadTable*> free;                   // zeroed tables of exited threads, for reuse
  std::array<Cell, kMaxSites> retired{};            // sums of exited threads' tables
  std::uint64_t retired_threads = 0;
  std::uint64_t reset_ticks = 0;
  std::uint64_t reset_ns = 0;
  std::uint64_t trace_capacity = 0;           // events per thread while tracing; 0: not tracing
  std::uint32_t trace_threads = 0;            // ordinals given since reset()
  std::vector<TraceBuffer*> finished_traces;  // buffers of threads that exited since reset()
};

// A buffer for a thread's intervals, numbered after the others; call with the mutex held.
TraceBuffer* new_trace_buffer(State& s, std::int64_t os_tid);
void free_trace_buffer(TraceBuffer* buffer);

State& state();
void choose_clock_once();
bool instrumented() noexcept;

inline constexpr Location kOverflowLocation{"<overflow>", "<sites beyond kprof::lines::kMaxSites>", 0, false};

}  // namespace kprof::lines::detail
