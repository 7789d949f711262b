#pragma once
// The collection side of the line timers: clock calibration, resetting the per-thread tables
// before a region and merging them after it. Markers (kprof/lines.h) only record; this file and
// report.h do everything else, outside the region.
#include <cstdint>
#include <string>
#include <vector>

#include "kprof/lines.h"

namespace kprof::lines {

struct ClockInfo {
  std::string source;         // "tsc" or "clock_gettime"
  std::string why;            // why this source ("invariant TSC", "KPROF_LINES_CLOCK=...", ...)
  double ticks_per_ns = 1;    // TSC ticks per nanosecond (1 for clock_gettime)
  double line_mark_ns = 0;    // measured cost of one KPROF_LINE that changes line, as seen by the line it closes
  double repeat_mark_ns = 0;  // measured cost of one KPROF_LINE that re-marks the open line (no clock read)
  double call_ns = 0;         // measured cost of one KPROF_FUNCTION entry + exit, as seen by the caller
  double clock_read_ns = 0;   // one bare clock read, for context
};

// Every site with something recorded, summed over all threads (live and exited).
struct SiteTotals {
  const Location* location;
  Cell cell;
};

struct Snapshot {
  std::vector<SiteTotals> sites;
  ClockInfo clock;
  std::uint64_t unregistered_sites = 0;  // sites beyond kMaxSites, merged into one overflow row
  std::uint64_t threads = 0;             // tables that recorded anything
};

// Chooses the clock (first call only), measures ticks per ns and the markers' own cost. Takes
// about 30 ms; call it before the region.
ClockInfo calibrate();

// Zeroes every thread's table. Call only while no marked code runs on any thread.
void reset();

// Merges every thread's table. Call only after the region's threads have finished marked code.
// `clock` comes from calibrate(); ticks_per_ns is refined over the time since reset().
Snapshot collect(const ClockInfo& clock);

// A cell's time in ns with the markers' own cost taken out (never below zero): for a line, its
// time; for a function site, its inclusive wall time (entry to exit, summed over calls).
double net_ns(const Cell& cell, const ClockInfo& clock);

}  // namespace kprof::lines
