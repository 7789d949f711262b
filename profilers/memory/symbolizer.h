#pragma once
// Maps return addresses to functions and source lines after the run, with elfutils libdwfl
// (never inside a hook). A return address points after the call, so `ip - 1` is looked up: that
// is the calling line. Inlined calls are expanded into frames of their own (DW_TAG_inlined_
// subroutine's call_file/call_line), so an allocation inlined from std::vector still reaches the
// user's line that grew the vector.
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "kprof/memory.h"
#include "trace_reader.h"

namespace kprof::memory {

class Symbolizer {
 public:
  Symbolizer();
  ~Symbolizer();
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;

  void add_module(std::uint32_t epoch, const TraceModule& module);
  // Frames for one return address recorded in `epoch`, innermost first (never empty). Looks in
  // the module snapshot of that epoch first, then in later and earlier ones (a stack recorded
  // before the first snapshot, a library unloaded before the last one).
  const std::vector<MemoryFrame>& frames(std::uint32_t epoch, std::uint64_t return_address);

 private:
  struct Snapshot;
  Snapshot* snapshot(std::uint32_t epoch);
  std::vector<MemoryFrame> resolve(std::uint32_t epoch, std::uint64_t pc);

  std::map<std::uint32_t, std::unique_ptr<Snapshot>> snapshots_;
  std::map<std::pair<std::uint32_t, std::uint64_t>, std::vector<MemoryFrame>> cache_;
};

// True for frames that belong to the C/C++ runtime, system headers or kprof's own tracer: the
// call site of an allocation is the first frame that is not one of these.
bool is_runtime_frame(const MemoryFrame& frame);

}  // namespace kprof::memory
