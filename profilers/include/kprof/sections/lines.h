#pragma once
// Run::sections["lines"], written by `kprof lines` (line_profiler-style tables, docs/LINES.md).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kprof/sections/section.h"

namespace kprof {

struct LinesClock {
  std::string source;  // "tsc" or "clock_gettime"
  std::string why;
  double ticks_per_ns = 0;
  double line_mark_ns = 0;    // cost of a marker that changes line (subtracted from times)
  double repeat_mark_ns = 0;  // cost of a marker re-marking its own line
  double call_ns = 0;
  double clock_read_ns = 0;
  bool operator==(const LinesClock&) const = default;
};

struct LinesLine {
  std::uint32_t line = 0;
  std::uint32_t marker_line = 0;
  std::uint64_t hits = 0;
  double ns = 0;
  double per_hit_ns = 0;
  double percent = 0;  // of the function's total
  std::string text;
  bool operator==(const LinesLine&) const = default;
};

// A line of an automatically marked function that holds a statement but no marker (kprof-mark left
// it: "excluded", "written by a macro"); its time counts on the line timed before it.
struct LinesUnmarked {
  std::uint32_t line = 0;
  std::string why;
  bool operator==(const LinesUnmarked&) const = default;
};

struct LinesFunction {
  std::string function;
  std::string file;
  std::uint32_t line = 0;
  std::uint64_t calls = 0;
  double total_ns = 0;
  double wall_ns = 0;
  bool source_available = false;
  std::string source_note;
  std::vector<LinesLine> lines;                 // marked lines only
  std::vector<LinesUnmarked> not_instrumented;  // absent from the JSON when empty
  bool operator==(const LinesFunction&) const = default;
};

struct LinesRanked {
  std::string function;
  std::string file;
  std::uint32_t line = 0;
  double ns = 0;
  std::uint64_t hits = 0;
  double percent_of_function = 0;
  bool operator==(const LinesRanked&) const = default;
};

struct LinesSection {
  static constexpr std::string_view kName = "lines";
  static constexpr int kVersion = 2;  // 2: `key` added, `size` an object (1: a string, "m=64,n=1797")
  Subject subject;                    // the kernel that ran
  std::int64_t iterations = 1;
  double region_wall_ns = 0;
  LinesClock clock;
  std::uint64_t threads = 0;
  std::uint64_t unregistered_sites = 0;
  std::vector<LinesFunction> functions;  // by total_ns, largest first
  std::vector<LinesRanked> ranked;       // by ns, largest first
  std::vector<std::string> notes;

  nlohmann::json to_json() const;
  static LinesSection from_json(const JsonField& j);
  bool operator==(const LinesSection&) const = default;
};

}  // namespace kprof
