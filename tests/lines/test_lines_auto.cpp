// Automatic markers (kprof_line_profile + kprof-mark): unmarked_code.cpp has no marker; the copy
// kprof-mark wrote with libclang has one at every statement. Exact hit counts for each shape, the
// original file and lines in every site, and kprof-mark's refusals (exit 2, naming the problem).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include "kprof/lines/collector.h"
#include "kprof/lines/report.h"
#include "unmarked_code.h"

namespace {

using namespace kprof::lines;
using namespace unmarked_fixture;

const std::string kSource = std::string(KPROF_SOURCE_DIR) + "/tests/lines/unmarked_code.cpp";

std::uint32_t line_of(const std::string& tag) {
  std::ifstream in(kSource);
  std::string line;
  for (std::uint32_t n = 1; std::getline(in, line); ++n)
    if (line.ends_with("// @" + tag)) return n;
  throw std::runtime_error("no tag @" + tag + " in " + kSource);
}

template <class F>
Snapshot profile(F&& f) {
  static const ClockInfo clock = calibrate();
  reset();
  f();
  return collect(clock);
}

// Hits of a line (summed over template instantiations); -1 when it has no site at all.
std::int64_t hits(const Snapshot& s, std::uint32_t line) {
  std::int64_t sum = -1;
  for (const SiteTotals& t : s.sites)
    if (!t.location->is_function && t.location->line == line && std::string(t.location->file) == kSource)
      sum = (sum < 0 ? 0 : sum) + static_cast<std::int64_t>(t.cell.hits);
  return sum;
}

TEST(AutomaticMarkers, EverySiteNamesTheOriginalFile) {
  const Snapshot s = profile([] { template_sum(3); });
  ASSERT_FALSE(s.sites.empty());
  for (const SiteTotals& t : s.sites) EXPECT_EQ(std::string(t.location->file), kSource);
}

TEST(AutomaticMarkers, TemplatesCountEveryInstantiationOnTheirLines) {
  const Snapshot s = profile([] { EXPECT_EQ(template_sum(100), 2 * 4950); });
  EXPECT_EQ(hits(s, line_of("tpl_init")), 2);  // sum_to<int> and sum_to<double>
  EXPECT_EQ(hits(s, line_of("tpl_loop")), 2);  // the for statement, entered once per call
  EXPECT_EQ(hits(s, line_of("tpl_body")), 200);
  EXPECT_EQ(hits(s, line_of("tpl_return")), 2);
  EXPECT_EQ(hits(s, line_of("tpl_call")), 1);
}

TEST(AutomaticMarkers, ALambdaIsAFunctionOfItsOwn) {
  const Snapshot s = profile([] { EXPECT_EQ(lambda_calls(50), 1225); });
  EXPECT_EQ(hits(s, line_of("lambda_init")), 1);
  EXPECT_EQ(hits(s, line_of("lambda_body")), 50);
  // One statement on the loop's line: its body (same line) is not marked again, one hit per entry.
  EXPECT_EQ(hits(s, line_of("lambda_loop")), 1);
}

TEST(AutomaticMarkers, RangeForBodyCountsEachElement) {
  const Snapshot s = profile([] { EXPECT_EQ(range_for({1, 2, 3, 4, 5, 6, 7}), 28); });
  EXPECT_EQ(hits(s, line_of("range_header")), 1);
  EXPECT_EQ(hits(s, line_of("range_body")), 7);
}

TEST(AutomaticMarkers, EarlyReturnSkipsTheLaterLines) {
  const Snapshot s = profile([] {
    for (int x = -3; x < 5; ++x) early_exit(x);
  });
  EXPECT_EQ(hits(s, line_of("early_check")), 8);
  EXPECT_EQ(hits(s, line_of("early_return")), 3);
  EXPECT_EQ(hits(s, line_of("early_late")), 5);
}

TEST(AutomaticMarkers, AnExceptionEndsTheInvocationOnItsLine) {
  const Snapshot s = profile([] {
    for (int i = 0; i < 6; ++i) try {
        throws_midway(i % 3 != 0);
      } catch (const std::runtime_error&) {
      }
  });
  EXPECT_EQ(hits(s, line_of("throw_first")), 6);
  EXPECT_EQ(hits(s, line_of("throw_middle")), 6);
  EXPECT_EQ(hits(s, line_of("throw_last")), 2);
}

TEST(AutomaticMarkers, AStatementOverSeveralLinesIsTimedOnItsFirstLine) {
  const Snapshot s = profile([] { EXPECT_EQ(multi_line_statement(10), 90); });
  EXPECT_EQ(hits(s, line_of("multi_start")), 10);
  EXPECT_EQ(hits(s, line_of("multi_start") + 1), -1);  // no site on the statement's other lines
  EXPECT_EQ(hits(s, line_of("multi_next")), 10);
}

TEST(AutomaticMarkers, CaseLabelsTakeTheirMarkerAfterTheLabel) {
  const Snapshot s = profile([] {
    for (int x = 0; x < 4; ++x) switch_cases(x);
  });
  EXPECT_EQ(hits(s, line_of("case_zero")), 1);
  EXPECT_EQ(hits(s, line_of("case_default")), 3);
}

// EXCLUDE_LINES 87 (CMakeLists.txt) and a macro-written statement: no site on either line, and the
// report lists both under not_instrumented()'s table, in its text and in its JSON section.
TEST(AutomaticMarkers, UnmarkedLinesAreListedInTheReport) {
  ASSERT_EQ(line_of("excluded"), 87u) << "update EXCLUDE_LINES in tests/lines/CMakeLists.txt";
  const Snapshot s = profile([] { EXPECT_EQ(not_instrumented(10), 3 * 45 + 7); });
  EXPECT_EQ(hits(s, line_of("ni_loop")), 1);
  EXPECT_EQ(hits(s, line_of("excluded")), -1);
  EXPECT_EQ(hits(s, line_of("macro")), -1);
  EXPECT_EQ(hits(s, line_of("ni_return")), 1);
  const Report report = build_report(s);
  const auto fn = std::find_if(report.functions.begin(), report.functions.end(), [](const FunctionReport& f) {
    return f.function.find("not_instrumented") != f.function.npos;
  });
  ASSERT_NE(fn, report.functions.end());
  const std::vector<NotInstrumented> want = {{line_of("excluded"), "excluded"},
                                             {line_of("macro"), "written by a macro"}};
  EXPECT_EQ(fn->not_instrumented, want);
  EXPECT_NE(render_text(report).find("Not instrumented (their time counts on the line timed before them): line 87 "
                                     "(excluded), line 88 (written by a macro)"),
            std::string::npos);
  const kprof::LinesSection section = to_section(report);
  ASSERT_EQ(section.functions.size(), 1u);
  EXPECT_EQ(section.functions[0].not_instrumented.size(), 2u);
  EXPECT_EQ(section.functions[0].not_instrumented[1].why, "written by a macro");
}

// A function without such lines lists none (switch_cases is marked at every statement).
TEST(AutomaticMarkers, AFullyMarkedFunctionListsNoUnmarkedLine) {
  const Report report = build_report(profile([] { switch_cases(0); }));
  ASSERT_EQ(report.functions.size(), 1u);
  EXPECT_TRUE(report.functions[0].not_instrumented.empty());
  EXPECT_EQ(render_text(report).find("Not instrumented"), std::string::npos);
}

}  // namespace
