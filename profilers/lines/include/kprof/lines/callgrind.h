#pragma once
// The line timings as a callgrind-format profile (events: ns and hits, positions: line), written by
// kprof's one callgrind-format writer (kprof/reports/callgrind_writer.h). kcachegrind and
// callgrind_annotate show the timings on the source lines.
#include <string>

#include "kprof/lines/report.h"
#include "kprof/reports/callgrind_profile.h"

namespace kprof::lines {

// One function per marked function, one cost line per marked line (ns net of the marker cost,
// hits). A line's ns include the marked functions it calls, as in the table.
CallgrindProfile to_callgrind(const Report& report, const std::string& command, const std::string& object);

}  // namespace kprof::lines
