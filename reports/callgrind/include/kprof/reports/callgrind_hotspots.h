#pragma once
// Hotspot tables from a callgrind-format profile: top functions by exclusive (self) and inclusive
// cost, top source lines with their text. Totals are the sum of all cost lines, which is what
// callgrind_annotate prints as the file's total.
//
// A function is keyed by (name, object): its cost in inlined files (fi=) counts as its own, as in
// kcachegrind. Inclusive cost follows callgrind_annotate --inclusive=yes: the sum of the
// inclusive costs of the calls into a function, or self + outgoing calls for a function nobody
// calls (the root of the profiled region).
#include <cstdint>
#include <string>
#include <vector>

#include "kprof/reports/callgrind_profile.h"
#include "kprof/reports/tables.h"

namespace kprof {

struct HotFunction {
  std::string name;
  std::string file;  // the function's own file (fl=)
  std::string object;
  std::vector<std::int64_t> self;
  std::vector<std::int64_t> inclusive;
  std::int64_t calls = 0;  // times called (sum of calls= into it)
};

struct HotLine {
  std::string file;
  std::int64_t line = 0;
  std::string function;  // the function with most cost on this line
  std::vector<std::int64_t> self;
  std::string source;  // the line's text when the file is readable, trimmed; "" otherwise
};

struct Hotspots {
  std::vector<std::string> events;
  std::vector<std::int64_t> totals;
  std::size_t sort_event = 0;          // index of the event the lists are sorted by
  std::vector<HotFunction> functions;  // all functions, by self cost (descending)
  std::vector<HotLine> lines;          // all (file, line) pairs, by self cost (descending)
};

// `sort_event` empty: the first event. Throws UsageError naming the events when it is unknown.
Hotspots compute_hotspots(const CallgrindProfile& profile, const std::string& sort_event = "");

// The top `n` functions sorted by self (inclusive=false) or inclusive cost, with a percentage of
// the total for the sort event.
Table hot_functions_table(const Hotspots& h, std::size_t n, bool inclusive);
// The top `n` lines, with the source text read from disk (cached per file) when available.
Table hot_lines_table(Hotspots& h, std::size_t n);

// "1,234,567" (counts are large; separators make them readable).
std::string format_count(std::int64_t value);

}  // namespace kprof
