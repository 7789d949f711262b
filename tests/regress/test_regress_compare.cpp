// The gate on Run documents built here: each injected change must be flagged and explained, and
// unchanged benchmarks must stay quiet. The callgrind and memory sections are the typed sections
// `kprof callgrind` and `kprof mem` write (kprof/sections.h).
#include <gtest/gtest.h>

#include <cmath>

#include "kprof/errors.h"
#include "kprof/regress/compare.h"
#include "kprof/regress/render.h"
#include "kprof/reports/callgrind_writer.h"
#include "kprof/reports/markup.h"
#include "kprof/sections.h"
#include "support/process.h"

namespace kprof::regress {
namespace {

using nlohmann::json;

Result result(const std::string& variant, double median_ns, double spread = 0.01) {
  Result r;
  r.family = "probe";
  r.variant = variant;
  r.dtype = DType::f64;
  r.size = Size({{"n", 32768}});
  r.status = Status::ok;
  r.code_path = "scalar, baseline x86-64";
  r.max_rel_error = 1e-16;
  r.tolerance = 1e-10;
  for (int i = 0; i < 11; ++i)
    r.time.round_ns.push_back(median_ns * (1.0 + spread * std::sin(1.7 * i + variant.size())));
  r.time.median_ns = median_ns;
  return r;
}

Run run_with(std::vector<Result> results) {
  Run run;
  run.environment.fingerprint = "f00d";
  run.environment.cpu_model = "Test CPU";
  run.git_commit = "0123456789abcdef";
  run.results = std::move(results);
  return run;
}

Subject subject_of(const Result& r) { return Subject::kernel(r.family, r.variant, r.dtype, r.size); }

// A callgrind section entry as `kprof callgrind --iterations 10` writes it.
CallgrindSection callgrind(const Result& r, std::int64_t ir, std::int64_t hot_ir) {
  CallgrindEntry e;
  e.subject = subject_of(r);
  e.iterations = 10;
  e.events = {{"Ir", ir * 10}};
  e.per_call = {{"Ir", static_cast<double>(ir)}};
  e.file = "/tmp/callgrind.out.1";
  e.top_functions = {
      {"sum_of_squares<double>", "probe_family.cpp", "probe", {{"Ir", hot_ir * 10}}, {{"Ir", hot_ir * 10}}},
      {"kprof::run_region", "runner.cpp", "kprof", {{"Ir", 1000}}, {{"Ir", ir * 10}}}};
  return {{e}};
}

// A memory section entry as `kprof mem --iterations 10` writes it.
MemorySection memory(const Result& r, std::uint64_t peak, std::uint64_t per_call_bytes, std::uint64_t per_call_allocs,
                     std::uint64_t site_bytes) {
  MemoryEntry e;
  e.subject = subject_of(r);
  e.iterations = 10;
  e.peak_bytes = peak;
  e.bytes_allocated = per_call_bytes * 10;
  e.allocations = per_call_allocs * 10;
  e.per_call = {static_cast<double>(per_call_bytes), static_cast<double>(per_call_allocs), 0};
  if (site_bytes > 0)
    e.top_sites.push_back({{"probe memory variant", "probe_family.cpp", 97, "probe"}, site_bytes, 10, 0, 0, 0});
  return {{e}};
}

const Finding* finding(const Comparison& c, const std::string& variant, Metric m) {
  for (const auto& b : c.benchmarks)
    if (b.variant == variant || b.key.find("/" + variant + "/") != std::string::npos)
      for (const auto& f : b.findings)
        if (f.metric == m) return &f;
  return nullptr;
}

TEST(Compare, UnchangedRunsRaiseNothing) {
  kprof::Run a = run_with({result("steady", 1000), result("time", 2000)});
  Comparison c = compare_runs(a, a, {}, "a.json", "a.json");
  EXPECT_EQ(c.regressions(), 0);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(finding(c, "time", Metric::time)->verdict, Verdict::unchanged);
}

TEST(Compare, TenPercentSlowerIsARegressionWithItsStatistics) {
  kprof::Run base = run_with({result("steady", 1000), result("time", 2000)});
  kprof::Run cur = run_with({result("steady", 1000), result("time", 2200)});
  CompareOptions o;
  o.time_threshold_pct = 5.0;  // below the default: a 10% change is the default threshold itself
  o.time_threshold_given = true;
  Comparison c = compare_runs(base, cur, o, "base.json", "cur.json");
  EXPECT_EQ(c.regressions(), 1);
  const Finding* f = finding(c, "time", Metric::time);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::regression);
  EXPECT_NEAR(f->change_pct, 10.0, 1.5);
  ASSERT_TRUE(f->p_value.has_value());
  EXPECT_LT(*f->p_value, 0.01);
  EXPECT_NE(f->explanation.find("95% CI"), std::string::npos) << f->explanation;
  EXPECT_NE(f->explanation.find("5.0% threshold"), std::string::npos) << f->explanation;
  EXPECT_EQ(finding(c, "steady", Metric::time)->verdict, Verdict::unchanged);
}

// The default wall-time threshold is the noise floor measured on this machine (docs/REGRESS.md):
// a significant +5% is inside it unless the user asks for a stricter threshold.
TEST(Compare, FivePercentIsWithinTheDefaultThreshold) {
  kprof::Run base = run_with({result("time", 2000)});
  kprof::Run cur = run_with({result("time", 2100)});
  Comparison c = compare_runs(base, cur, {}, "base.json", "cur.json");
  const Finding* f = finding(c, "time", Metric::time);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::unchanged) << f->explanation;
  EXPECT_NE(f->explanation.find("within the 10.0% threshold"), std::string::npos) << f->explanation;
  EXPECT_EQ(c.regressions(), 0);
}

