// The callgrind-format reader: the specification's features on small texts, corrupt files, and
// real callgrind files whose totals and per-function costs must equal callgrind_annotate's.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "callgrind_test_util.h"
#include "kprof/errors.h"
#include "kprof/reports/callgrind_diff.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/callgrind_writer.h"
#include "support/process.h"

namespace kprof {
namespace {

const CallgrindFunction& find_fn(const CallgrindProfile& p, const std::string& name) {
  for (const auto& f : p.functions)
    if (f.name == name) return f;
  throw std::runtime_error("no function " + name);
}

std::string error_of(const std::string& text) {
  try {
    read_callgrind(text, "t.out");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CallgrindReader, CompressedNamesSubpositionsAndInclusiveCalls) {
  // Adapted from the specification's examples: compressed names, relative and '*' subpositions,
  // hex addresses, two events, a call with its inclusive cost, an inlined file.
  const char* text = R"(# callgrind format
version: 1
creator: hand
positions: instr line
events: Ir Dr
summary: 1131 23

ob=(1) /bin/a
fl=(1) file1.c
fn=(1) main
0x10 16 20 2
+2 * 3 1
cfl=(2) file2.c
cfn=(2) func1
calls=1 0x40 50
0x14 16 400 10
cfn=(3) func2
calls=3 0x80 20
+4 17 400 8
fl=(2)
fn=(2)
0x40 51 100 5
+8 +2 300 5
fi=(3) inl.h
-4 -40 8 1
fe=(2)
* 60 0 0
fn=(3)
0x80 20 700 9
)";
  CallgrindProfile p = read_callgrind(text);
  ASSERT_EQ(p.events, (std::vector<std::string>{"Ir", "Dr"}));
  EXPECT_TRUE(p.instr_positions);
  const auto& main_fn = find_fn(p, "main");
  ASSERT_EQ(main_fn.costs.size(), 2u);
  EXPECT_EQ(main_fn.costs[1].address, 0x12u);
  EXPECT_EQ(main_fn.costs[1].line, 16);
  ASSERT_EQ(main_fn.calls.size(), 2u);
  EXPECT_EQ(main_fn.calls[0].callee_name, "func1");
  EXPECT_EQ(main_fn.calls[0].callee_file, "file2.c");
  EXPECT_EQ(main_fn.calls[0].target_address, 0x40u);
  EXPECT_EQ(main_fn.calls[1].callee_file, "file1.c") << "cfi= applies to one call only";
  EXPECT_EQ(main_fn.calls[1].address, 0x18u);
  EXPECT_EQ(main_fn.calls[1].count, 3);
  EXPECT_EQ(main_fn.inclusive_cost(2), (std::vector<std::int64_t>{823, 21}));

  const auto& func1 = find_fn(p, "func1");
  EXPECT_EQ(func1.file(), "file2.c");
  ASSERT_EQ(func1.costs.size(), 4u);
  EXPECT_EQ(func1.costs[1].line, 53);
  EXPECT_EQ(func1.costs[2].address, 0x44u);
  EXPECT_EQ(func1.files[func1.costs[2].file], "inl.h");
  EXPECT_EQ(func1.costs[2].line, 13);
  EXPECT_EQ(func1.costs[3].address, 0x44u);
  EXPECT_EQ(func1.files[func1.costs[3].file], "file2.c");
  EXPECT_EQ(find_fn(p, "func2").file(), "file2.c") << "fn=(3) after fl=(2) is in file2.c";
  EXPECT_EQ(p.totals(), (std::vector<std::int64_t>{1131, 23}));

  Hotspots h = compute_hotspots(p);
  ASSERT_FALSE(h.functions.empty());
  EXPECT_EQ(h.functions[0].name, "func2");  // 700 self
  for (const auto& f : h.functions) {
    if (f.name == "main") {
      EXPECT_EQ(f.inclusive[0], 823);  // not called: self + calls
    }
    if (f.name == "func2") {
      EXPECT_EQ(f.inclusive[0], 400);  // called: the calls' inclusive cost
    }
  }
}

TEST(CallgrindReader, MultiplePartsMergeAndShortCostLinesPad) {
  const char* text = R"(events: A B
part: 1
fl=x.c
fn=f
1 5
2 1 1
totals: 6 1
part: 2
fl=x.c
fn=f
1 10 2
totals: 10 2
)";
  CallgrindProfile p = read_callgrind(text);
  EXPECT_EQ(p.parts, 2);
  ASSERT_EQ(p.functions.size(), 1u);
  EXPECT_EQ(p.functions[0].costs[0].costs, (std::vector<std::int64_t>{5, 0}));
  EXPECT_EQ(p.totals(), (std::vector<std::int64_t>{16, 3}));
  // callgrind --instr-atstart=no writes "summary: 0": the totals line counts, as in callgrind_annotate.
  EXPECT_EQ(read_callgrind("events: Ir\nsummary: 0\nfl=a.c\nfn=f\n1 5\ntotals: 5\n").stated_totals(),
            (std::vector<std::int64_t>{5}));
}

TEST(CallgrindReader, CorruptFilesNameTheLineAndWhatWasExpected) {
  EXPECT_EQ(error_of("events: Ir\nfl=a.c\nfn=f\n3 x\n"), "t.out:4: expected a cost (a number), got 'x'");
  EXPECT_EQ(error_of("events: Ir\nfl=a.c\n3 4\n"), "t.out:3: expected 'fn=' before this cost line, got '3 4'");
  EXPECT_EQ(error_of("fl=a.c\nfn=f\n3 4\n"), "t.out:3: expected 'events:' before the first cost line, got '3 4'");
  EXPECT_EQ(error_of("events: Ir\nfl=(4)\n"), "t.out:2: compressed name (4) is used before it is defined");
  EXPECT_EQ(error_of("events: Ir\nfl=a.c\nfn=f\n3 4 5\n"),
            "t.out:4: expected at most 1 costs (events: Ir), got '3 4 5'");
  EXPECT_EQ(error_of("positions: instr line\nevents: Ir\nfl=a.c\nfn=f\n0x40\n"),
            "t.out:5: expected a subposition (line), got '0x40'");
  EXPECT_EQ(error_of("events: Ir\nfl=a.c\nfn=f\ncfn=g\ncalls=2 9\n"),
            "t.out:5: expected the call's cost line after 'calls=', got the end of the file");
  EXPECT_EQ(error_of("events: Ir\nfl=a.c\nfn=f\ncfn=g\ncalls=2 9\nfn=h\n"),
            "t.out:6: expected the call's cost line (position and inclusive costs) after 'calls=', got 'fn=h'");
  EXPECT_EQ(error_of("events: Ir\nfl=a.c\nfn=f\nbogus line\n"),
            "t.out:4: expected 'key: value', 'key=name' or a cost line, got 'bogus line'");
  // A file cut short: its totals no longer match its cost lines.
  EXPECT_EQ(error_of("events: Ir\nsummary: 10\nfl=a.c\nfn=f\n3 4\n"),
            "t.out:2: the file's totals (10) differ from the sum of its cost lines (4): the file is truncated or "
            "corrupt");
  EXPECT_EQ(error_of("events: Ir\ntotals: 5\nfl=a.c\nfn=f\n3 4\n"),
            "t.out:2: the file's totals (5) differ from the sum of its cost lines (4): the file is truncated or "
            "corrupt");
  EXPECT_EQ(error_of(""), "t.out:0: expected an 'events:' line, got the end of the file");
  EXPECT_THROW(read_callgrind_file("/nonexistent/callgrind.out"), UsageError);
}

TEST(CallgrindDiffTest, DifferentEventsAreNamed) {
  CallgrindProfile a = read_callgrind("events: Ir Dr\nfl=a.c\nfn=f\n1 2 3\n");
  CallgrindProfile b = read_callgrind("events: Ir\nfl=a.c\nfn=f\n1 2\n");
  try {
    diff_callgrind(a, b);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("only in the first: Dr"), std::string::npos) << e.what();
  }
  CallgrindProfile c = read_callgrind("events: Ir\nfl=a.c\nfn=f\n1 5\n2 1\nfn=g\n7 1\n");
  CallgrindDiff d = diff_callgrind(b, c);
  EXPECT_FALSE(d.zero());
  ASSERT_FALSE(d.functions.empty());
  EXPECT_EQ(d.functions[0].name, "f");
  EXPECT_EQ(d.functions[0].b[0] - d.functions[0].a[0], 4);
  CallgrindProfile delta = diff_profile(d);
  EXPECT_EQ(delta.totals(), (std::vector<std::int64_t>{5}));
  EXPECT_TRUE(diff_callgrind(c, c).zero());
}

