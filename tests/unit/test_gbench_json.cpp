// Google Benchmark JSON read as a Run (reports/src/gbench_json.cpp): samples, units, aggregates,
// names as keys, the context, and what is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "kprof/errors.h"
#include "kprof/reports/gbench_json.h"
#include "kprof/reports/run_json.h"
#include "support/process.h"

namespace kprof {
namespace {

using nlohmann::json;

json iteration(const std::string& name, int repetition, double real, const std::string& unit = "ns") {
  return {{"name", name},
          {"family_index", 0},
          {"per_family_instance_index", 0},
          {"run_name", name},
          {"run_type", "iteration"},
          {"repetitions", 3},
          {"repetition_index", repetition},
          {"threads", 1},
          {"iterations", 1000},
          {"real_time", real},
          {"cpu_time", real},
          {"time_unit", unit}};
}

json aggregate(const std::string& name, const std::string& which, double real) {
  json a = iteration(name, 0, real);
  a.erase("repetition_index");
  a["name"] = name + "_" + which;
  a["run_type"] = "aggregate";
  a["aggregate_name"] = which;
  return a;
}

// As Google Benchmark 1.7 writes it (--benchmark_repetitions=3), trimmed.
json document() {
  json context = {{"date", "2026-11-30T21:01:02+01:00"},
                  {"host_name", "bench-host"},
                  {"executable", "./suite"},
                  {"num_cpus", 2},
                  {"mhz_per_cpu", 2900},
                  {"cpu_scaling_enabled", true},
                  {"caches", {{{"type", "Data"}, {"level", 1}, {"size", 49152}, {"num_sharing", 1}}}},
                  {"load_avg", {0.5, 0.4, 0.3}},
                  {"library_build_type", "release"},
                  {"json_schema_version", 1}};
  json benchmarks = {iteration("BM_Sum/4096", 0, 10.0),
                     iteration("BM_Sum/4096", 1, 12.0),
                     iteration("BM_Sum/4096", 2, 11.0),
                     aggregate("BM_Sum/4096", "mean", 11.0),
                     aggregate("BM_Sum/4096", "cv", 0.07),
                     iteration("BM_Sort<int>/n:64/real_time", 0, 2.0, "us"),
                     iteration("BM_Sort<int>/n:64/real_time", 1, 3.0, "us")};
  return {{"context", context}, {"benchmarks", benchmarks}};
}

TEST(GbenchJson, RecognisedByContent) {
  EXPECT_TRUE(is_gbench_json(document()));
  EXPECT_FALSE(is_gbench_json(json{{"schema_version", 1}, {"results", json::array()}}));
  EXPECT_FALSE(is_gbench_json(json::array()));
}

TEST(GbenchJson, RepetitionsAreTheSamplesInNanosecondsAndAggregatesAreNotUsed) {
  const kprof::Run run = run_from_gbench_json(document(), "suite.json");
  ASSERT_EQ(run.results.size(), 2u);
  const Result& sum = run.results[0];
  EXPECT_EQ(sum.key(), "BM_Sum/gbench/f64/arg0=4096");
  EXPECT_EQ(sum.status, Status::ok);
  EXPECT_EQ(sum.time.round_ns, (std::vector<double>{10.0, 12.0, 11.0}));
  EXPECT_EQ(sum.time.median_ns, 11.0);
  EXPECT_EQ(sum.time.iterations_per_round, 1000);
  const Result& sort = run.results[1];
  EXPECT_EQ(sort.key(), "BM_Sort<int>/gbench/f64/n=64");                 // real_time: the samples are real_time anyway
  EXPECT_EQ(sort.time.round_ns, (std::vector<double>{2000.0, 3000.0}));  // microseconds
}

TEST(GbenchJson, ContextBecomesTheEnvironment) {
  const kprof::Run run = run_from_gbench_json(document(), "suite.json");
  EXPECT_EQ(run.created_utc, "2026-11-30T20:01:02Z");
  EXPECT_EQ(run.environment.hostname, "bench-host");
  EXPECT_EQ(run.environment.logical_cpus, 2);
  ASSERT_EQ(run.environment.caches.size(), 1u);
  EXPECT_EQ(run.environment.caches[0].name(), "L1d");
  ASSERT_EQ(run.environment.warnings.size(), 1u);
  EXPECT_NE(run.environment.warnings[0].find("cpu_scaling_enabled"), std::string::npos);
  EXPECT_FALSE(run.environment.fingerprint.empty());
  json other = document();
  other["context"]["host_name"] = "another-host";
  EXPECT_NE(run_from_gbench_json(other, "b.json").environment.fingerprint, run.environment.fingerprint);
  other = document();
  other["context"]["date"] = "2026-12-01T00:00:00+00:00";  // load and date are not the machine
  other["context"]["load_avg"] = {3.0, 2.0, 1.0};
  EXPECT_EQ(run_from_gbench_json(other, "b.json").environment.fingerprint, run.environment.fingerprint);
}

TEST(GbenchJson, KprofBenchNamesAreKprofKeys) {
  json j = document();
  j["benchmarks"] = {iteration("gemm/blas/f32/k=64,m=64,n=128/real_time", 0, 5.0)};
  EXPECT_EQ(run_from_gbench_json(j, "bench.json").results.at(0).key(), "gemm/blas/f32/k=64,m=64,n=128");
  j["benchmarks"] = {iteration("BM_Sum/real_time/threads:2", 0, 5.0)};
  j["benchmarks"][0]["threads"] = 2;
  EXPECT_EQ(run_from_gbench_json(j, "bench.json").results.at(0).key(), "BM_Sum/gbench/f64//threads=2");
  j["benchmarks"] = {iteration("BM_Sum/manual_time/min_time:0.5/8/n:4", 0, 5.0)};
  EXPECT_EQ(run_from_gbench_json(j, "bench.json").results.at(0).key(),
            "BM_Sum/manual_time,min_time:0.5/f64/arg0=8,n=4");
}

TEST(GbenchJson, AnErrorOccurredIsAFailedResult) {
  json j = document();
  j["benchmarks"][1]["error_occurred"] = true;
  j["benchmarks"][1]["error_message"] = "out of memory";
  const kprof::Run run = run_from_gbench_json(j, "suite.json");
  EXPECT_EQ(run.results[0].status, Status::failed);
  EXPECT_EQ(run.results[0].reason, "out of memory");
}

void expect_refused(const json& j, const std::string& expected) {
  try {
    run_from_gbench_json(j, "suite.json");
    ADD_FAILURE() << "accepted; expected: " << expected;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("suite.json: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
}

TEST(GbenchJson, RefusesWhatTheGateCannotCompare) {
  json j = document();
  j["benchmarks"][0]["real_time"] = -3.0;
  expect_refused(j, "field 'benchmarks[0].real_time' is -3.0");
  j = document();
  j["benchmarks"][2]["time_unit"] = "min";
  expect_refused(j, "field 'benchmarks[2].time_unit' is 'min'");
  j = document();
  j["benchmarks"][1]["repetition_index"] = 0;
  expect_refused(j, "field 'benchmarks[1].repetition_index' is 0 a second time for 'BM_Sum/4096'");
  j = document();
  j["benchmarks"][2]["family_index"] = 5;
  expect_refused(j, "benchmarks[0] and benchmarks[2] are two benchmarks named 'BM_Sum/4096'");
  j = document();
  j["benchmarks"] = {aggregate("BM_Sum/4096", "mean", 11.0)};
  expect_refused(j, "has only aggregates");
  j = document();
  j["benchmarks"][0]["iterations"] = 0;
  expect_refused(j, "field 'benchmarks[0].iterations' is 0");
  j = document();
  j["benchmarks"][0]["run_type"] = "warmup";
  expect_refused(j, "field 'benchmarks[0].run_type' is 'warmup'");
  j = document();
  j["context"]["json_schema_version"] = 2;
  expect_refused(j, "field 'context.json_schema_version' is 2");
  j = document();
  j["benchmarks"] = {iteration("BM_x/64", 0, 1.0), iteration("BM_x/arg0:64", 0, 1.0)};
  j["benchmarks"][1]["family_index"] = 1;
  expect_refused(j, "benchmarks[0] and benchmarks[1] are both BM_x/gbench/f64/arg0=64");
  j = document();
  j["benchmarks"][0]["real_time"] = 1e300;
  j["benchmarks"][0]["time_unit"] = "s";
  expect_refused(j, "overflows");
}

TEST(GbenchJson, ReadRunTakesIt) {
  const std::filesystem::path path = std::filesystem::path(test::fresh_dir("gbench_json")) / "suite.json";
  std::ofstream(path) << document().dump(2);
  EXPECT_EQ(read_run(path).results.size(), 2u);
}

}  // namespace
}  // namespace kprof
