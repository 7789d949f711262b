#pragma once
// Lines of automatically marked functions that hold a statement but no marker of their own
// (EXCLUDE_LINES, or a statement written by a macro): their time counts on the line timed before
// them, so the report lists them under the function's table. kprof-mark appends the list to the
// copy it writes (docs/LINES.md), which registers it when the instrumented binary starts:
//
//   [[maybe_unused]] static const bool kprof_unmarked_lines_ = ::kprof::lines::note_unmarked_lines(
//       "/src/kernels.cpp", {{41, "excluded"}, {57, "written by a macro"}});
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace kprof::lines {

struct UnmarkedSite {
  std::uint32_t line = 0;
  const char* why = "";
};

struct NotInstrumented {
  std::uint32_t line = 0;
  std::string why;
  bool operator==(const NotInstrumented&) const = default;
};

// `file` is the original source, as the copy's #line names it. Always returns true.
bool note_unmarked_lines(const char* file, std::initializer_list<UnmarkedSite> sites);

// What the marked copies of `file` registered, by line (empty for a file marked by hand).
std::vector<NotInstrumented> unmarked_lines(const std::string& file);

}  // namespace kprof::lines
