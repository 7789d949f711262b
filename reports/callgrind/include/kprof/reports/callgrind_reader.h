#pragma once
// The one callgrind-format reader of kprof, written from valgrind's "Callgrind Format
// Specification" (version 1): compressed names "(id) name", subpositions that are absolute
// (decimal or 0x hex), relative ("+n", "-n") or repeated ("*"), several events, calls= lines with
// inclusive costs, fi=/fe= inlined files, jump lines (skipped), and several parts in one file
// (merged: their costs add up).
//
// A function that appears in several fn= blocks is one CallgrindFunction; cost lines are kept as
// written (not merged by position). Every cost vector is padded to the number of events.
//
// Bad input throws UsageError "<name>:<line>: expected ..., got '...'". When the file states its
// totals ("totals:" or "summary:") and they differ from the sum of its cost lines, the file is
// reported as truncated or corrupt.
#include <filesystem>
#include <string_view>

#include "kprof/reports/callgrind_profile.h"

namespace kprof {

CallgrindProfile read_callgrind(std::string_view text, std::string_view name = "<callgrind text>");
CallgrindProfile read_callgrind_file(const std::filesystem::path& path);

}  // namespace kprof
