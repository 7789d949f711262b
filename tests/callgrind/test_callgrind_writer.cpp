// The callgrind-format writer: compressed names, relative positions, and files that valgrind's
// own callgrind_annotate reads back with the same totals.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "kprof/errors.h"
#include "kprof/reports/callgrind_writer.h"
#include "support/process.h"

namespace kprof {
namespace {

CallgrindProfile sample_profile() {
  CallgrindProfile p;
  p.command = "kprof test";
  p.events = {"Ir", "Dr"};
  p.event_names = {"Instruction Fetch", "Data Read Access"};
  p.instr_positions = true;
  auto& main_fn = p.function("/bin/app", "/src/app.cpp", "main");
  main_fn.add_cost(10, {5, 1}, 0x1000);
  main_fn.add_cost(11, {7, 2}, 0x1004);
  main_fn.add_cost(11, {1, 0}, 0x1008);
  auto& call = main_fn.add_call("/src/kernel.cpp", "kernel", 3, {600, 90}, 12, 0x100c);
  call.target_address = 0x2000;
  call.target_line = 20;
  auto& kernel = p.function("/bin/app", "/src/kernel.cpp", "kernel");
  kernel.add_cost(21, {400, 60}, 0x2000);
  std::uint32_t inl = kernel.file_index("/src/inline.h");
  kernel.add_cost(5, {200, 30}, 0x2010, inl);
  return p;
}

TEST(CallgrindWriter, CompressesNamesAndPositions) {
  std::string text = write_callgrind(sample_profile());
  EXPECT_NE(text.find("events: Ir Dr\n"), std::string::npos) << text;
  EXPECT_NE(text.find("positions: instr line\n"), std::string::npos);
  EXPECT_NE(text.find("fn=(1) main\n"), std::string::npos);
  EXPECT_NE(text.find("cfn=(2) kernel\n"), std::string::npos);
  EXPECT_NE(text.find("fn=(2)\n"), std::string::npos) << "second mention of kernel is compressed";
  EXPECT_NE(text.find("0x1000 10 5 1\n+4 +1 7 2\n+4 * 1 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fi=(3) /src/inline.h\n"), std::string::npos);
  EXPECT_NE(text.find("calls=3 0x2000 20\n0x100c 12 600 90\n"), std::string::npos);
  EXPECT_NE(text.find("totals: 613 93\n"), std::string::npos);
}

TEST(CallgrindWriter, RejectsInconsistentModels) {
  CallgrindProfile p;
  EXPECT_THROW(write_callgrind(p), UsageError);
  p.events = {"Ir"};
  p.function("", "a.cpp", "f").add_cost(1, {1, 2});
  EXPECT_THROW(write_callgrind(p), UsageError);
}

TEST(CallgrindWriter, CallgrindAnnotateReadsItBack) {
  auto dir = test::fresh_dir("callgrind_writer");
  auto path = std::filesystem::path(dir) / "callgrind.out.sample";
  write_callgrind_file(path, sample_profile());
  auto r = test::run_command("callgrind_annotate --threshold=100 " + path.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("malformed"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("613"), std::string::npos) << r.out;  // total Ir
  EXPECT_NE(r.out.find("/src/app.cpp:main"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/src/kernel.cpp:kernel"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/src/inline.h:kernel"), std::string::npos) << r.out;
  // Self cost of main is 13 Ir; kernel's is 400 (+200 attributed to the inlined header).
  EXPECT_NE(r.out.find("13 ( 2.12%)"), std::string::npos) << r.out;
  // With --inclusive=yes the call's 600 Ir are added to main: 613.
  auto inc = test::run_command("callgrind_annotate --inclusive=yes --threshold=100 " + path.string());
  ASSERT_EQ(inc.exit_code, 0) << inc.err;
  EXPECT_NE(inc.out.find("613 (100.0%)"), std::string::npos) << inc.out;
}

}  // namespace
}  // namespace kprof
