#pragma once
// Memory tracing of a region of your own code (memory_profiler's %memit, in C++):
//
//   kprof::MemoryScope scope;          // starts recording every allocation of every thread
//   fit(model, data);
//   kprof::MemoryReport r = scope.stop();   // peak above the start, bytes, count, call sites...
//   std::cout << kprof::render_memory_text(r);
//
// or in one line: `auto r = kprof::memit([&] { fit(model, data); });`
//
// Recording needs the allocation hooks: link `kprof::memory_hooks` into your executable (the
// kprof binary has them), or run it with LD_PRELOAD=libkprof_memory_preload.so. Without them,
// MemoryScope throws kprof::UsageError saying so. The hooks cost one load and one branch per
// allocation while no scope is open, and nothing at all in code that does not allocate.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kprof/sections/memory.h"

#include "kprof/frame.h"

namespace kprof {

// Frames are kprof's one frame type (kprof/frame.h); the old name stays for existing code.
using MemoryFrame = Frame;

// A call site: the first frame of an allocation's stack that is in the program's own code
// (frames of the C/C++ runtime, of system headers and of kprof are skipped: is_runtime_frame).
struct MemorySite {
  Frame frame;
  std::uint64_t bytes = 0;         // allocated in the region, in total
  std::uint64_t count = 0;         // allocations
  std::uint64_t peak_bytes = 0;    // of the heap at its peak, held by this site
  std::uint64_t leaked_bytes = 0;  // still allocated at the region's end
  std::uint64_t temporary = 0;     // allocations freed before any other allocation happened
};

// A full call stack and what it held (at the peak) or allocated (in the region).
struct MemoryStack {
  std::vector<Frame> frames;  // innermost (the allocating call) first, inlined calls expanded
  std::uint64_t bytes = 0;
  std::uint64_t count = 0;
};

struct MemoryTimelinePoint {
  std::uint64_t time_bytes = 0;  // bytes allocated + freed so far (massif's time unit "B")
  std::uint64_t heap_bytes = 0;  // live bytes above the region's start
};

struct MemoryReport {
  std::string name;  // what was traced: "family/variant/dtype/size", a program, a scope's name
  std::int64_t iterations = 1;
  std::uint64_t peak_bytes = 0;  // highest live heap above the region's start
  std::uint64_t bytes_allocated = 0;
  std::uint64_t allocations = 0;
  std::uint64_t frees = 0;          // of blocks allocated in the region
  std::uint64_t foreign_frees = 0;  // of blocks allocated before the region (not counted)
  std::uint64_t temporary_allocations = 0;
  std::uint64_t leaked_bytes = 0;  // live at the region's end (at the exec, when an exec ended it)
  std::uint64_t leaked_allocations = 0;
  std::map<std::string, std::uint64_t> calls;  // per entry point: "malloc", "operator new[]", "free" ...
  std::vector<MemorySite> sites;               // by bytes allocated, largest first
  std::vector<MemorySite> peak_sites;          // by bytes held at the peak, largest first
  std::vector<MemoryStack> peak_stacks;        // what was live at the peak, largest first (<= 50)
  // What each stack allocated, largest first (<= 2000): from the call site outwards (the runtime's
  // frames inside it, malloc and the tracer, left out), for the allocation flame graph.
  std::vector<MemoryStack> allocation_stacks;
  std::uint64_t allocation_stacks_left_out = 0;  // stacks beyond the 2000
  std::vector<MemoryTimelinePoint> timeline;     // heap size over the region (<= 200 points)
  bool truncated = false;                        // the trace ended early (a crash, a full disk)
  // A program's image that an exec replaced: the file it exec'd. Its records end there, and what it
  // still held (leaked_bytes) was released by the exec; the next image is a report of its own.
  std::string ended_by_exec;
};

// libkprof_memory_preload.so for `kprof mem -- program`: $KPROF_MEMORY_PRELOAD, next to the
// running executable (../lib or the same folder), or the build tree's. Throws UsageError if none.
std::filesystem::path memory_preload_library();

// True when the allocation hooks are present in this process (linked in or preloaded).
bool memory_tracing_available();

// Records every allocation and free of every thread between construction and stop(). One scope
// at a time per process; `kprof mem` and a MemoryScope cannot run at the same time.
class MemoryScope {
 public:
  explicit MemoryScope(std::string name = "scope");
  ~MemoryScope();
  MemoryScope(const MemoryScope&) = delete;
  MemoryScope& operator=(const MemoryScope&) = delete;
  // Stops recording, symbolises and analyses the trace. `iterations` divides per-call figures.
  MemoryReport stop(std::int64_t iterations = 1);

 private:
  std::string name_;
  std::filesystem::path trace_;
  std::string trace_string_;
  std::size_t registration_ = 0;  // of trace_, removed if kprof is interrupted (kprof/interrupt.h)
  bool running_ = false;
};

template <class F>
MemoryReport memit(F&& f, std::string name = "memit") {
  MemoryScope scope(std::move(name));
  std::forward<F>(f)();
  return scope.stop();
}

// Analyses a trace written by the hooks (what `kprof mem -- program` does after the program exits).
MemoryReport read_memory_trace(const std::filesystem::path& trace, std::string name, std::int64_t iterations = 1);

// Renderings: terminal, Markdown (%mprun-like per-line table with line contents when the source
// is readable), one entry of the Run's memory section (kprof/sections/memory.h) about `subject`,
// massif file (ms_print), allocation profile (callgrind format: bytes and allocations per stack,
// for kcachegrind and the page's flame graph).
std::string render_memory_text(const MemoryReport& report);
std::string render_memory_markdown(const MemoryReport& report);
MemoryEntry memory_entry(const MemoryReport& report, Subject subject);
std::string render_massif(const MemoryReport& report, const std::string& command);
std::string render_allocation_profile(const MemoryReport& report, const std::string& command);

}  // namespace kprof