TEST(Compare, NoiseProfileRaisesTheThresholdAndExplicitThresholdsNeverGoBelowIt) {
  kprof::Run base = run_with({result("time", 2000)});
  kprof::Run cur = run_with({result("time", 2200)});
  NoiseProfile noise;
  noise.benchmarks[base.results[0].key()].time_changes_pct = {12.0, -11.0, 3.0};
  finalize(noise);
  CompareOptions o;
  o.noise = &noise;
  o.time_threshold_pct = 2.0;
  o.time_threshold_given = true;
  Comparison c = compare_runs(base, cur, o, "b", "c");
  const Finding* f = finding(c, "time", Metric::time);
  EXPECT_EQ(f->verdict, Verdict::unchanged);
  EXPECT_DOUBLE_EQ(f->threshold_pct, 12.0);
  EXPECT_NE(f->threshold_source.find("noise calibration"), std::string::npos);
}

TEST(Compare, ThreePercentMoreInstructionsIsFlaggedWithTheFunctionThatGrew) {
  kprof::Run base = run_with({result("instructions", 1000)});
  kprof::Run cur = base;
  base.set_section(callgrind(base.results[0], 100000, 98000));
  cur.set_section(callgrind(base.results[0], 103000, 101000));
  Comparison c = compare_runs(base, cur, {}, "b", "c");
  const Finding* f = finding(c, "instructions", Metric::instructions);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::regression);
  EXPECT_NEAR(f->change_pct, 3.0, 1e-9);
  ASSERT_FALSE(f->details.empty());
  EXPECT_NE(f->details[0].find("sum_of_squares<double> (probe_family.cpp)"), std::string::npos) << f->details[0];
  EXPECT_NE(f->details[0].find("+3000"), std::string::npos) << f->details[0];
  // Time did not move: the disagreement is spelled out.
  bool note = false;
  for (const auto& b : c.benchmarks)
    for (const auto& n : b.notes) note |= n.find("wall time flat") != std::string::npos;
  EXPECT_TRUE(note);
}

