#pragma once
// The difference of two callgrind-format profiles (two variants, or one variant at two commits):
// per function (keyed by name: the binary's path may differ between builds) and per source line
// (file, line), as tables and as a callgrind-format profile of the change (b - a, possibly
// negative) that kcachegrind shows like any other.
#include <cstdint>
#include <string>
#include <vector>

#include "kprof/reports/callgrind_profile.h"
#include "kprof/reports/tables.h"

namespace kprof {

struct CostDelta {
  std::string name;  // function name, or "file:line" for lines
  std::string file;
  std::int64_t line = 0;
  std::string function;  // for lines: the function the line belongs to
  std::vector<std::int64_t> a, b;
};

struct CallgrindDiff {
  std::vector<std::string> events;
  std::size_t sort_event = 0;
  std::vector<std::int64_t> totals_a, totals_b;
  std::vector<CostDelta> functions;  // by |b - a| of the sort event, descending
  std::vector<CostDelta> lines;      // by |b - a| of the sort event, descending
  bool zero() const;                 // no function and no line changed
};

// Throws UsageError when the events differ ("a has Ir Dr, b has Ir: missing in b: Dr").
CallgrindDiff diff_callgrind(const CallgrindProfile& a, const CallgrindProfile& b, const std::string& sort_event = "");

Table diff_functions_table(const CallgrindDiff& d, std::size_t n);
Table diff_lines_table(const CallgrindDiff& d, std::size_t n);

// The change as a profile (positions: line): each line's cost is b - a; kcachegrind opens it.
CallgrindProfile diff_profile(const CallgrindDiff& d);

}  // namespace kprof
