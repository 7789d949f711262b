// Registry selection rules and runner behaviour: correctness before timing, ISA skip, failures.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "kprof/errors.h"
#include "kprof/job.h"
#include "kprof/registry.h"
#include "kprof/runner.h"
#include "test_family.h"

namespace kprof {
namespace {

std::string error_of(const std::vector<std::string>& filters) {
  try {
    select(filters);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

std::vector<std::string> selected_names(const std::vector<std::string>& filters) {
  std::vector<std::string> names;
  for (const auto& s : select(filters))
    for (auto v : s.variants) names.push_back(s.family->name + "/" + s.family->variants[v].spec.name);
  return names;
}

TEST(Registry, SelectsFamiliesVariantsAndGlobs) {
  EXPECT_EQ(selected_names({"testfam"}),
            (std::vector<std::string>{"testfam/scalar", "testfam/wrong", "testfam/needs-avx512", "testfam/throws"}));
  EXPECT_EQ(selected_names({"testfam/w*"}), (std::vector<std::string>{"testfam/wrong"}));
  EXPECT_EQ(selected_names({"testfam/throws,scalar"}), (std::vector<std::string>{"testfam/scalar", "testfam/throws"}));
  EXPECT_EQ(selected_names({"testfam/*s*"}),
            (std::vector<std::string>{"testfam/scalar", "testfam/needs-avx512", "testfam/throws"}));
}

TEST(Registry, UnknownNamesListWhatExists) {
  std::string family_error = error_of({"nosuch"});
  EXPECT_NE(family_error.find("unknown kernel family 'nosuch'"), std::string::npos) << family_error;
  EXPECT_NE(family_error.find("testfam"), std::string::npos) << family_error;
  std::string variant_error = error_of({"testfam/nosuch"});
  EXPECT_NE(variant_error.find("unknown variant 'nosuch'"), std::string::npos) << variant_error;
  EXPECT_NE(variant_error.find("scalar, wrong, needs-avx512, throws"), std::string::npos) << variant_error;
}

TEST(Registry, SelectOneWantsExactlyOneVariant) {
  VariantRef ref = select_one("testfam/wrong");
  EXPECT_EQ(ref.family->variants[ref.variant].spec.name, "wrong");
  EXPECT_THROW(select_one("testfam"), UsageError);
  EXPECT_THROW(select_one("testfam/*"), UsageError);
  EXPECT_THROW(select_one("testfam/a,b"), UsageError);
}

TEST(Job, ResolvesOnceWithTheFamilysFirstDefaultSize) {
  const Job given = resolve_job("testfam/scalar", "77", DType::f32, 2);
  EXPECT_EQ(given.name(), "testfam/scalar");
  EXPECT_EQ(given.size.str(), "n=77");
  EXPECT_EQ(given.threads, 2);
  EXPECT_EQ(given.key(), "testfam/scalar/f32/n=77/threads=2");  // a thread sweep keys every point apart
  const FamilyRecord& fam = *registry().find("testfam");
  const Job fallback = resolve_job("testfam/scalar", "", DType::f64, 1);
  EXPECT_EQ(fallback.size, sizes_for(fam, {}).front());
  EXPECT_EQ(size_for(fam, ""), sizes_for(fam, {}).front());
  EXPECT_THROW(resolve_job("testfam/scalar", "n=0", DType::f64, 1), UsageError);
  EXPECT_THROW(resolve_job("testfam/scalar", "", DType::f64, 0), UsageError);
  EXPECT_THROW(resolve_job("testfam", "", DType::f64, 1), UsageError);  // one variant, not a family
}

TEST(Job, ArgumentsRoundTripForChildProcesses) {
  const Job job = resolve_job("testfam/wrong", "123", DType::f32, 3);
  const std::vector<std::string> args = job.to_args();
  EXPECT_EQ(args, (std::vector<std::string>{"testfam/wrong", "-s", "n=123", "-t", "f32", "--threads", "3"}));
  const Job back = Job::from_args(args);
  EXPECT_EQ(back.target.family, job.target.family);
  EXPECT_EQ(back.target.variant, job.target.variant);
  EXPECT_EQ(back.size, job.size);
  EXPECT_EQ(back.dtype, job.dtype);
  EXPECT_EQ(back.threads, job.threads);
  EXPECT_EQ(back.key(), job.key());
  EXPECT_EQ(Job::from_args({"testfam/scalar"}).threads, 1);
  const Job one_thread = resolve_job("testfam/scalar", "5", DType::f64, 1);
  EXPECT_EQ(one_thread.to_args(), (std::vector<std::string>{"testfam/scalar", "-s", "n=5", "-t", "f64"}));
  EXPECT_EQ(Job::from_args(one_thread.to_args()).key(), one_thread.key());
  EXPECT_THROW(Job::from_args({"testfam/scalar", "--threads", "0"}), UsageError);
  EXPECT_THROW(Job::from_args({"testfam/scalar", "-s"}), UsageError);
  EXPECT_THROW(Job::from_args({"testfam/scalar", "--iterations", "3"}), UsageError);
  EXPECT_THROW(Job::from_args({"-t", "f32"}), UsageError);
}

TEST(Job, PlanOrdersFamilySizeDtypeVariantAndRejectsBadSizesFirst) {
  const auto jobs = plan_jobs({"testfam/scalar,wrong"}, {"5", "9"}, {DType::f64, DType::f32}, 1);
  std::vector<std::string> keys;
  for (const Job& j : jobs) keys.push_back(j.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"testfam/scalar/f64/n=5", "testfam/wrong/f64/n=5", "testfam/scalar/f32/n=5",
                                            "testfam/wrong/f32/n=5", "testfam/scalar/f64/n=9", "testfam/wrong/f64/n=9",
                                            "testfam/scalar/f32/n=9", "testfam/wrong/f32/n=9"}));
  EXPECT_THROW(plan_jobs({"testfam"}, {"5", "q=1"}, {DType::f64}, 1), UsageError);
  const auto one = plan_jobs_at({"testfam/scalar,wrong"}, "", DType::f64, 1);
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[0].size, size_for(*registry().find("testfam"), ""));
  EXPECT_EQ(parse_dtypes("both"), (std::vector<DType>{DType::f64, DType::f32}));
  EXPECT_THROW(parse_dtypes("f16"), UsageError);
}

TEST(Registry, DuplicateFamilyIsAProgrammingError) { EXPECT_THROW(register_family("testfam"), std::logic_error); }

RunOptions quick() {
  RunOptions o;
  o.rounds = 3;
  o.min_round_seconds = 0.0005;
  o.warmup_seconds = 0.0005;
  return o;
}

const MachinePeak kPeak{10, 20, 5, "test", "", true};

TEST(Runner, ChecksBeforeTimingAndReportsWrongFailedAndSkipped) {
  setenv("KPROF_DISABLE_ISA", "avx512", 1);
  auto results = run_benchmarks(plan_jobs({"testfam"}, {"333"}, {DType::f64, DType::f32}, 1), quick(), kPeak, nullptr);
  unsetenv("KPROF_DISABLE_ISA");
  ASSERT_EQ(results.size(), 8u);  // 4 variants x 2 dtypes
  for (const Result& r : results) {
    SCOPED_TRACE(r.key());
    EXPECT_EQ(r.size.str(), "n=333");
    if (r.variant == "scalar") {
      EXPECT_EQ(r.status, Status::ok);
      EXPECT_EQ(r.max_rel_error, 0.0);
      EXPECT_EQ(r.time.round_ns.size(), 3u);
      EXPECT_GT(r.time.median_ns, 0);
      EXPECT_GT(r.gflops, 0);
      ASSERT_TRUE(r.speedup_vs_scalar.has_value());
      EXPECT_DOUBLE_EQ(*r.speedup_vs_scalar, 1.0);
    } else if (r.variant == "wrong") {
      EXPECT_EQ(r.status, Status::wrong);
      EXPECT_GT(r.max_rel_error, r.tolerance);
      EXPECT_TRUE(r.time.round_ns.empty()) << "a wrong variant must not be timed";
      EXPECT_NE(r.reason.find("exceeds tolerance"), std::string::npos);
    } else if (r.variant == "needs-avx512") {
      EXPECT_EQ(r.status, Status::skipped);
      EXPECT_NE(r.reason.find("masked by KPROF_DISABLE_ISA"), std::string::npos) << r.reason;
      EXPECT_TRUE(r.time.round_ns.empty());
    } else {
      EXPECT_EQ(r.status, Status::failed);
      EXPECT_NE(r.reason.find("out of cheese"), std::string::npos);
    }
  }
}

TEST(Runner, VariantNeedingMissingIsaNeverRunsInARegion) {
  setenv("KPROF_DISABLE_ISA", "avx2", 1);  // masking AVX2 masks AVX-512 too
  EXPECT_FALSE(cpu_supports(Isa::avx512));
  EXPECT_FALSE(cpu_supports(Isa::avx2));
  RegionHooks hooks;
  EXPECT_THROW(run_region(resolve_job("testfam/needs-avx512", "10", DType::f64, 1), RegionOptions{}, hooks),
               UsageError);
  unsetenv("KPROF_DISABLE_ISA");
}

TEST(Runner, RegionHooksSurroundOnlyTheRepeatedCalls) {
  struct Counting : RegionHooks {
    int enters = 0, exits = 0;
    std::chrono::steady_clock::time_point entered, exited;
    void on_enter() override {
      ++enters;
      entered = std::chrono::steady_clock::now();
    }
    void on_exit() override {
      exited = std::chrono::steady_clock::now();
      ++exits;
    }
  } hooks;
  RegionOptions options;
  options.iterations = 5;
  auto before = std::chrono::steady_clock::now();
  double seconds = run_region(resolve_job("testfam/scalar", "100", DType::f64, 1), options, hooks);
  std::chrono::duration<double> whole = std::chrono::steady_clock::now() - before;
  std::chrono::duration<double> inside = hooks.exited - hooks.entered;
  EXPECT_EQ(hooks.enters, 1);
  EXPECT_EQ(hooks.exits, 1);
  // The region's time is the repeated calls only: inside the hooks, and a part of the whole call.
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, inside.count());
  EXPECT_LT(seconds, whole.count());
}