// With the callgrind.out files at hand, the explanation comes from kprof's callgrind diff: the
// functions and the source lines that grew, per call.
TEST(Compare, InstructionRegressionIsExplainedByTheCallgrindDiffOfTheTwoFiles) {
  const std::string dir = test::fresh_dir("regress_callgrind_diff");
  auto profile = [](std::int64_t hot_ir) {
    CallgrindProfile p;
    p.events = {"Ir"};
    p.function("probe", "probe_family.cpp", "sum_of_squares<double>").add_cost(48, {hot_ir * 10});
    p.function("kprof", "runner.cpp", "kprof::run_region").add_cost(200, {20000});
    return p;
  };
  write_callgrind_file(dir + "/base.out", profile(98000));
  write_callgrind_file(dir + "/cur.out", profile(101000));
  kprof::Run base = run_with({result("instructions", 1000)});
  kprof::Run cur = base;
  CallgrindSection b = callgrind(base.results[0], 100000, 98000), c = callgrind(base.results[0], 103000, 101000);
  b.results[0].file = dir + "/base.out";
  c.results[0].file = dir + "/cur.out";
  base.set_section(b);
  cur.set_section(c);
  Comparison cmp = compare_runs(base, cur, {}, "b", "c");
  const Finding* f = finding(cmp, "instructions", Metric::instructions);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->details.size(), 2u);
  EXPECT_EQ(f->details[0], "function sum_of_squares<double> (probe_family.cpp): 98000 -> 101000 Ir per call (+3000)");
  EXPECT_EQ(f->details[1], "line probe_family.cpp:48 in sum_of_squares<double>: 98000 -> 101000 Ir per call (+3000)");
}

TEST(Compare, HalfAPercentOfInstructionsIsTheDefaultThreshold) {
  kprof::Run base = run_with({result("instructions", 1000)});
  kprof::Run cur = base;
  base.set_section(callgrind(base.results[0], 100000, 98000));
  cur.set_section(callgrind(base.results[0], 100400, 98400));
  EXPECT_EQ(compare_runs(base, cur, {}, "b", "c").regressions(), 0);
  cur.set_section(callgrind(base.results[0], 100600, 98600));
  EXPECT_EQ(compare_runs(base, cur, {}, "b", "c").regressions(), 1);
}

TEST(Compare, OneMegabyteMorePerCallIsFlaggedWithTheAllocationSite) {
  kprof::Run base = run_with({result("memory", 1000)});
  kprof::Run cur = base;
  base.set_section(memory(base.results[0], 4096, 0, 0, 0));
  cur.set_section(memory(base.results[0], 4096 + 1048576, 1048576, 1, 10485760));
  Comparison c = compare_runs(base, cur, {}, "b", "c");
  const Finding* peak = finding(c, "memory", Metric::peak_memory);
  const Finding* bytes = finding(c, "memory", Metric::allocated_bytes);
  const Finding* allocs = finding(c, "memory", Metric::allocations);
  ASSERT_TRUE(peak && bytes && allocs);
  EXPECT_EQ(peak->verdict, Verdict::regression);
  EXPECT_EQ(bytes->verdict, Verdict::regression);
  EXPECT_EQ(allocs->verdict, Verdict::regression);
  EXPECT_NE(bytes->explanation.find("+1.00 MiB"), std::string::npos) << bytes->explanation;
  ASSERT_FALSE(bytes->details.empty());
  EXPECT_NE(bytes->details[0].find("probe memory variant (probe_family.cpp:97)"), std::string::npos);
  EXPECT_NE(bytes->details[0].find("new site"), std::string::npos);
}

TEST(Compare, ErrorBeyondTheToleranceIsARegression) {
  kprof::Run base = run_with({result("error", 1000)});
  kprof::Run cur = base;
  cur.results[0].status = Status::wrong;
  cur.results[0].max_rel_error = 1e-6;
  cur.results[0].time = {};
  Comparison c = compare_runs(base, cur, {}, "b", "c");
  const Finding* f = finding(c, "error", Metric::correctness);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict, Verdict::regression);
  EXPECT_NE(f->explanation.find("exceeds the family's f64 tolerance 1e-10"), std::string::npos) << f->explanation;
}

