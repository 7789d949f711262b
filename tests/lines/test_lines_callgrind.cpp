// The line timings as a callgrind-format file: callgrind_annotate (valgrind's own reader) opens
// it, and its program totals equal the report's (ns and hits), and it puts the cost on the lines.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "kprof/lines/callgrind.h"
#include "kprof/reports/callgrind_writer.h"
#include "lines_test_util.h"
#include "support/process.h"

namespace kprof::lines::test {
namespace {

// The numbers before "PROGRAM TOTALS" in callgrind_annotate's output, commas removed.
std::vector<std::int64_t> program_totals(const std::string& annotate_out) {
  std::istringstream in(annotate_out);
  std::string line;
  while (std::getline(in, line)) {
    auto at = line.find("PROGRAM TOTALS");
    if (at == std::string::npos) continue;
    std::vector<std::int64_t> out;
    std::istringstream nums(line.substr(0, at));
    std::string tok;
    while (nums >> tok) {
      if (tok.front() == '(') continue;  // "(100.0%)" in newer versions
      std::string digits;
      for (char c : tok)
        if (c != ',') digits += c;
      out.push_back(std::stoll(digits));
    }
    return out;
  }
  return {};
}

TEST(LinesCallgrind, CallgrindAnnotateReadsTheFileAndTotalsMatch) {
  Report r = build_report(profile([] {
    loop(2000);
    outer_calls_inner(300);
  }));
  std::string dir = kprof::test::fresh_dir("lines_callgrind");
  std::string path = dir + "/callgrind.out.lines";
  write_callgrind_file(path, to_callgrind(r, "test_lines_callgrind", "/proc/self/exe"));

  std::int64_t want_ns = 0, want_hits = 0;
  for (const FunctionReport& f : r.functions)
    for (const LineRow& row : f.rows)
      if (row.marked) {
        want_ns += std::llround(row.ns);
        want_hits += static_cast<std::int64_t>(row.hits);
      }
  auto res = kprof::test::run_command("callgrind_annotate " + path);
  ASSERT_EQ(res.exit_code, 0) << res.err;
  std::vector<std::int64_t> totals = program_totals(res.out);
  ASSERT_EQ(totals.size(), 2u) << res.out;
  EXPECT_EQ(totals[0], want_ns) << res.out;
  EXPECT_EQ(totals[1], want_hits) << res.out;
  EXPECT_EQ(want_hits, 1 + 1 + 2000 + 3 * 2000 + 1 + 1 + 300 + 300 + 300);  // headers, lines, inner calls
  // With the source at hand, the annotated listing shows the statement under the loop marker.
  auto annotated = kprof::test::run_command("callgrind_annotate --auto=yes " + path);
  ASSERT_EQ(annotated.exit_code, 0) << annotated.err;
  EXPECT_NE(annotated.out.find("sum ^= j;"), std::string::npos) << annotated.out;
  EXPECT_NE(annotated.out.find("6,000"), std::string::npos) << annotated.out;  // its hits
}

}  // namespace
}  // namespace kprof::lines::test
