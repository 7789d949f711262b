#pragma once
// Where line markers go in a C++ source file, found in libclang's AST (not a hand-written parser):
// the automatic way of `kprof lines` (docs/LINES.md). For each function to profile, KPROF_AUTO_FUNCTION
// right after its body's opening brace and KPROF_AUTO_LINE before each statement of its blocks, on the
// statement's own line, so the marked copy keeps every line where it was and `#line 1 "<original>"`
// is the only mapping the tables, kcachegrind files and editors need.
//
//   kprof::lines::MarkRequest request{source, compiler_args, {"nls_scalar"}};
//   kprof::lines::MarkedSource marked = kprof::lines::mark_statements(request);
//   write(marked.text);  // the copy to compile with KPROF_INSTRUMENT=1
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace kprof::lines {

struct MarkRequest {
  std::filesystem::path source;
  std::vector<std::string> compiler_args;  // -I, -D, -std=... as the build compiles the source
  std::vector<std::string> functions;      // unqualified ("nls_scalar") or qualified ("nmf::nls_scalar")
  bool all_functions = false;              // every function defined in the source
  std::set<int> excluded_lines;            // statements starting on these lines get no marker
};

// A line of a profiled function that holds code but no marker of its own: its time goes to the
// line of the marker before it. Reported so that the table's reader knows.
struct UnmarkedLine {
  int line = 0;
  std::string why;  // "excluded", "same line as a marked statement", "in a macro"...
};

struct MarkedFunction {
  std::string name;  // qualified, as the source declares it
  int body_line = 0;
  int markers = 0;  // KPROF_LINE markers inserted (KPROF_FUNCTION not counted)
  std::vector<UnmarkedLine> unmarked;
};

struct MarkedSource {
  std::string text;  // the original with the markers and the #include/#line prologue
  std::vector<MarkedFunction> functions;
  std::vector<std::string> skipped;  // functions named or found but not instrumentable, with why
};

// Throws UsageError naming the file and clang's diagnostic when the source does not parse, and
// naming the function (with those the file defines) when a requested function has no definition.
MarkedSource mark_statements(const MarkRequest& request);

}  // namespace kprof::lines
