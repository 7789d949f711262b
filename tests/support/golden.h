#pragma once
// Golden-output matching with placeholders for numbers (after Google Benchmark's output_test.h).
// An expected file holds one pattern per line; in a pattern
//   {float}  a decimal number (optionally signed, with exponent)   {int}  a whole number
//   {dur}    a duration such as "93.4 us"                          {any}  anything up to the next literal
//   {ws}     one or more spaces
// and everything else is literal. Trailing spaces are ignored. Lines match one to one, except that a
// pattern line starting with {repeat} matches zero or more consecutive lines (machine-dependent
// warnings, one row per registered variant).
#include <string>

namespace kprof::test {

// Returns "" when `actual` matches `expected_patterns`, else a description of the first mismatch.
std::string match_golden(const std::string& expected_patterns, const std::string& actual);

// Reads tests/golden/<name> from the source tree.
std::string golden_file(const std::string& name);

}  // namespace kprof::test