TEST(Compare, ANewBenchmarkIsReportedNotAnError) {
  kprof::Run base = run_with({result("steady", 1000)});
  kprof::Run cur = run_with({result("steady", 1000), result("time", 2000)});
  Comparison c = compare_runs(base, cur, {}, "b", "c");
  EXPECT_EQ(c.regressions(), 0);
  ASSERT_EQ(c.benchmarks.size(), 2u);
  EXPECT_TRUE(c.benchmarks[1].is_new);
  EXPECT_NE(render_text(c).find("new"), std::string::npos);
  Comparison back = compare_runs(cur, base, {}, "c", "b");
  ASSERT_EQ(back.removed.size(), 1u);
}

TEST(Compare, MismatchedFingerprintsWarnOrRefuse) {
  kprof::Run base = run_with({result("steady", 1000)});
  kprof::Run cur = base;
  cur.environment.fingerprint = "beef";
  cur.environment.cpu_model = "Other CPU";
  Comparison c = compare_runs(base, cur, {}, "b", "c");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("cpu 'Test CPU' vs 'Other CPU'"), std::string::npos) << c.warnings[0];
  EXPECT_NE(render_annotations(c).find("::warning"), std::string::npos);
  CompareOptions refuse;
  refuse.refuse_mismatch = true;
  EXPECT_THROW(compare_runs(base, cur, refuse, "b", "c"), UsageError);
}

TEST(Compare, InstructionsFlatButTimeWorseSaysMemoryOrVectorWidth) {
  kprof::Run base = run_with({result("time", 2000)});
  kprof::Run cur = run_with({result("time", 2400)});
  cur.results[0].code_path = "AVX2 (256-bit)";
  base.set_section(callgrind(base.results[0], 100000, 98000));
  cur.set_section(callgrind(base.results[0], 100000, 98000));
  Comparison c = compare_runs(base, cur, {}, "b", "c");
  std::string notes;
  for (const auto& n : c.benchmarks[0].notes) notes += n + "\n";
  EXPECT_NE(notes.find("instructions flat"), std::string::npos) << notes;
  EXPECT_NE(notes.find("code path changed"), std::string::npos) << notes;
}

TEST(Merge, CombinesTimingAndProfilerSectionsOfOneBuild) {
  kprof::Run timing = run_with({result("steady", 1000)});
  kprof::Run cg = run_with({});
  cg.set_section(callgrind(timing.results[0], 1, 1));
  kprof::Run merged = merge_runs({timing, cg}, {"run.json", "callgrind.json"});
  EXPECT_EQ(merged.results.size(), 1u);
  EXPECT_EQ(merged.section<CallgrindSection>(), cg.section<CallgrindSection>());
  cg.environment.fingerprint = "other";
  EXPECT_THROW(merge_runs({timing, cg}, {"run.json", "callgrind.json"}), UsageError);
}

TEST(Render, EveryFormatCarriesTheExplanation) {
  kprof::Run base = run_with({result("steady", 1000), result("time", 2000)});
  kprof::Run cur = run_with({result("steady", 1000), result("time", 2200)});
  Comparison c = compare_runs(base, cur, {}, "base.json", "cur.json");
  const std::string ann = render_annotations(c);
  EXPECT_EQ(ann.rfind("::error title=kprof: time regression in probe/time/f64/n=32768::wall time", 0), 0u) << ann;
  EXPECT_EQ(std::count(ann.begin(), ann.end(), '\n'), 1);  // one line per alert: newlines are escaped
  const std::string md = render_markdown(c);
  EXPECT_NE(md.find("## kprof regression gate: ❌ 1 regression"), std::string::npos) << md;
  EXPECT_NE(md.find("- **probe/time/f64/n=32768** — time: wall time"), std::string::npos) << md;
  EXPECT_NE(md.find("| benchmark"), std::string::npos);
  const std::string xml = render_junit(c);
  EXPECT_NE(xml.find("tests=\"4\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"wall time"), std::string::npos) << xml;
  EXPECT_EQ(to_json(c)["regressions"], 1);
  EXPECT_EQ(escape_annotation("a%b\nc"), "a%25b%0Ac");
  EXPECT_EQ(escape_markup("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
}

}  // namespace
}  // namespace kprof::regress
