#pragma once
// The one callgrind-format writer of kprof: files that kcachegrind and callgrind_annotate open.
// Names are compressed ("fn=(3) name" once, then "fn=(3)"), addresses are written relative to
// the previous cost line ("+4"). "summary:" carries CallgrindProfile::stated_totals() (a file read
// back keeps callgrind's own summary) and the closing "totals:" the sum of the cost lines.
#include <filesystem>
#include <string>

#include "kprof/reports/callgrind_profile.h"

namespace kprof {

// The profile as callgrind-format text. Throws UsageError when the model is inconsistent (no
// events, a function without a file, a cost line with more costs than events).
std::string write_callgrind(const CallgrindProfile& profile);

// Writes the text atomically (kprof::write_file_atomically); throws UsageError naming the path.
void write_callgrind_file(const std::filesystem::path& path, const CallgrindProfile& profile);

}  // namespace kprof
