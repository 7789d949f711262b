#pragma once
// Helpers for the line-timer tests: find a tagged marker line in marked_code.cpp, run a callable
// between reset() and collect(), and look sites up in the snapshot.
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>

#include "kprof/lines/collector.h"
#include "marked_code.h"

namespace kprof::lines::test {

using namespace ::lines_fixture;  // the marked functions

inline const std::string kMarkedFile = std::string(KPROF_SOURCE_DIR) + "/tests/lines/marked_code.cpp";

// The line of marked_code.cpp that carries "// @tag".
inline std::uint32_t line_of(const std::string& tag) {
  std::ifstream in(kMarkedFile);
  std::string line;
  for (std::uint32_t n = 1; std::getline(in, line); ++n) {
    auto at = line.find("// @" + tag);
    if (at != std::string::npos && line.size() == at + 4 + tag.size()) return n;
  }
  throw std::runtime_error("no tag @" + tag + " in " + kMarkedFile);
}

inline const ClockInfo& clock() {
  static const ClockInfo info = calibrate();
  return info;
}

template <class F>
Snapshot profile(F&& f) {
  clock();
  reset();
  f();
  return collect(clock());
}

// The merged cell of a line (is_function false) or a function (true) of marked_code.cpp.
inline Cell cell_at(const Snapshot& s, std::uint32_t line, bool is_function = false) {
  Cell sum;
  for (const SiteTotals& t : s.sites) {
    if (t.location->line != line || t.location->is_function != is_function) continue;
    if (std::string(t.location->file).find("marked_code.cpp") == std::string::npos) continue;
    sum.ticks += t.cell.ticks;
    sum.hits += t.cell.hits;
    sum.marks += t.cell.marks;
    sum.repeats += t.cell.repeats;
    sum.calls += t.cell.calls;
  }
  return sum;
}

// Sum of the raw ticks of every line (not function) site in [first, last] of marked_code.cpp.
inline std::uint64_t line_ticks(const Snapshot& s, std::uint32_t first, std::uint32_t last) {
  std::uint64_t sum = 0;
  for (const SiteTotals& t : s.sites)
    if (!t.location->is_function && t.location->line >= first && t.location->line <= last &&
        std::string(t.location->file).find("marked_code.cpp") != std::string::npos)
      sum += t.cell.ticks;
  return sum;
}

}  // namespace kprof::lines::test
