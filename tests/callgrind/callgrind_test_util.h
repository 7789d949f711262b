#pragma once
// Helpers for the callgrind tests: run valgrind on a real program and read callgrind_annotate's
// per-function table, the reference every kprof figure is checked against.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kprof::test {

// Runs `valgrind --tool=callgrind <options> --callgrind-out-file=<out> <program>`; fails the test
// (returns false) when valgrind fails.
bool run_callgrind(const std::string& options, const std::string& out, const std::string& program);

struct AnnotateTable {
  std::vector<std::int64_t> totals;  // PROGRAM TOTALS
  // By function name: self costs summed over files; inclusive costs (inclusive=true): the largest row.
  std::map<std::string, std::vector<std::int64_t>> functions;
};

// callgrind_annotate --threshold=100 [--inclusive=yes] <file>, parsed.
AnnotateTable annotate(const std::string& file, std::size_t events, bool inclusive = false);

}  // namespace kprof::test
