// The Run document: JSON round trip, validation against docs/run.schema.json, and the errors a
// truncated, corrupt or incompatible file gives.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "kprof/atomic_file.h"
#include "kprof/environment.h"
#include "kprof/errors.h"
#include "kprof/reports/run_json.h"
#include "kprof/runner.h"
#include "kprof/sections.h"
#include "support/process.h"
#include "test_family.h"

namespace kprof {
namespace {

Run real_run() {
  Run run;
  run.kprof_version = "test";
  run.created_utc = "2026-01-02T03:04:05Z";
  run.command = "kprof run testfam";
  run.environment = collect_environment(1);
  run.peak = MachinePeak{10.5, 21.0, 5.25, "avx512", "2026-01-01T00:00:00Z", true};
  RunOptions o;
  o.rounds = 3;
  o.min_round_seconds = 0.0002;
  o.warmup_seconds = 0.0002;
  run.results = run_benchmarks(plan_jobs({"testfam"}, {"100"}, {DType::f64, DType::f32}, 1), o, run.peak, nullptr);
  run.results[1].max_rel_error = std::numeric_limits<double>::infinity();  // NaN output must survive too
  run.results[0].threads = 2;  // a grid cell of a thread sweep, with a chunk's working set
  run.results[0].blas_threads = 1;
  run.results[0].working_set = 4096;
  run.environment.thread_pools.push_back(
      {"openblas", "/usr/lib/libopenblas.so.0", "0.3.21", 2, "Haswell", "pthreads", "OpenBLAS 0.3.21 DYNAMIC_ARCH"});
  run.set_section(PairedMediansSection{{{run.results[0].key(), {100.5, 99.25}}}});
  run.sections["from_a_newer_kprof"] = {{"schema_version", 3}, {"anything", {1, 2, 3}}};  // kept as it is
  return run;
}

std::string error_reading(const std::string& text) {
  auto path = std::filesystem::path(test::fresh_dir("run_json_errors")) / "bad.json";
  std::ofstream(path) << text;
  try {
    read_run(path);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RunJson, RoundTripsEveryField) {
  kprof::Run run = real_run();
  kprof::Run back = run_from_json(nlohmann::json::parse(to_json(run).dump()), "memory");
  EXPECT_EQ(back, run);
}

TEST(RunJson, DocumentsFromBeforeThreadSweepsReadAsOneThread) {
  nlohmann::json j = to_json(real_run());
  for (const char* field : {"threads", "blas_threads", "working_set"}) j["results"][0].erase(field);
  for (const char* field : {"thread_pools", "cache_source"}) j["environment"].erase(field);
  const kprof::Run back = run_from_json(j, "old.json");
  EXPECT_EQ(back.results[0].threads, 1);
  EXPECT_EQ(back.results[0].blas_threads, 1);
  EXPECT_EQ(back.results[0].working_set, 0);
  EXPECT_EQ(back.results[0].key(), "testfam/scalar/f64/n=100");
  EXPECT_TRUE(back.environment.thread_pools.empty());
}

TEST(RunJson, WrittenFileValidatesAgainstTheSchema) {
  auto dir = std::filesystem::path(test::fresh_dir("run_json_schema"));
  write_run(dir / "run.json", real_run());
  std::string cmd =
      "/usr/bin/python3 -c \"import json, sys, jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '" +
      (dir / "run.json").string() + "' '" KPROF_SOURCE_DIR "/docs/run.schema.json'";
  auto r = test::run_command(cmd);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The schema is strict (additionalProperties: false): a stray field must fail validation.
  std::ofstream(dir / "extra.json") << [&] {
    auto j = to_json(real_run());
    j["environment"]["surprise"] = 1;
    return j.dump();
  }();
  std::string bad = cmd;
  bad.replace(bad.find("run.json"), 8, "extra.json");
  EXPECT_NE(test::run_command(bad).exit_code, 0);
}

TEST(RunJson, BadFilesNameTheFileAndTheProblem) {
  std::string full = to_json(real_run()).dump();
  std::string truncated = error_reading(full.substr(0, full.size() / 2));
  EXPECT_NE(truncated.find("bad.json: not valid JSON (truncated or corrupt) at byte"), std::string::npos) << truncated;

  auto j = nlohmann::json::parse(full);
  j["schema_version"] = 99;
  std::string version = error_reading(j.dump());
  EXPECT_NE(version.find("schema_version 99 is not supported"), std::string::npos) << version;

  j = nlohmann::json::parse(full);
  j["results"][0].erase("dtype");
  std::string missing = error_reading(j.dump());
  EXPECT_NE(missing.find("missing field 'results[0].dtype'"), std::string::npos) << missing;

  j = nlohmann::json::parse(full);
  j["results"][0]["gflops"] = "fast";
  std::string type = error_reading(j.dump());
  EXPECT_NE(type.find("'results[0].gflops' has the wrong type"), std::string::npos) << type;

  // A float where a whole number belongs was cast to int (undefined behaviour; fuzz_report_page).
  j = nlohmann::json::parse(full);
  j["environment"]["logical_cpus"] = 1.22222e93;
  std::string huge = error_reading(j.dump());
  EXPECT_NE(huge.find("'environment.logical_cpus' has the wrong type (number): a whole number is expected"),
            std::string::npos)
      << huge;
  j = nlohmann::json::parse(full);
  j["environment"]["logical_cpus"] = 1ull << 40;
  std::string too_big = error_reading(j.dump());
  EXPECT_NE(too_big.find("'environment.logical_cpus' is 1099511627776, out of range"), std::string::npos) << too_big;

  EXPECT_NE(error_reading("[1,2]").find("not a kprof run document"), std::string::npos);
  EXPECT_NE(error_reading("").find("not valid JSON"), std::string::npos);
}

// Values a gate must not compare: refused with the field named (they were read, and a negative time
// "improved" by 200%, an empty round list dropped the comparison, a twin was compared twice).
TEST(RunJson, NegativeTimesEmptyRoundsNoThreadsAndTwinResultsAreRefused) {
  const auto full = to_json(real_run());
  ASSERT_EQ(full["results"][0]["status"], "ok");
  auto j = full;
  j["results"][0]["time"]["round_ns"][0] = -5.0;
  std::string negative = error_reading(j.dump());
  EXPECT_NE(negative.find("field 'results[0].time.round_ns[0]' is -5.0: a time cannot be negative"), std::string::npos)
      << negative;
  j = full;
  j["results"][0]["time"]["median_ns"] = -1.0;
  EXPECT_NE(error_reading(j.dump()).find("'results[0].time.median_ns' is -1.0"), std::string::npos);
  j = full;
  j["results"][0]["bytes"] = -8.0;
  EXPECT_NE(error_reading(j.dump()).find("'results[0].bytes' is -8.0"), std::string::npos);
  j = full;
  j["results"][0]["time"]["round_ns"] = nlohmann::json::array();
  std::string empty = error_reading(j.dump());
  EXPECT_NE(empty.find("'results[0].time.round_ns' is empty, but the result's status is ok"), std::string::npos)
      << empty;
  j = full;
  j["results"][0]["working_set"] = -4096.0;
  EXPECT_NE(error_reading(j.dump()).find("'results[0].working_set' is -4096.0"), std::string::npos);
  j = full;
  j["results"][0]["threads"] = 0;
  std::string no_threads = error_reading(j.dump());
  EXPECT_NE(no_threads.find("'results[0].threads' is 0: a run has at least one thread"), std::string::npos)
      << no_threads;
  j = full;
  j["results"].push_back(j["results"][0]);
  const std::size_t twin = j["results"].size() - 1;
  std::string twins = error_reading(j.dump());
  EXPECT_NE(twins.find("results[0] and results[" + std::to_string(twin) + "] are both " + real_run().results[0].key() +
                       ": a run has one result per key"),
            std::string::npos)
      << twins;
}

TEST(RunJson, MissingFileNamesThePath) {
  try {
    read_run("/nonexistent/kprof/run.json");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read '/nonexistent/kprof/run.json'"), std::string::npos);
  }
}

TEST(AtomicFile, ReplacesWholeAndLeavesNoTemporaries) {
  auto dir = std::filesystem::path(test::fresh_dir("atomic"));
  write_file_atomically(dir / "a.txt", "first");
  write_file_atomically(dir / "a.txt", "second");
  EXPECT_EQ(read_file(dir / "a.txt"), "second");
  int files = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1);
  EXPECT_THROW(write_file_atomically(dir / "missing-dir" / "b.txt", "x"), UsageError);
  EXPECT_THROW(ensure_writable_dir(dir / "a.txt" / "sub"), UsageError);  // parent is a file
}

}  // namespace
}  // namespace kprof
