// From a snapshot to line_profiler's table: source text, function totals, ranking, golden layout,
// a moved or changed source file, and the JSON section.
#include <gtest/gtest.h>

#include "kprof/atomic_file.h"
#include "kprof/lines/report.h"
#include "lines_test_util.h"
#include "marked_code.h"
#include "support/golden.h"

namespace kprof::lines::test {
namespace {

const FunctionReport* find(const Report& r, const std::string& name) {
  for (const FunctionReport& f : r.functions)
    if (f.function == name) return &f;
  return nullptr;
}

TEST(LinesReport, TableHasEveryLineOfTheFunctionWithItsText) {
  Report r = build_report(profile([] { loop(100); }));
  const FunctionReport* f = find(r, "loop");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->source_available) << f->source_note;
  EXPECT_EQ(f->calls, 1u);
  // From the signature to the closing brace, unmarked lines included.
  ASSERT_FALSE(f->rows.empty());
  EXPECT_EQ(f->rows.front().line, line_of("loop_function") - 1);
  EXPECT_NE(f->rows.front().text.find("std::int64_t loop(int n) {"), std::string::npos);
  EXPECT_EQ(f->rows.back().text, "}");
  double percent = 0;
  for (const LineRow& row : f->rows) {
    if (row.marked && row.marker_line == line_of("loop_n")) {
      EXPECT_EQ(row.line, line_of("loop_n") + 1);  // the marker is alone on its line: the row is the statement
      EXPECT_EQ(row.hits, 100u);
      EXPECT_NE(row.text.find("sum += i;"), std::string::npos);
    }
    if (row.marked) percent += 100.0 * row.ns / f->total_ns;
  }
  EXPECT_NEAR(percent, 100.0, 1e-6);
}

TEST(LinesReport, GoldenTable) {
  Report r = build_report(profile([] { loop(1000); }));
  std::string text = render_text(r);
  std::string expected = read_file(std::string(KPROF_SOURCE_DIR) + "/tests/lines/golden/loop_table.txt");
  EXPECT_EQ(kprof::test::match_golden(expected, text), "") << text;
}

TEST(LinesReport, MarkerNeverReachedIsHiddenLikeTheOthers) {
  Report r = build_report(profile([] { early_return(-1); }));  // returns before @early_late
  const FunctionReport* f = find(r, "early_return");
  ASSERT_NE(f, nullptr);
  bool statement_shown = false;
  for (const LineRow& row : f->rows) {
    EXPECT_NE(row.line, line_of("early_late")) << row.text;  // the marker's own line
    if (row.line == line_of("early_late") + 1) {
      statement_shown = true;
      EXPECT_FALSE(row.marked);
      EXPECT_NE(row.text.find("return x + 1;"), std::string::npos);
    }
  }
  EXPECT_TRUE(statement_shown);
}

TEST(LinesReport, LinesAreRankedByTime) {
  Report r = build_report(profile([] { busy_line(2'000'000); }));
  ASSERT_FALSE(r.ranked.empty());
  EXPECT_EQ(r.ranked.front().line, line_of("busy_spin") + 1);  // the statement below the marker
  for (std::size_t i = 1; i < r.ranked.size(); ++i) EXPECT_GE(r.ranked[i - 1].ns, r.ranked[i].ns);
}

// Sites whose file is gone or changed: the table comes without line text, and says why.
constexpr Location kMovedFunction{"/nonexistent/kprof/moved_kernel.cpp", "moved", 10, true};
constexpr Location kMovedHeader{"/nonexistent/kprof/moved_kernel.cpp", "moved", 10, false};
constexpr Location kMovedLine{"/nonexistent/kprof/moved_kernel.cpp", "moved", 12, false};

Snapshot synthetic(const Location& fn, const Location& header, const Location& line) {
  Snapshot s;
  s.clock.source = "tsc";
  s.clock.ticks_per_ns = 1;
  s.sites.push_back({&fn, Cell{3000, 1, 1, 0}});
  s.sites.push_back({&header, Cell{1000, 1, 1, 0}});
  s.sites.push_back({&line, Cell{2000, 4, 4, 0}});
  return s;
}

TEST(LinesReport, MovedSourceFileGivesTheTableWithoutTextAndSaysWhy) {
  Report r = build_report(synthetic(kMovedFunction, kMovedHeader, kMovedLine));
  const FunctionReport* f = find(r, "moved");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->source_available);
  EXPECT_NE(f->source_note.find("not found"), std::string::npos);
  ASSERT_EQ(f->rows.size(), 2u);
  EXPECT_EQ(f->rows[1].hits, 4u);
  EXPECT_EQ(f->rows[1].ns, 2000.0);
  std::string text = render_text(r);
  EXPECT_NE(text.find("Note: source file /nonexistent/kprof/moved_kernel.cpp not found"), std::string::npos) << text;
}

// This very file exists, but its lines 1 and 3 hold no markers: a source changed since the build.
constexpr Location kChangedFunction{KPROF_SOURCE_DIR "/tests/lines/test_lines_report.cpp", "changed", 1, true};
constexpr Location kChangedHeader{KPROF_SOURCE_DIR "/tests/lines/test_lines_report.cpp", "changed", 1, false};
constexpr Location kChangedLine{KPROF_SOURCE_DIR "/tests/lines/test_lines_report.cpp", "changed", 3, false};

TEST(LinesReport, ChangedSourceFileGivesTheTableWithoutTextAndSaysWhy) {
  Report r = build_report(synthetic(kChangedFunction, kChangedHeader, kChangedLine));
  const FunctionReport* f = find(r, "changed");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->source_available);
  EXPECT_NE(f->source_note.find("changed since the build"), std::string::npos);
  for (const LineRow& row : f->rows) EXPECT_TRUE(row.text.empty());
}

TEST(LinesReport, Section) {
  Report r = build_report(profile([] { loop(10); }));
  LinesSection s = to_section(r);
  EXPECT_EQ(s.clock.source, r.clock.source);
  EXPECT_DOUBLE_EQ(s.clock.line_mark_ns, r.clock.line_mark_ns);
  EXPECT_DOUBLE_EQ(s.clock.repeat_mark_ns, r.clock.repeat_mark_ns);
  bool found = false;
  for (const auto& f : s.functions) {
    if (f.function != "loop") continue;
    found = true;
    EXPECT_EQ(f.calls, 1u);
    for (const auto& l : f.lines)
      if (l.marker_line == line_of("loop_3n")) EXPECT_EQ(l.hits, 30u);
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(s.ranked.empty());
}

TEST(LinesReport, MarkdownHasTheTable) {
  Report r = build_report(profile([] { loop(10); }));
  std::string md = render_markdown(r);
  EXPECT_NE(md.find("| Line # | Hits |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `    sum += i;` |"), std::string::npos) << md;
}

}  // namespace
}  // namespace kprof::lines::test
