// The speedscope writer on hand-built stacks: frames shared by (function, file, line), each
// sample's frames outermost first, weights per profile adding up to endValue, units, the profiles
// chosen and named, an empty profile, and the file written atomically.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "kprof/errors.h"
#include "kprof/reports/speedscope.h"
#include "kprof/reports/stack_samples.h"
#include "support/process.h"

namespace kprof {
namespace {

Frame frame(const std::string& function, const std::string& file, int line, std::uint64_t address) {
  Frame f;
  f.function = function;
  f.file = file;
  f.line = line;
  f.address = address;
  f.module = "/bin/prog";
  return f;
}

// main -> outer -> inner (innermost first, as kprof's stacks are), plus inner at a second address
// of the same line, and a frame without line information.
StackSamples three_types() {
  StackSamples s({{"cpu", "nanoseconds"}, {"alloc_space", "bytes"}, {"samples", "count"}}, {"cpu", "nanoseconds"},
                 1000);
  const Frame main_f = frame("main", "main.cpp", 5, 0x10);
  const Frame outer = frame("outer(int)", "k.cpp", 20, 0x20);
  s.add({frame("inner", "k.cpp", 30, 0x30), outer, main_f}, {3000, 64, 3});
  s.add({frame("inner", "k.cpp", 30, 0x34), outer, main_f}, {2000, 0, 2});  // same line, other address
  s.add({frame("libfoo.so+0x99", "", 0, 0x99), main_f}, {0, 128, 0});
  s.add({}, {7, 7, 7});  // an empty stack is no sample
  return s;
}

TEST(StackSamples, EqualFramesShareOneIndex) {
  const StackSamples s = three_types();
  EXPECT_EQ(s.samples().size(), 3u);
  EXPECT_EQ(s.frames().size(), 5u);  // inner twice (two addresses), outer, main, libfoo
  EXPECT_EQ(s.samples()[0].stack[1], s.samples()[1].stack[1]);
  EXPECT_EQ(s.samples()[0].stack[2], s.samples()[2].stack[1]);
  EXPECT_EQ(s.total(s.type_index("cpu")), 5000);
  EXPECT_THROW(s.type_index("inuse_space"), std::out_of_range);
}

TEST(Speedscope, FramesSharedOutermostFirstWeightsAddUp) {
  const nlohmann::json j = speedscope_json(three_types(), {}, "cpu.x");
  EXPECT_EQ(j["$schema"], "https://www.speedscope.app/file-format-schema.json");
  EXPECT_EQ(j["name"], "cpu.x");
  const nlohmann::json& frames = j["shared"]["frames"];
  ASSERT_EQ(frames.size(), 4u) << frames;  // inner's two addresses are one speedscope frame
  EXPECT_EQ(frames[0], (nlohmann::json{{"name", "inner"}, {"file", "k.cpp"}, {"line", 30}}));
  EXPECT_EQ(frames[3], (nlohmann::json{{"name", "libfoo.so+0x99"}}));  // no file, no line
  ASSERT_EQ(j["profiles"].size(), 3u);
  const nlohmann::json& cpu = j["profiles"][0];
  EXPECT_EQ(cpu["type"], "sampled");
  EXPECT_EQ(cpu["name"], "cpu");
  EXPECT_EQ(cpu["unit"], "nanoseconds");
  // main, outer, inner: outermost first; the libfoo sample has no CPU time and is left out.
  EXPECT_EQ(cpu["samples"], (nlohmann::json{{2, 1, 0}, {2, 1, 0}}));
  EXPECT_EQ(cpu["weights"], (nlohmann::json{3000, 2000}));
  EXPECT_EQ(cpu["startValue"], 0);
  EXPECT_EQ(cpu["endValue"], 5000);
  const nlohmann::json& bytes = j["profiles"][1];
  EXPECT_EQ(bytes["unit"], "bytes");
  EXPECT_EQ(bytes["samples"], (nlohmann::json{{2, 1, 0}, {2, 3}}));
  EXPECT_EQ(bytes["weights"], (nlohmann::json{64, 128}));
  EXPECT_EQ(bytes["endValue"], 192);
  EXPECT_EQ(j["profiles"][2]["unit"], "none");  // a count
  EXPECT_EQ(j["profiles"][2]["endValue"], 5);
}

TEST(Speedscope, ProfilesChosenAndNamed) {
  const nlohmann::json j =
      speedscope_json(three_types(), {{"alloc_space", "alloc_space"}, {"cpu", "cpu time"}}, "mem.x");
  ASSERT_EQ(j["profiles"].size(), 2u);
  EXPECT_EQ(j["profiles"][0]["name"], "alloc_space");
  EXPECT_EQ(j["profiles"][0]["endValue"], 192);
  EXPECT_EQ(j["profiles"][1]["name"], "cpu time");
  EXPECT_THROW(speedscope_json(three_types(), {{"inuse_space", "x"}}, "mem.x"), std::out_of_range);
}

TEST(Speedscope, EmptyProfile) {
  const StackSamples empty({{"Ir", "count"}}, {"Ir", "count"}, 1);
  const nlohmann::json j = speedscope_json(empty, {}, "callgrind.x");
  EXPECT_EQ(j["shared"]["frames"], nlohmann::json::array());
  ASSERT_EQ(j["profiles"].size(), 1u);
  EXPECT_EQ(j["profiles"][0]["samples"], nlohmann::json::array());
  EXPECT_EQ(j["profiles"][0]["weights"], nlohmann::json::array());
  EXPECT_EQ(j["profiles"][0]["startValue"], 0);
  EXPECT_EQ(j["profiles"][0]["endValue"], 0);
}

TEST(Speedscope, WrittenAtomicallyOrRefused) {
  const std::string dir = test::fresh_dir("speedscope_writer");
  const std::filesystem::path file = std::filesystem::path(dir) / "cpu.x.speedscope.json";
  write_speedscope_file(file, three_types(), {}, "cpu.x");
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(file)), speedscope_json(three_types(), {}, "cpu.x"));
  EXPECT_THROW(write_speedscope_file(std::filesystem::path(dir) / "missing" / "x.json", three_types(), {}, "x"),
               UsageError);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator{}), 1);
}

}  // namespace
}  // namespace kprof
