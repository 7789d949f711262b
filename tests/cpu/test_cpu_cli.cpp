// `kprof cpu` end to end with the real gperftools profiler: a kernel's samples land in its own
// function, symbolised to source lines, and the Run section and callgrind file are written.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "kprof/reports/callgrind_reader.h"
#include "support/process.h"

namespace kprof {
namespace {

TEST(CpuCli, KernelSamplesLandInTheKernelFunction) {
  auto dir = test::fresh_dir("cpu_cli_kernel");
  auto r = test::run_command(test::kprof_exe() + " cpu dot/scalar -s 200000 --seconds 1 -q -o " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir + "/cpu.json");
  auto res = nlohmann::json::parse(in).at("sections").at("cpu").at("results").at(0);
  EXPECT_EQ(res.at("key"), "dot/scalar/f64/n=200000");
  std::int64_t samples = res.at("samples");
  // ~1 s of CPU at 1000 Hz; far fewer when the machine is busy (SIGPROF counts CPU time).
  ASSERT_GT(samples, 20) << r.out;
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

TEST(CpuCli, WholeProgramThroughLdPreload) {
  auto dir = test::fresh_dir("cpu_cli_program");
  auto r = test::run_command(test::kprof_exe() + " cpu -q -o " + dir + " -- " + KPROF_CG_WORKLOAD + " 20000000");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  main\n"), std::string::npos) << r.out;     // the program's own function, symbolised
  EXPECT_NE(r.out.find("cg_workload"), std::string::npos) << r.out;  // a source line of the program
}

TEST(CpuCli, BadInputExitsWithTwo) {
  EXPECT_EQ(test::run_command(test::kprof_exe() + " cpu -- ./no-such-program-here").exit_code, 2);
  EXPECT_EQ(test::run_command(test::kprof_exe() + " cpu dot/nope").exit_code, 2);
}

}  // namespace
}  // namespace kprof
