// Every section of the Run document as a real command writes it: the file validates against
// docs/run.schema.json, the typed reader (kprof/sections.h) reads back exactly what was written,
// and the section matches its golden file in tests/golden/sections/ (placeholders for numbers,
// {repeat} for rows whose count depends on the machine).
#include <gtest/gtest.h>

#include <filesystem>

#include "kprof/atomic_file.h"
#include "kprof/reports/run_json.h"
#include "kprof/sections.h"
#include "support/golden.h"
#include "support/golden_json.h"
#include "support/process.h"

namespace kprof {
namespace {

using nlohmann::json;

// Runs `kprof <args> -o <fresh dir>` and returns the path of <dir>/<file>.
std::string write_with(const std::string& test, const std::string& args, const std::string& file,
                       const std::string& after_args = "") {
  const std::string dir = test::fresh_dir("section_outputs_" + test);
  auto r = test::run_command(test::kprof_exe() + " " + args + " -o '" + dir + "'" + after_args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir + "/" + file;
}

std::string schema_errors(const std::string& document) {
  auto r = test::run_command(
      "/usr/bin/python3 -c \"import json, sys, jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '" +
      document + "' '" KPROF_SOURCE_DIR "/docs/run.schema.json' 2>&1");
  return r.exit_code == 0 ? "" : r.out + r.err;
}

template <RunSection T>
void expect_section(const std::string& path, const std::string& golden) {
  EXPECT_EQ(schema_errors(path), "");
  const json written = json::parse(read_file(path)).at("sections").at(std::string(T::kName));
  const std::optional<T> section = read_run(path).section<T>();
  ASSERT_TRUE(section.has_value());
  EXPECT_EQ(section->to_json(), written) << "the typed section lost or changed a field";
  EXPECT_EQ(test::match_golden(test::golden_file("sections/" + golden), test::golden_json(written)), "")
      << test::golden_json(written);
}

TEST(SectionOutputs, RunDocumentValidates) {
  const std::string path =
      write_with("run", "run dot/scalar -s 1000 --rounds 3 --min-time-ms 1 -q -f none", "run.json");
  EXPECT_EQ(schema_errors(path), "");
}

TEST(SectionOutputs, Lines) {
  expect_section<LinesSection>(write_with("lines", "lines nmf/eigen -s 32x300x8 --iterations 2 -f none", "lines.json"),
                               "lines.json");
}

TEST(SectionOutputs, Memory) {
  expect_section<MemorySection>(write_with("mem", "mem nmf/eigen -s 32x300x8 -q -f none", "memory.json"),
                                "memory.json");
}

TEST(SectionOutputs, MemoryOfAProgram) {
  expect_section<MemorySection>(
      write_with("mem_program", "mem -q -f none", "memory.json", " -- " KPROF_CG_WORKLOAD " 2000"),
      "memory_program.json");
}

TEST(SectionOutputs, Callgrind) {
  expect_section<CallgrindSection>(
      write_with("callgrind", "callgrind dot/scalar -s 2000 --iterations 2 --top 3 -q", "callgrind.json"),
      "callgrind.json");
}

TEST(SectionOutputs, CallgrindOfAProgram) {
  expect_section<CallgrindSection>(
      write_with("callgrind_program", "callgrind --top 3 -q", "callgrind.json", " -- " KPROF_CG_WORKLOAD " 2000"),
      "callgrind_program.json");
}

TEST(SectionOutputs, Cpu) {
  expect_section<CpuSection>(write_with("cpu", "cpu dot/scalar -s 20000 --seconds 0.3 --top 3 -q", "cpu.json"),
                             "cpu.json");
}

// `kprof run` writes the figures a family reports besides the time (forest_fit's held-out accuracy).
TEST(SectionOutputs, Figures) {
  expect_section<FiguresSection>(
      write_with(
          "figures",
          "run forest_fit -s trees=3,samples=200,features=4,depth=3 -t f64 --rounds 1 --min-time-ms 1 -q -f none",
          "run.json"),
      "figures.json");
}

// `kprof regress` keeps its paired medians in the current side's document, which --record stores
// in the history database: the stored document is what is checked.
TEST(SectionOutputs, PairedMedians) {
  const std::string dir = test::fresh_dir("section_outputs_regress");
  const std::string db = dir + "/history.sqlite";
  auto r = test::run_command(test::kprof_exe() + " regress --no-annotations --no-confirm --baseline-bin " +
                             test::kprof_exe() + " --current-bin " + test::kprof_exe() +
                             " dot/scalar -s 1000 -t f64 --rounds 3 --min-time-ms 1 -q --alternations 2"
                             " --time-threshold 1000 --record --branch golden --db '" +
                             db + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = test::run_command(
      "/usr/bin/python3 -c \"import sqlite3, sys; print(sqlite3.connect(sys.argv[1])"
      ".execute('SELECT document FROM runs').fetchone()[0])\" '" +
      db + "'");
  ASSERT_EQ(doc.exit_code, 0) << doc.err;
  write_file_atomically(dir + "/current.json", doc.out);
  expect_section<PairedMediansSection>(dir + "/current.json", "paired_medians.json");
}

}  // namespace
}  // namespace kprof
