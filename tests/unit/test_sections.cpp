// The typed sections of the Run document (kprof/sections.h): each round-trips through JSON and a
// file, bad values are refused with the file and the field named, versions this kprof does not
// know are refused, older versions are still read, and unknown sections survive.
#include <gtest/gtest.h>

#include <filesystem>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/reports/run_json.h"
#include "kprof/sections.h"
#include "support/process.h"

namespace kprof {
namespace {

using nlohmann::json;

Subject dot_kernel() { return Subject::kernel("dot", "scalar", DType::f64, Size({{"n", 4096}})); }

CallgrindSection callgrind_section() {
  CallgrindEntry e;
  e.subject = dot_kernel();
  e.events = {{"Ir", 30000}, {"Dr", 9000}};
  e.per_call = {{"Ir", 10000.0}, {"Dr", 3000.0}};
  e.iterations = 3;
  e.file = "out/callgrind.out.dot.scalar.f64.n=4096";
  e.flops_per_call = 8192;
  e.ir_per_flop = 10000.0 / 8192;
  e.region_seconds_under_valgrind = 0.25;
  e.build = "avx2 (valgrind-safe)";
  e.top_functions.push_back({"dot_scalar<double>", "dot.cpp", "/usr/bin/kprof", {{"Ir", 29000}}, {{"Ir", 29500}}});
  CallgrindEntry program;
  program.subject = Subject::of_program({"/bin/true", "--flag"});
  program.subject.exit_status = 0;
  program.events = {{"Ir", 100}};
  program.file = "callgrind.out.true";
  return {{e, program}};
}

MemorySection memory_section() {
  MemoryEntry e;
  e.subject = dot_kernel();
  e.iterations = 2;
  e.peak_bytes = 4096;
  e.bytes_allocated = 8192;
  e.allocations = 2;
  e.frees = 2;
  e.per_call = {4096, 1, 0};
  e.calls = {{"malloc", 2}, {"free", 2}};
  Frame frame;
  frame.function = "make_buffer()";
  frame.file = "dot.cpp";
  frame.line = 12;
  frame.module = "/usr/bin/kprof";
  frame.module_offset = 0x1234;
  frame.inlined = true;  // both written and read back
  e.top_sites.push_back({frame, 8192, 2, 4096, 0, 0});
  e.peak_stack = {frame};
  e.timeline = {{0, 0}, {4096, 4096}, {8192, 0}};
  return {{e}};
}

// Sizes in name order: a size object read back from JSON is in name order (nlohmann's objects).
LinesSection lines_section() {
  LinesSection s;
  s.subject = Subject::kernel("nmf", "scalar", DType::f32, Size({{"k", 16}, {"m", 64}, {"n", 1797}}));
  s.iterations = 1;
  s.region_wall_ns = 1.5e7;
  s.clock = {"tsc", "invariant TSC", 2.1, 18.8, 0.43, 38.1, 16.0};
  s.threads = 1;
  s.functions.push_back({"nls_scalar", "nmf.cpp", 61, 1, 1.4e7, 1.45e7, true, "", {{68, 67, 1, 2e6, 2e6, 14.3, "x;"}}});
  s.ranked.push_back({"nls_scalar", "nmf.cpp", 68, 2e6, 1, 14.3});
  s.notes = {"a note"};
  return s;
}

CpuSection cpu_section() {
  CpuEntry e;
  e.subject = dot_kernel();
  e.period_us = 1000;
  e.samples = 250;
  e.region_seconds = 0.26;
  e.cpu_seconds = 0.25;
  e.samples_per_cpu_second = 1000;
  e.profile_file = "out/cpu.prof";
  e.file = "out/callgrind.out.cpu";
  e.top_functions.push_back({"dot_scalar<double>", "dot.cpp", 240, 250});
  e.top_lines.push_back({"dot.cpp", 20, "dot_scalar<double>", 200});
  e.iterations = 1000;
  e.frequency_hz = 1000;
  return {{e}};
}

template <RunSection T>
T round_trip_through_a_file(const T& section) {
  kprof::Run run;
  run.environment.fingerprint = "0123456789abcdef";
  run.set_section(section);
  auto path = std::filesystem::path(test::fresh_dir("sections_round_trip")) / "run.json";
  write_run(path, run);
  return *read_run(path).section<T>();
}

// Lines kprof-mark left without a marker: written only when there are some (documents without
// them read as before), and read back.
TEST(Sections, LinesNotInstrumentedRoundTripsAndIsOmittedWhenEmpty) {
  LinesSection s = lines_section();
  s.functions[0].not_instrumented = {{69, "excluded"}, {70, "written by a macro"}};
  EXPECT_EQ(round_trip_through_a_file(s), s);
  EXPECT_TRUE(s.to_json()["functions"][0].contains("not_instrumented"));
  EXPECT_FALSE(lines_section().to_json()["functions"][0].contains("not_instrumented"));
}

TEST(Sections, EachRoundTripsThroughARunFile) {
  EXPECT_EQ(round_trip_through_a_file(callgrind_section()), callgrind_section());
  EXPECT_EQ(round_trip_through_a_file(memory_section()), memory_section());
  EXPECT_EQ(round_trip_through_a_file(lines_section()), lines_section());
  EXPECT_EQ(round_trip_through_a_file(cpu_section()), cpu_section());
  PairedMediansSection paired{{{"dot/scalar/f64/n=4096", {101.5, 99.0, 100.25}}}};
  EXPECT_EQ(round_trip_through_a_file(paired), paired);
  FiguresSection figures{{{"forest_fit/threads/f64/depth=8/threads=2", {{"accuracy", 0.8716}, {"nodes", 511}}}}};
  EXPECT_EQ(round_trip_through_a_file(figures), figures);
}

// The schema describes every section, kernel and program entries alike (real command output is
// checked in tests/cli/test_section_outputs.cpp).
TEST(Sections, EverySectionValidatesAgainstTheSchema) {
  kprof::Run run;
  run.environment.fingerprint = "0123456789abcdef";
  run.created_utc = "2026-01-02T03:04:05Z";
  run.environment.widest_isa = "baseline";
  run.set_section(callgrind_section());
  run.set_section(memory_section());
  run.set_section(lines_section());
  CpuSection cpu = cpu_section();
  CpuEntry program = cpu.results[0];
  program.subject = Subject::of_program({"./app", "--fast"});
  program.subject.exit_status = 3;
  cpu.results.push_back(program);
  run.set_section(cpu);
  run.set_section(PairedMediansSection{{{"dot/scalar/f64/n=4096", {101.5, 99.0}}}});
  run.set_section(FiguresSection{{{"forest_fit/serial/f64/depth=8", {{"accuracy", 0.87}}}}});
  auto dir = std::filesystem::path(test::fresh_dir("sections_schema"));
  write_run(dir / "run.json", run);
  auto validate = [&](const std::string& file) {
    return test::run_command(
        "/usr/bin/python3 -c \"import json, sys, jsonschema; "
        "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '" +
        (dir / file).string() + "' '" KPROF_SOURCE_DIR "/docs/run.schema.json'");
  };
  auto ok = validate("run.json");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // Strict: a stray field in an entry, or a program entry with a family, fails.
  json j = to_json(run);
  j["sections"]["cpu"]["results"][0]["surprise"] = 1;
  write_file_atomically(dir / "stray.json", j.dump());
  EXPECT_NE(validate("stray.json").exit_code, 0);
  j = to_json(run);
  j["sections"]["cpu"]["results"][1]["family"] = "dot";
  write_file_atomically(dir / "mixed.json", j.dump());
  EXPECT_NE(validate("mixed.json").exit_code, 0);
}

TEST(Sections, AbsentSectionIsNullopt) {
  kprof::Run run;
  EXPECT_FALSE(run.section<CallgrindSection>().has_value());
  EXPECT_FALSE(run.has_section<MemorySection>());
}

std::string error_reading(const json& document) {
  auto path = std::filesystem::path(test::fresh_dir("sections_errors")) / "bad.json";
  write_file_atomically(path, document.dump());
  try {
    read_run(path);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

json document_with(const json& sections) {
  kprof::Run run;
  run.environment.fingerprint = "0123456789abcdef";
  json j = to_json(run);
  j["sections"] = sections;
  return j;
}

TEST(Sections, MalformedSectionsNameTheFileAndTheField) {
  json cg = callgrind_section().to_json();
  cg["results"][0]["per_call"]["Ir"] = "many";
  EXPECT_NE(error_reading(document_with({{"callgrind", cg}}))
                .find("bad.json: field 'sections.callgrind.results[0].per_call.Ir' is not a number (string)"),
            std::string::npos);

  json mem = memory_section().to_json();
  mem["results"][0]["peak_bytes"] = -5;
  EXPECT_NE(error_reading(document_with({{"memory", mem}}))
                .find("bad.json: field 'sections.memory.results[0].peak_bytes' is negative (-5)"),
            std::string::npos);

  json lines = lines_section().to_json();
  lines["functions"][0].erase("calls");
  EXPECT_NE(error_reading(document_with({{"lines", lines}}))
                .find("bad.json: field 'sections.lines.functions[0].calls' is missing"),
            std::string::npos);

  json cpu = cpu_section().to_json();
  cpu["results"][0]["dtype"] = "f16";
  std::string dtype = error_reading(document_with({{"cpu", cpu}}));
  EXPECT_NE(dtype.find("bad.json: field 'sections.cpu.results[0].dtype' is not a dtype"), std::string::npos) << dtype;
}

TEST(Sections, TwoEntriesAboutOneKernelAreRefused) {
  json cg = callgrind_section().to_json();
  cg["results"].push_back(cg["results"][0]);
  std::string twins = error_reading(document_with({{"callgrind", cg}}));
  EXPECT_NE(twins.find("field 'sections.callgrind' results[0] and results[2] are both"), std::string::npos) << twins;
  json mem = memory_section().to_json();
  mem["results"].push_back(mem["results"][0]);
  EXPECT_NE(error_reading(document_with({{"memory", mem}})).find("a section has one entry per kernel or program"),
            std::string::npos);
}

TEST(Sections, AnUnknownSchemaVersionIsRefusedNotReadAsOne) {
  json cg = callgrind_section().to_json();
  cg["schema_version"] = 42;
  std::string e = error_reading(document_with({{"callgrind", cg}}));
  EXPECT_NE(e.find("bad.json: field 'sections.callgrind.schema_version' is 42: this kprof reads the callgrind "
                   "section in version 1, 2, 3"),
            std::string::npos)
      << e;
  json mem = memory_section().to_json();
  mem["schema_version"] = 2;
  EXPECT_NE(error_reading(document_with({{"memory", mem}})).find("is 2: this kprof reads the memory section"),
            std::string::npos);
}

TEST(Sections, UnknownSectionsSurviveARoundTrip) {
  json future = {{"schema_version", 7}, {"pages", {1, 2, 3}}};
  auto path = std::filesystem::path(test::fresh_dir("sections_unknown")) / "run.json";
  write_file_atomically(path, document_with({{"html_report", future}}).dump());
  kprof::Run run = read_run(path);
  write_run(path, run);
  EXPECT_EQ(read_run(path).sections.at("html_report"), future);
}

// Documents written before sections had their own versions stay readable.
TEST(Sections, VersionOneDocumentsAreStillRead) {
  json cg = callgrind_section().to_json();
  cg.erase("schema_version");
  cg["results"][1]["program"] = "/bin/true --flag";
  CallgrindSection c = CallgrindSection::from_json(JsonField(cg, "old.json"));
  EXPECT_EQ(c.results[1].subject.program, std::vector<std::string>{"/bin/true --flag"});

  json cpu = {{"results", json::array()}};
  json program = {{"key", "program/app"},
                  {"program", "./app"},
                  {"period_us", 1000},
                  {"samples", 5},
                  {"seconds", 0.5},
                  {"cpu_seconds", 0.4},
                  {"samples_per_cpu_second", 12.5},
                  {"profile_file", "p"},
                  {"file", "f"},
                  {"top_functions", json::array()},
                  {"top_lines", json::array()}};
  cpu["results"].push_back(program);
  EXPECT_DOUBLE_EQ(CpuSection::from_json(JsonField(cpu, "old.json")).results[0].region_seconds, 0.5);

  json lines = lines_section().to_json();
  lines["schema_version"] = 1;
  lines.erase("key");
  lines["size"] = "k=16,m=64,n=1797";
  EXPECT_EQ(LinesSection::from_json(JsonField(lines, "old.json")), lines_section());

  json paired = {{"dot/scalar/f64/n=4096", {1.0, 2.0}}};
  EXPECT_EQ(PairedMediansSection::from_json(JsonField(paired, "old.json")).medians.at("dot/scalar/f64/n=4096"),
            (std::vector<double>{1.0, 2.0}));
}

TEST(Sections, MergingKeepsTheFirstEntryOfAKeyAndAddsTheOthers) {
  kprof::Run a, b;
  a.set_section(callgrind_section());
  CallgrindSection other = callgrind_section();
  other.results[0].events["Ir"] = 1;  // the same key: `a` wins
  other.results[1].subject = Subject::of_program({"/bin/false"});
  b.set_section(other);
  b.set_section(memory_section());
  b.sections["future"] = json{{"x", 1}};
  merge_sections(a, b);
  auto merged = *a.section<CallgrindSection>();
  ASSERT_EQ(merged.results.size(), 3u);
  EXPECT_EQ(merged.results[0].events.at("Ir"), 30000);
  EXPECT_EQ(merged.results[2].subject.key, "program/false");
  EXPECT_EQ(*a.section<MemorySection>(), memory_section());
  EXPECT_EQ(a.sections.at("future"), (json{{"x", 1}}));
}

}  // namespace
}  // namespace kprof
