#pragma once
// Run::sections["memory"], written by `kprof mem` (docs/MEMORY.md), read by the regression gate
// (peak, bytes and allocations per call, the call sites that grew) and by `kprof history`.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kprof/sections/section.h"

namespace kprof {

struct MemorySiteCost {
  Frame frame;
  std::uint64_t bytes = 0;  // allocated in the region
  std::uint64_t count = 0;  // allocations
  std::uint64_t peak_bytes = 0;
  std::uint64_t leaked_bytes = 0;
  std::uint64_t temporary = 0;
  bool operator==(const MemorySiteCost&) const = default;
};

struct MemoryPerCall {
  double bytes_allocated = 0;
  double allocations = 0;
  double temporary_allocations = 0;
  bool operator==(const MemoryPerCall&) const = default;
};

struct MemoryEntry {
  Subject subject;
  std::int64_t iterations = 1;
  std::uint64_t peak_bytes = 0;
  std::uint64_t bytes_allocated = 0;
  std::uint64_t allocations = 0;
  std::uint64_t frees = 0;
  std::uint64_t foreign_frees = 0;
  std::uint64_t temporary_allocations = 0;
  std::uint64_t leaked_bytes = 0;
  std::uint64_t leaked_allocations = 0;
  bool truncated = false;
  std::string ended_by_exec;  // a program image an exec replaced: the file it exec'd ("" otherwise)
  MemoryPerCall per_call;
  std::map<std::string, std::uint64_t> calls;  // per entry point: "malloc", "operator new[]", ...
  std::vector<MemorySiteCost> top_sites;
  std::vector<Frame> peak_stack;                                  // innermost first
  std::vector<std::pair<std::uint64_t, std::uint64_t>> timeline;  // (time in bytes, heap bytes)
  std::string allocations_file;  // the allocation profile (callgrind format) kprof mem -o wrote; "" without
  std::string pprof_file;        // allocations and the peak as pprof's profile.proto (-o); "" without
  bool operator==(const MemoryEntry&) const = default;
};

struct MemorySection {
  static constexpr std::string_view kName = "memory";
  static constexpr int kVersion = 1;
  std::vector<MemoryEntry> results;

  nlohmann::json to_json() const;
  static MemorySection from_json(const JsonField& j);
  bool operator==(const MemorySection&) const = default;
};

}  // namespace kprof
