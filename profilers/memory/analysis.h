#pragma once
// The analysis half of the memory tracer: reads a trace, replays the heap, symbolises the stacks
// that matter and builds a MemoryReport. Two passes over the mapped file: the first finds the
// totals and where the peak is, the second rebuilds what was live at the peak and the timeline.
#include <cstdint>
#include <filesystem>
#include <string>

#include "kprof/memory.h"

namespace kprof::memory {

struct AnalysisOptions {
  std::string name;
  std::int64_t iterations = 1;
  std::size_t max_sites = 30;
  std::size_t timeline_points = 200;
};

MemoryReport analyze_trace(const std::filesystem::path& trace, const AnalysisOptions& options);

}  // namespace kprof::memory
