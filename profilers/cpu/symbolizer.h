#pragma once
// Program counters to function + file:line with elfutils libdwfl, from the load addresses a
// profile recorded (/proc/<pid>/maps): it works after the profiled process has exited.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "gperf_profile.h"

namespace kprof {

struct SourceFrame {
  std::string function;  // demangled; "0x..." when there is no symbol
  std::string file;      // "" when there is no line information
  std::int64_t line = 0;
  std::string object;         // the binary or shared library
  std::string function_file;  // file of the function's first instruction
  std::uint64_t address = 0;  // the PC looked up
};

class Symbolizer {
 public:
  explicit Symbolizer(const std::vector<MapEntry>& maps);
  ~Symbolizer();
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;
  // `pc` as recorded; return addresses (every frame but the innermost) should be passed as pc - 1
  // so that they map to the call's line, not the next one.
  const SourceFrame& lookup(std::uint64_t pc);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::unordered_map<std::uint64_t, SourceFrame> cache_;
};

}  // namespace kprof
