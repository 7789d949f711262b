// Line timings to the callgrind format. Costs are whole nanoseconds, rounded per line, so that the
// file's totals are exactly the sum of its cost lines (what callgrind_annotate prints).
#include <cmath>

#include "kprof/lines/callgrind.h"

namespace kprof::lines {

CallgrindProfile to_callgrind(const Report& report, const std::string& command, const std::string& object) {
  CallgrindProfile p;
  p.creator = "kprof lines";
  p.command = command;
  p.events = {"ns", "hits"};
  p.event_names = {"Time (ns, marker cost subtracted)", "Hits"};
  p.instr_positions = false;
  p.descriptions = {"Timer: " + report.clock.source + " (" + report.clock.why + ")"};
  for (const FunctionReport& fr : report.functions) {
    CallgrindFunction& f = p.function(object, fr.file, fr.function);
    for (const LineRow& row : fr.rows)
      if (row.marked) f.add_cost(row.line, {std::llround(row.ns), static_cast<std::int64_t>(row.hits)});
  }
  return p;
}

}  // namespace kprof::lines
