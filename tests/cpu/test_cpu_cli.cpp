// `kprof cpu` end to end with the real gperftools profiler: a kernel's samples land in its own
// function, symbolised to source lines, and the Run section and callgrind file are written.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "kprof/reports/callgrind_reader.h"
#include "support/golden.h"
#include "support/process.h"

namespace kprof {
namespace {

TEST(CpuCli, KernelSamplesLandInTheKernelFunction) {
  auto dir = test::fresh_dir("cpu_cli_kernel");
  auto r = test::run_command(test::kprof_exe() + " cpu dot/scalar -s 200000 --seconds 1 -q -o " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // gperftools' own stop line is kprof's to drop (-q: nothing else on stderr).
  EXPECT_EQ(r.err.find("PROFILE: interrupts"), std::string::npos) << r.err;
  std::ifstream in(dir + "/cpu.json");
  auto res = nlohmann::json::parse(in).at("sections").at("cpu").at("results").at(0);
  EXPECT_EQ(res.at("key"), "dot/scalar/f64/n=200000");
  std::int64_t samples = res.at("samples");
  // ~1 s of CPU at 1000 Hz; far fewer when the machine is busy (SIGPROF counts CPU time).
  ASSERT_GT(samples, 20) << r.out;
  // The region's CPU time is measured, and the rate is samples per CPU second.
  double cpu = res.at("cpu_seconds");
  EXPECT_GT(cpu, 0.0);
  EXPECT_NEAR(res.at("samples_per_cpu_second").get<double>(), samples / cpu, 1e-6 * samples / cpu);
  const auto& top = res.at("top_functions").at(0);
  EXPECT_NE(top.at("function").get<std::string>().find("dot_scalar"), std::string::npos) << r.out;
  EXPECT_GT(top.at("self_samples").get<std::int64_t>() * 2, samples) << r.out;
  const auto& line = res.at("top_lines").at(0);
  EXPECT_NE(line.at("file").get<std::string>().find("blas1_scalar.cpp"), std::string::npos) << r.out;
  EXPECT_GT(line.at("line").get<int>(), 0);

  CallgrindProfile p = read_callgrind_file(res.at("file").get<std::string>());
  EXPECT_EQ(p.events, std::vector<std::string>{"Samples"});
  EXPECT_EQ(p.totals()[0], samples);
}

// No kernel ticks faster than 1000 Hz (CONFIG_HZ), and CPU-time timers fire at ticks: 4000 Hz
// asked for gets at most ~1000 samples per CPU second, which the report says instead of
// pretending each sample is 250 us of CPU.
TEST(CpuCli, ReportsWhenTheKernelCapsTheSamplingRate) {
  auto dir = test::fresh_dir("cpu_cli_rate");
  auto r = test::run_command(test::kprof_exe() + " cpu dot/scalar -s 200000 --iterations 3000 --frequency 4000 -q -o " +
                             dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir + "/cpu.json");
  auto res = nlohmann::json::parse(in).at("sections").at("cpu").at("results").at(0);
  EXPECT_EQ(res.at("period_us"), 250);
  ASSERT_GT(res.at("cpu_seconds").get<double>(), 0.0125) << r.out;  // >= 50 samples expected: the note can judge
  EXPECT_LT(res.at("samples_per_cpu_second").get<double>(), 1100.0) << r.out;
  EXPECT_NE(r.out.find("not the 4000 Hz asked for"), std::string::npos) << r.out;
}

TEST(CpuCli, WholeProgramThroughLdPreload) {
  auto dir = test::fresh_dir("cpu_cli_program");
  auto r = test::run_command(test::kprof_exe() + " cpu -q -o " + dir + " -- " + KPROF_CG_WORKLOAD + " 20000000");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  main\n"), std::string::npos) << r.out;     // the program's own function, symbolised
  EXPECT_NE(r.out.find("cg_workload"), std::string::npos) << r.out;  // a source line of the program
  std::ifstream in(dir + "/cpu.json");
  auto res = nlohmann::json::parse(in).at("sections").at("cpu").at("results").at(0);
  EXPECT_GT(res.at("cpu_seconds").get<double>(), 0.0);  // the child's CPU time, from wait4
}

// A program that execs (a wrapper script) is profiled after its exec: gperftools' timer survives
// exec and its handler does not, so the program was killed by SIGPROF (status 155, no profile).
// Its children's own profiles (<file>_<pid>) are not left behind.
TEST(CpuCli, AProgramThatExecsIsProfiledAfterTheExec) {
  auto dir = test::fresh_dir("cpu_cli_exec");
  const std::string wrapper = "sh -c 'i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; /bin/true; exec " +
                              std::string(KPROF_CG_WORKLOAD) + " 20000000'";
  auto r = test::run_command(test::kprof_exe() + " cpu -q -o " + dir + " -- " + wrapper);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("note: the program exec'd " + std::string(KPROF_CG_WORKLOAD) + "; the profile covers"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  main\n"), std::string::npos) << r.out;  // the exec'd program's own function
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

// A program that needs its own LD_PRELOAD still gets it: kprof's libraries come first, the
// user's follow (it was dropped before).
TEST(CpuCli, TheUsersOwnPreloadIsKept) {
  auto dir = test::fresh_dir("cpu_cli_preload");
  const std::string users = "/lib/x86_64-linux-gnu/libm.so.6";  // any library that exists
  const std::string program = "sh -c 'printf %s \"$LD_PRELOAD\" > " + dir + "/preload.txt; exec " +
                              std::string(KPROF_CG_WORKLOAD) + " 20000000'";
  auto r = test::run_command("LD_PRELOAD=" + users + " " + test::kprof_exe() + " cpu -q -o " + dir + " -- " + program);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir + "/preload.txt");
  const std::string preload((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(preload.find("libprofiler"), std::string::npos) << preload;
  EXPECT_NE(preload.find("libkprof_exec_guard"), std::string::npos) << preload;
  EXPECT_EQ(preload.substr(preload.size() - std::min(preload.size(), users.size() + 1)), ":" + users) << preload;
}

// The terminal report (stdout) and the Markdown report's cpu part (cpu.md after the environment
// that every report starts with), line by line: numbers are placeholders, and the rows below the
// kernel's own function and line depend on the machine ({repeat} lines).
TEST(CpuCli, TextAndMarkdownReportsMatchTheirGoldens) {
  auto dir = test::fresh_dir("cpu_cli_golden");
  auto r = test::run_command(test::kprof_exe() + " cpu dot/scalar -s 200000 --seconds 0.5 -q -o " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::match_golden(test::golden_file("cpu_kernel.txt"), r.out), "") << r.out;
  // The inclusive table starts at the kernel: none of kprof's driver (runner, CLI, main) above it.
  const std::string inclusive = r.out.substr(r.out.find("Functions by inclusive"));
  for (const char* driver : {"kprof::run_region", "kprof::cli::", "CLI::App", "  main\n", "__libc_start"})
    EXPECT_EQ(inclusive.substr(0, inclusive.find("Source lines")).find(driver), std::string::npos) << driver << "\n"
                                                                                                   << r.out;
  std::ifstream md(dir + "/cpu.md");
  std::string markdown((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  auto cpu_part = markdown.find("### cpu\n");
  ASSERT_NE(cpu_part, std::string::npos) << markdown;
  EXPECT_EQ(test::match_golden(test::golden_file("cpu_kernel.md"), markdown.substr(cpu_part)), "") << markdown;
}

// Two kprof cpu of one kernel into one folder at the same time: each has its own temporary profile
// (the fixed name made one fail with "cannot rename ... No such file"), and none is left behind.
TEST(CpuCli, TwoRunsIntoOneFolderDoNotCollide) {
  auto dir = test::fresh_dir("cpu_cli_concurrent");
  const std::string one = test::kprof_exe() + " cpu dot/scalar -s 20000 --seconds 0.5 -q -o " + dir + " >/dev/null";
  auto r = test::run_command(one + " & first=$!; " + one + "; second=$?; wait $first; echo \"$? $second\"");
  EXPECT_EQ(r.out, "0 0\n") << r.err;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << "temporary left: " << entry.path();
}

TEST(CpuCli, BadInputExitsWithTwo) {
  EXPECT_EQ(test::run_command(test::kprof_exe() + " cpu -- ./no-such-program-here").exit_code, 2);
  EXPECT_EQ(test::run_command(test::kprof_exe() + " cpu dot/nope").exit_code, 2);
}

}  // namespace
}  // namespace kprof