TEST(Runner, MaxRelErrorIsNormwiseAndCatchesNaN) {
  std::vector<double> ref = {1, -4, 2}, out = {1, -4, 2.5};
  OutputView r{ref.data(), 3, DType::f64}, o{out.data(), 3, DType::f64};
  EXPECT_DOUBLE_EQ(max_rel_error(o, r), 0.5 / 4);
  out[1] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isinf(max_rel_error(o, r)));
  OutputView shorter{out.data(), 2, DType::f64};
  EXPECT_TRUE(std::isinf(max_rel_error(shorter, r)));
}

TEST(Runner, CheckVariantUsesFreshProblems) {
  Size size({{"n", 64}});
  CheckResult good = check_variant(*registry().find("testfam"), 0, size, DType::f32);
  EXPECT_TRUE(good.ok);
  CheckResult bad = check_variant(*registry().find("testfam"), 1, size, DType::f32);
  EXPECT_FALSE(bad.ok);
}

TEST(Runner, RegionFillsADurationWhenNoCallCountIsGiven) {
  const Job job = resolve_job("testfam/scalar", "64", DType::f32, 1);
  RegionHooks none;
  std::int64_t calls = 0;
  RegionOptions fill{0, true, 0.02};
  EXPECT_GT(run_region(job, fill, none, &calls), 0.0);
  EXPECT_GT(calls, 1);  // a 64-element kernel: thousands of calls in 20 ms
  RegionOptions fixed{3, true};
  run_region(job, fixed, none, &calls);
  EXPECT_EQ(calls, 3);
  RegionOptions neither{0, true};
  EXPECT_THROW(run_region(job, neither, none), UsageError);
}

TEST(Runner, OneReferenceCheckServesEveryVariantOfASize) {
  ReferenceCheck checker(*registry().find("testfam"), Size({{"n", 64}}), DType::f32);
  EXPECT_TRUE(checker.check(0).ok);
  CheckResult bad = checker.check(1);
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.reason.rfind("max relative error ", 0), 0u) << bad.reason;
  EXPECT_NE(bad.reason.find("exceeds tolerance"), std::string::npos) << bad.reason;
  EXPECT_TRUE(checker.check(0).ok);  // a fresh problem: the wrong variant's output did not stick
}

}  // namespace
}  // namespace kprof
