#pragma once
// The text of a source file, one string per line: what the line timers' table, callgrind's hot
// lines and the page's annotated source show next to their figures.
#include <string>
#include <vector>

namespace kprof {

// The lines of `path` without their newlines ('\r' of CRLF files dropped too); empty when the file
// cannot be read (a profile made on another machine, a generated file that is gone).
std::vector<std::string> read_source_lines(const std::string& path);

}  // namespace kprof
