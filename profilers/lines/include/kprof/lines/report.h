#pragma once
// The analysis side of the line timers: a merged Snapshot becomes per-function tables in the
// shape of line_profiler's (%lprun): Line #, Hits, Time, Per Hit, % Time, Line Contents, with the
// source text read from the file the compiler saw. Rendered as text, Markdown and JSON (the
// "lines" section of the Run document, docs/LINES.md).
#include <cstdint>
#include <string>
#include <vector>

#include "kprof/lines/collector.h"
#include "kprof/lines/unmarked.h"
#include "kprof/sections/lines.h"

namespace kprof::lines {

struct LineRow {
  std::uint32_t line = 0;         // the statement's line
  std::uint32_t marker_line = 0;  // where its KPROF_LINE is (the line above when alone on its line)
  bool marked = false;            // false: a source line without a marker (shown for context, no numbers)
  std::uint64_t hits = 0;
  double ns = 0;  // net of the markers' cost, nested calls included
  std::string text;
};

struct FunctionReport {
  std::string function;
  std::string file;
  std::uint32_t line = 0;  // the KPROF_FUNCTION line
  std::uint64_t calls = 0;
  double total_ns = 0;  // sum of the function's line times (line_profiler's "Total time")
  double wall_ns = 0;   // entry to exit, summed over calls (recursive calls count at every level)
  bool source_available = false;
  std::string source_note;         // why there is no line text ("" when there is)
  bool automatic_markers = false;  // inserted by kprof-mark: the source holds no marker text
  std::vector<LineRow> rows;
  std::vector<NotInstrumented> not_instrumented;  // lines kprof-mark left unmarked, within the rows
};

struct RankedLine {
  std::string function;
  std::string file;
  std::uint32_t line = 0;
  std::uint64_t hits = 0;
  double ns = 0;
  double percent_of_function = 0;
  std::string text;
};

struct Report {
  ClockInfo clock;
  std::vector<FunctionReport> functions;  // by total time, largest first
  std::vector<RankedLine> ranked;         // every marked line, by time, largest first
  std::uint64_t unregistered_sites = 0;
  std::uint64_t threads = 0;
  std::vector<std::string> notes;  // what the reader must know (missing source, overflow ...)
};

// Groups sites by function, reads the source files, ranks the lines.
Report build_report(const Snapshot& snapshot);

std::string render_text(const Report& report);
std::string render_markdown(const Report& report);
// The Run's lines section (kprof/sections/lines.h, docs/LINES.md) without what the region was: the
// caller fills subject, iterations and region_wall_ns.
LinesSection to_section(const Report& report);

}  // namespace kprof::lines
