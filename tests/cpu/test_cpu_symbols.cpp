// gperftools samples to per-function and per-line costs (cpu_profile_to_callgrind): samples taken
// in this process's own code (tests/symbolize/fixture.cpp), with this process's maps as the
// profile's, so that the file, line and inlining of every sampled address are known.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "cpu_profiler.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "symbolize/fixture.h"
#include "symbolize/fixture_lines.h"

namespace kprof {
namespace {

using symfix::ends_with;
using symfix::line_of;

GperfProfile profile_of_this_process(std::vector<GperfSample> samples) {
  GperfProfile p;
  p.period_us = 1000;
  p.samples = std::move(samples);
  std::ifstream in("/proc/self/maps");
  std::stringstream maps;
  maps << in.rdbuf();
  p.maps = parse_maps(maps.str());
  return p;
}

// A sampled PC inside the call instruction that returns to `return_address`.
std::uint64_t pc_at_call(void* return_address) { return reinterpret_cast<std::uint64_t>(return_address) - 1; }

const HotFunction* function_named(const Hotspots& h, const std::string& name) {
  for (const auto& f : h.functions)
    if (f.name == name) return &f;
  return nullptr;
}

TEST(CpuSymbols, SamplesInInlinedStdCodeCountForTheProgramsLine) {
  std::uint64_t pc = pc_at_call(symfix::calls_through_std_transform());
  CallgrindProfile p = cpu_profile_to_callgrind(profile_of_this_process({{7, {pc}}}), "test");
  Hotspots h = compute_hotspots(p);
  ASSERT_FALSE(h.lines.empty());
  EXPECT_TRUE(ends_with(h.lines[0].file, "fixture.cpp")) << h.lines[0].file;
  EXPECT_EQ(h.lines[0].line, line_of("STD_CALL"));
  EXPECT_EQ(h.lines[0].self[0], 7);
  EXPECT_EQ(h.functions[0].name, "symfix::calls_through_std_transform()");
  EXPECT_EQ(h.functions[0].self[0], 7);
  for (const auto& f : h.functions) EXPECT_EQ(f.name.find("std::transform"), std::string::npos) << f.name;
}

TEST(CpuSymbols, AnInlinedFunctionOfTheProgramIsAFunctionOfItsOwn) {
  std::uint64_t pc = pc_at_call(symfix::calls_inlined_helper());
  CallgrindProfile p = cpu_profile_to_callgrind(profile_of_this_process({{3, {pc}}}), "test");
  Hotspots h = compute_hotspots(p);
  const HotFunction* helper = function_named(h, "inlined_helper");
  const HotFunction* caller = function_named(h, "symfix::calls_inlined_helper()");
  ASSERT_NE(helper, nullptr);
  ASSERT_NE(caller, nullptr);
  EXPECT_EQ(helper->self[0], 3);
  EXPECT_EQ(caller->self[0], 0);
  EXPECT_EQ(caller->inclusive[0], 3);  // through its call of the inlined helper
  EXPECT_EQ(h.lines[0].line, line_of("INLINED_CALL"));
}

TEST(CpuSymbols, CallersAreLookedUpAtTheirCallsLine) {
  // A two-frame stack: the sampled PC in leaf(), called from calls_here()'s call (its return address).
  std::uint64_t leaf = reinterpret_cast<std::uint64_t>(&symfix::leaf);
  std::uint64_t ret = reinterpret_cast<std::uint64_t>(symfix::calls_here());
  CallgrindProfile p = cpu_profile_to_callgrind(profile_of_this_process({{5, {leaf, ret}}}), "test");
  Hotspots h = compute_hotspots(p);
  const HotFunction* caller = function_named(h, "symfix::calls_here()");
  ASSERT_NE(caller, nullptr);
  EXPECT_EQ(caller->inclusive[0], 5);
  const CallgrindFunction* fn = nullptr;
  for (const auto& f : p.functions)
    if (f.name == "symfix::calls_here()") fn = &f;
  ASSERT_NE(fn, nullptr);
  ASSERT_EQ(fn->calls.size(), 1u);
  EXPECT_EQ(fn->calls[0].callee_name, "symfix::leaf(int)");
  EXPECT_EQ(fn->calls[0].line, line_of("PLAIN_CALL"));
}

}  // namespace
}  // namespace kprof
