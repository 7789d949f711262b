// `kprof mem -- program`: the LD_PRELOAD library on small programs with known allocations.
#include <gtest/gtest.h>

#include <filesystem>

#include "kprof/reports/callgrind_reader.h"
#include "memory_test_util.h"
#include "support/golden.h"

namespace kprof::test {
namespace {

TEST(MemoryProgram, EveryEntryPointIsCountedWithItsSize) {
  MemRun r = kprof_mem_program("entry-points", program("mem_entry_points"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  ASSERT_FALSE(r.result.is_null()) << r.process.err;
  for (const char* entry :
       {"malloc", "calloc", "realloc", "aligned_alloc", "posix_memalign", "memalign", "valloc", "pvalloc",
        "operator new", "operator new[]", "free", "operator delete", "operator delete[]"})
    EXPECT_GE(r.result["calls"].value(entry, 0), 1) << entry;
  // Every allocation of main(), with its requested size (pvalloc: one page).
  SiteSum s = sites_in(r.result, "entry_points.cpp");
  EXPECT_EQ(s.count, 14u);
  EXPECT_EQ(s.bytes, 1001u + 1010 + 10 + 1020 + 1088 + 1040 + 1050 + 1060 + 4096 + 1070 + 8 + 1090 + 1100 + 123457);
  EXPECT_EQ(r.result["exit_status"], 0);
  EXPECT_GE(r.result["leaked_bytes"].get<std::uint64_t>(), 123457u);
}

TEST(MemoryProgram, AKnownAllocationIsAttributedToItsLine) {
  MemRun r = kprof_mem_program("known-line", program("mem_entry_points"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  bool found = false;
  for (const auto& site : r.result["top_sites"])
    if (site["bytes"] == 123457) {
      found = true;
      EXPECT_TRUE(ends_with(site["file"], "entry_points.cpp")) << site.dump();
      EXPECT_EQ(site["line"], line_of("entry_points.cpp", "// KNOWN_LINE")) << site.dump();
      EXPECT_EQ(site["function"], "main");
    }
  EXPECT_TRUE(found) << r.result.dump(1);
}

TEST(MemoryProgram, ReallocChainCountsEveryStep) {
  MemRun r = kprof_mem_program("realloc-chain", program("mem_realloc_chain"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  SiteSum s = sites_in(r.result, "realloc_chain.cpp");
  EXPECT_EQ(s.count, 101u);
  EXPECT_EQ(s.bytes, 16u * (101 * 102 / 2));
  EXPECT_EQ(r.result["calls"]["realloc"], 100);
}

TEST(MemoryProgram, EightThreadsExactTotals) {
  MemRun r = kprof_mem_program("threads", program("mem_threads"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  std::uint64_t count = 0, bytes = 0;
  for (const auto& site : r.result["top_sites"])
    if (site["function"] == "worker()") {
      count += site["count"].get<std::uint64_t>();
      bytes += site["bytes"].get<std::uint64_t>();
    }
  EXPECT_EQ(count, 800000u);
  EXPECT_EQ(bytes, 25600000u);
}

TEST(MemoryProgram, ForkedChildNeverWritesTheParentsTrace) {
  MemRun r = kprof_mem_program("fork", program("mem_fork_child"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  SiteSum s = sites_in(r.result, "fork_child.cpp");
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.bytes, 3000u);
  EXPECT_LT(r.result["bytes_allocated"].get<std::uint64_t>(), 5000000u);
  EXPECT_FALSE(r.result["truncated"].get<bool>());
}

TEST(MemoryProgram, DlopenedLibraryAllocationsAreAttributedToIt) {
  MemRun r = kprof_mem_program("dlopen", program("mem_dlopen_host") + " " + program("libkprof_test_plugin.so"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  bool found = false;
  for (const auto& site : r.result["top_sites"])
    if (site["bytes"] == 77777) {
      found = true;
      EXPECT_TRUE(ends_with(site["file"], "plugin.cpp")) << site.dump();
      EXPECT_EQ(site["line"], line_of("plugin.cpp", "PLUGIN_LINE"));
      EXPECT_TRUE(ends_with(site["module"], "libkprof_test_plugin.so")) << site.dump();
      EXPECT_EQ(site["function"], "plugin_allocate");
    }
  EXPECT_TRUE(found) << r.result.dump(1);
}

// A program that fails is a driven tool failing (exit 3); its own status is in the Run document.
TEST(MemoryProgram, CrashingProgramIsAToolFailureAndStillReported) {
  MemRun r = kprof_mem_program("crash", program("mem_crash"));
  EXPECT_EQ(r.process.exit_code, 3) << r.process.err;
  EXPECT_NE(r.process.err.find("exited with status 134"), std::string::npos) << r.process.err;  // 128 + SIGABRT
  ASSERT_FALSE(r.result.is_null()) << r.process.err;
  EXPECT_EQ(r.result["exit_status"], 134);
  EXPECT_EQ(sites_in(r.result, "crash.cpp").bytes, 424242u);
}

// Each image of a program that execs is a result of its own: the first ends at its exec (what it
// held is "live at exec", not leaked), a failed exec and a vfork'ed child's exec do not end it.
TEST(MemoryProgram, AProgramThatExecsIsReportedImageByImage) {
  MemRun r = kprof_mem_program("exec", program("mem_exec_chain"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  std::ifstream in(r.dir + "/memory.json");
  const nlohmann::json results = nlohmann::json::parse(in).at("sections").at("memory").at("results");
  ASSERT_EQ(results.size(), 2u) << results.dump(1);
  const nlohmann::json& first = results[0];
  const nlohmann::json& second = results[1];
  EXPECT_EQ(first["key"], "program/mem_exec_chain");
  EXPECT_EQ(first["ended_by_exec"], program("mem_exec_chain"));
  EXPECT_FALSE(first["truncated"].get<bool>());
  EXPECT_FALSE(first.contains("exit_status")) << "the status is the last image's";
  SiteSum s = sites_in(first, "exec_chain.cpp");
  EXPECT_EQ(s.bytes, 8000000u + 1000000 + 2000);
  EXPECT_EQ(s.count, 3u);
  EXPECT_GE(first["leaked_bytes"].get<std::uint64_t>(), 8000000u);
  EXPECT_EQ(second["key"], "program/mem_exec_chain/exec1-mem_exec_chain");
  EXPECT_FALSE(second.contains("ended_by_exec"));
  EXPECT_EQ(second["exit_status"], 0);
  EXPECT_EQ(sites_in(second, "exec_chain.cpp").bytes, 3000000u);
  // The text report says where the first image ended.
  ProcessResult text = run_command(kprof_exe() + " mem -q -- " + program("mem_exec_chain"));
  EXPECT_NE(text.out.find("ended by exec'ing " + program("mem_exec_chain")), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("live at exec"), std::string::npos) << text.out;
}

TEST(MemoryProgram, MissingOrNonExecutableProgramIsAUsageError) {
  ProcessResult missing = run_command(kprof_exe() + " mem -- /nonexistent/program");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("program not found"), std::string::npos) << missing.err;
  ProcessResult not_exec = run_command(kprof_exe() + " mem -- '" + std::string(KPROF_SOURCE_DIR) + "/CMakeLists.txt'");
  EXPECT_EQ(not_exec.exit_code, 2);
  EXPECT_NE(not_exec.err.find("not an executable"), std::string::npos) << not_exec.err;
  ProcessResult none_in_path = run_command(kprof_exe() + " mem -- kprof-no-such-program-anywhere");
  EXPECT_EQ(none_in_path.exit_code, 2);
}

TEST(MemoryProgram, MassifFileOpensInMsPrint) {
  MemRun r = kprof_mem_program("ms-print", program("mem_massif_pattern"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  std::string massif;
  for (const auto& e : std::filesystem::directory_iterator(r.dir))
    if (e.path().filename().string().rfind("massif.", 0) == 0) massif = e.path().string();
  ASSERT_FALSE(massif.empty());
  ProcessResult print = run_command("ms_print '" + massif + "'");
  ASSERT_EQ(print.exit_code, 0) << print.err;
  EXPECT_NE(print.out.find("Number of snapshots"), std::string::npos) << print.out;
  EXPECT_NE(print.out.find("massif_pattern.cpp"), std::string::npos) << print.out;
  // ms_print shows the peak snapshot's total with thousands separators: "(974,507B)".
  std::string peak = std::to_string(r.result["peak_bytes"].get<std::uint64_t>());
  for (int i = static_cast<int>(peak.size()) - 3; i > 0; i -= 3) peak.insert(static_cast<std::size_t>(i), ",");
  EXPECT_NE(print.out.find("(" + peak + "B)"), std::string::npos) << peak << "\n" << print.out;
  EXPECT_NE(print.out.find("(peak)"), std::string::npos);
}

// The allocation profile: every allocating stack's bytes in callgrind format, so that its total is
// the run's bytes allocated, callgrind_annotate reads it, and the bytes sit on the program's lines
// as the site table does (from the call site outwards: no malloc or tracer frame charged).
TEST(MemoryProgram, AllocationProfileHoldsEveryByteOnTheProgramsLines) {
  MemRun r = kprof_mem_program("alloc-profile", program("mem_massif_pattern"));
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  const std::string file = r.result.at("allocations_file").get<std::string>();
  EXPECT_EQ(file.rfind("callgrind.out.alloc.", 0), 0u) << file;
  CallgrindProfile p = read_callgrind_file(r.dir + "/" + file);
  ASSERT_EQ(p.events, (std::vector<std::string>{"Bytes", "Allocations"}));
  EXPECT_EQ(p.totals().at(0), r.result["bytes_allocated"].get<std::int64_t>());
  EXPECT_EQ(p.totals().at(1), r.result["allocations"].get<std::int64_t>());
  std::int64_t on_program_lines = 0;
  for (const auto& f : p.functions) {
    EXPECT_EQ(f.name.find("malloc"), std::string::npos) << f.name;
    for (const auto& c : f.costs)
      if (ends_with(f.files[c.file], "massif_pattern.cpp") && c.line > 0) on_program_lines += c.costs.at(0);
  }
  // What the site table charges to the program's lines (the rest: libstdc++'s start-up pool).
  EXPECT_EQ(on_program_lines, static_cast<std::int64_t>(sites_in(r.result, "massif_pattern.cpp").bytes));
  EXPECT_GT(on_program_lines, p.totals().at(0) / 2);
  ProcessResult annotate = run_command("callgrind_annotate '" + r.dir + "/" + file + "'");
  ASSERT_EQ(annotate.exit_code, 0) << annotate.err;
  EXPECT_NE(annotate.out.find("massif_pattern.cpp"), std::string::npos) << annotate.out;
}

// The terminal and Markdown reports, line by line (numbers are placeholders; rows that depend on
// the C library, such as the frames below main, are {repeat} lines).
TEST(MemoryProgram, TextAndMarkdownReportsMatchTheirGoldens) {
  for (const auto& [format, golden] : {std::pair{"table", "memory_program.txt"}, {"markdown", "memory_program.md"}}) {
    ProcessResult r = run_command(kprof_exe() + " mem -q -f " + format + " -- " + program("mem_realloc_chain"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(match_golden(golden_file(golden), r.out), "") << r.out;
  }
}

}  // namespace
}  // namespace kprof::test
