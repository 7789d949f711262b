// Off means free: marked_code.cpp compiled without KPROF_INSTRUMENT has no marker code at all —
// no kprof::lines symbol, no site record, no clock read — while the instrumented object of the
// same file has all three (so the check can fail).
#include <gtest/gtest.h>

#include "kprof/lines.h"
#include "support/process.h"

namespace {

std::string symbols(const char* object) {
  auto r = kprof::test::run_command(std::string("nm -C ") + object);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::string disassembly(const char* object) {
  auto r = kprof::test::run_command(std::string("objdump -d --no-show-raw-insn ") + object);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(LinesDisabled, BinaryWithoutMarkedCodeKnowsIt) {
  EXPECT_FALSE(kprof::lines::binary_is_instrumented());  // this test links no instrumented object
}

TEST(LinesDisabled, InstrumentedObjectHasMarkerCode) {
  std::string nm = symbols(LINES_OBJECT_ON);
  EXPECT_NE(nm.find("kprof::lines::"), std::string::npos) << nm;
  EXPECT_NE(nm.find("kprof_lines_"), std::string::npos) << nm;  // the static site records
  EXPECT_NE(disassembly(LINES_OBJECT_ON).find("rdtsc"), std::string::npos);
}

TEST(LinesDisabled, DisabledObjectHasNoMarkerCode) {
  std::string nm = symbols(LINES_OBJECT_OFF);
  EXPECT_EQ(nm.find("kprof::lines::"), std::string::npos) << nm;
  EXPECT_EQ(nm.find("kprof_lines_"), std::string::npos) << nm;
  EXPECT_EQ(disassembly(LINES_OBJECT_OFF).find("rdtsc"), std::string::npos);
}

}  // namespace