// --- real callgrind files ---------------------------------------------------------------------

struct RealCase {
  const char* name;
  const char* options;
  std::size_t events;
};

class RealFiles : public ::testing::TestWithParam<RealCase> {};

TEST_P(RealFiles, TotalsAndFunctionsEqualCallgrindAnnotate) {
  const RealCase& c = GetParam();
  auto dir = test::fresh_dir(std::string("callgrind_reader_") + c.name);
  std::string out = dir + "/callgrind.out";
  ASSERT_TRUE(test::run_callgrind(c.options, out, KPROF_CG_WORKLOAD " 3000"));
  CallgrindProfile p = read_callgrind_file(out);
  ASSERT_EQ(p.events.size(), c.events);

  test::AnnotateTable ref = test::annotate(out, c.events);
  EXPECT_EQ(p.stated_totals(), ref.totals);
  EXPECT_EQ(compute_hotspots(p).totals, ref.totals);
  std::map<std::string, std::vector<std::int64_t>> mine;
  for (const auto& f : p.functions) {
    auto& sum = mine[f.name];
    sum.resize(c.events, 0);
    auto self = f.self_cost(c.events);
    for (std::size_t i = 0; i < c.events; ++i) sum[i] += self[i];
  }
  std::erase_if(mine, [&](const auto& kv) {
    for (auto v : kv.second)
      if (v != 0) return false;
    return true;
  });
  EXPECT_EQ(mine, ref.functions);
  EXPECT_TRUE(
      mine.count("dot(std::vector<double, std::allocator<double> > const&, std::vector<double, "
                 "std::allocator<double> > const&)"));

  // Inclusive costs of called functions equal annotate's --inclusive=yes.
  test::AnnotateTable inc = test::annotate(out, c.events, true);
  Hotspots h = compute_hotspots(p);
  std::map<std::string, std::vector<std::int64_t>> called;
  for (const auto& f : h.functions)
    if (f.calls > 0 && f.object.find("kprof_cg_workload") != std::string::npos) called[f.name] = f.inclusive;
  ASSERT_FALSE(called.empty());
  for (const auto& [name, cost] : called) EXPECT_EQ(cost, inc.functions[name]) << name;

  // Written back by kprof's writer, the file keeps its totals for callgrind_annotate.
  std::string copy = dir + "/callgrind.out.copy";
  write_callgrind_file(copy, p);
  EXPECT_EQ(test::annotate(copy, c.events).totals, ref.totals);
  EXPECT_EQ(read_callgrind_file(copy).totals(), p.totals());
  EXPECT_TRUE(diff_callgrind(p, read_callgrind_file(copy)).zero());
}

INSTANTIATE_TEST_SUITE_P(
    Callgrind, RealFiles,
    ::testing::Values(RealCase{"instr", "--dump-instr=yes", 1}, RealCase{"lines", "--dump-line=yes", 1},
                      RealCase{"uncompressed", "--dump-instr=yes --compress-strings=no --compress-pos=no", 1},
                      RealCase{"cache", "--dump-instr=yes --cache-sim=yes --branch-sim=yes", 13}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace kprof
