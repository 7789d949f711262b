// Flame graphs from callgrind-format call graphs (reports/html/src/flame.h): the unfolding along
// call edges, kprof's driver frames hidden, recursion counted once, small frames folded into their caller.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "flame.h"
#include "kprof/frame.h"

namespace kprof::html {
namespace {

// frames by name: (parent name, self, inclusive computed from the children)
struct Frame {
  std::string parent;
  double self = 0;
};

std::map<std::string, Frame> frames_by_name(const nlohmann::json& graph) {
  std::map<std::size_t, std::string> names;
  std::map<std::string, Frame> out;
  for (const auto& f : graph["frames"]) {
    names[f["id"].get<std::size_t>()] = f["name"].get<std::string>();
    const std::string parent = f["parent"].is_null() ? "" : names.at(f["parent"].get<std::size_t>());
    EXPECT_EQ(out.count(f["name"].get<std::string>()), 0u) << "one frame per function here";
    out[f["name"].get<std::string>()] = {parent, f["self"].get<double>()};
  }
  return out;
}

// main -> kprof::run_region -> std::function glue -> user_kernel -> {dot 600, axpy 300}, user_kernel self 100;
// kprof::run_region self 50 (the timing loop).
CallgrindProfile region_profile() {
  CallgrindProfile p;
  p.events = {"Ir"};
  auto& main_fn = p.function("kprof", "main.cpp", "main");
  main_fn.add_call("", "kprof::run_region(kprof::Region&)", 1, {1050});
  auto& region = p.function("kprof", "runner.cpp", "kprof::run_region(kprof::Region&)");
  region.add_cost(10, {50});
  region.add_call("", "std::_Function_handler<void (), lambda>::_M_invoke(std::_Any_data const&)", 4, {1000});
  auto& glue =
      p.function("kprof", "functional", "std::_Function_handler<void (), lambda>::_M_invoke(std::_Any_data const&)");
  glue.add_call("", "user_kernel(double*)", 4, {1000});
  auto& kernel = p.function("kprof", "kernel.cpp", "user_kernel(double*)");
  kernel.add_cost(3, {100});
  kernel.add_call("", "dot", 4, {600}).callee_object = "libopenblas.so.0";
  kernel.add_call("", "axpy", 4, {300}).callee_object = "libopenblas.so.0";
  p.function("libopenblas.so.0", "", "dot").add_cost(0, {600});
  p.function("libopenblas.so.0", "", "axpy").add_cost(0, {300});
  return p;
}

TEST(Flame, DriverFramesAreHiddenAndTheUsersCodeStartsTheGraph) {
  const auto graph = flame_graph(region_profile(), "gemm/scalar");
  EXPECT_EQ(graph["event"], "Ir");
  EXPECT_DOUBLE_EQ(graph["total"].get<double>(), 1050);
  const auto frames = frames_by_name(graph);
  ASSERT_EQ(frames.size(), 4u);  // root, user_kernel, dot, axpy
  EXPECT_EQ(frames.at("gemm/scalar").parent, "");
  EXPECT_DOUBLE_EQ(frames.at("gemm/scalar").self, 50);  // the driver's own cost stays in the root
  EXPECT_EQ(frames.at("user_kernel(double*)").parent, "gemm/scalar");
  EXPECT_DOUBLE_EQ(frames.at("user_kernel(double*)").self, 100);
  EXPECT_EQ(frames.at("dot").parent, "user_kernel(double*)");
  EXPECT_DOUBLE_EQ(frames.at("dot").self, 600);
  EXPECT_DOUBLE_EQ(frames.at("axpy").self, 300);
  EXPECT_EQ(graph["frames"][1]["name"], "user_kernel(double*)");
  EXPECT_EQ(graph["frames"][2]["name"], "dot") << "the heaviest callee first";
  EXPECT_EQ(graph["frames"][2]["module"], "libopenblas.so.0");
}

TEST(Flame, ACalleeOfTwoCallersIsSharedInProportion) {
  CallgrindProfile p;
  p.events = {"Ir"};
  auto& root = p.function("a.out", "m.cpp", "solve");
  root.add_call("", "step_a", 1, {400});
  root.add_call("", "step_b", 1, {200});
  auto& a = p.function("a.out", "m.cpp", "step_a");
  a.add_call("", "helper", 1, {400});
  auto& b = p.function("a.out", "m.cpp", "step_b");
  b.add_cost(1, {100});
  b.add_call("", "helper", 1, {100});
  auto& helper = p.function("a.out", "m.cpp", "helper");
  helper.add_cost(2, {100});
  helper.add_call("", "leaf", 1, {400});
  p.function("a.out", "m.cpp", "leaf").add_cost(3, {400});
  const auto graph = flame_graph(p, "root");
  double leaf_total = 0, helper_self = 0;
  int helpers = 0;
  for (const auto& f : graph["frames"]) {
    if (f["name"] == "leaf") leaf_total += f["self"].get<double>();
    if (f["name"] == "helper") helper_self += f["self"].get<double>(), ++helpers;
  }
  EXPECT_EQ(helpers, 2) << "helper appears under each caller";
  EXPECT_NEAR(leaf_total, 400, 1e-9);
  EXPECT_NEAR(helper_self, 100, 1e-9);
}

TEST(Flame, RecursionIsCountedOnceAndTinyFramesAreFolded) {
  CallgrindProfile p;
  p.events = {"Ir"};
  auto& f = p.function("a.out", "r.cpp", "fib");
  f.add_cost(1, {1000});
  f.add_call("", "fib", 10, {500});  // recursion: callgrind's inclusive cost of the self-call
  f.add_call("", "tiny", 1, {1});    // 1 of 1001: below the 0.2% default
  p.function("a.out", "r.cpp", "tiny").add_cost(2, {1});
  const auto graph = flame_graph(p, "root");
  const auto frames = frames_by_name(graph);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_DOUBLE_EQ(frames.at("fib").self, 1001) << "the self-call counted once, tiny folded in";
  EXPECT_DOUBLE_EQ(graph["total"].get<double>(), 1001);
}

TEST(Flame, DriverFrameRule) {
  EXPECT_TRUE(is_driver_frame("kprof::run_region(kprof::RegionHooks const&)"));
  EXPECT_TRUE(is_driver_frame("main"));
  EXPECT_TRUE(is_driver_frame("__libc_start_call_main"));
  EXPECT_FALSE(is_driver_frame("kprof::targets::nmf::nmf_scalar<double>(kprof::targets::nmf::Problem<double>&)"));
  EXPECT_FALSE(is_driver_frame("dgemm_kernel_SKYLAKEX"));
  EXPECT_FALSE(is_driver_frame("mainly_user_code"));
}

// The same region before and after a change: dot got cheaper (600 -> 200 Ir in 4 calls), axpy went
// away, scal is new (50). The base ran 4 calls, the current 2: compared per call.
TEST(FlameDiff, FramesCarryTheirCostPerCallBeforeAndNow) {
  CallgrindProfile now;
  now.events = {"Ir"};
  auto& kernel = now.function("kprof", "kernel.cpp", "user_kernel(double*)");
  kernel.add_cost(3, {50});
  kernel.add_call("", "dot", 2, {100}).callee_object = "libopenblas.so.0";
  kernel.add_call("", "scal", 2, {25}).callee_object = "libopenblas.so.0";
  now.function("libopenblas.so.0", "", "dot").add_cost(0, {100});
  now.function("libopenblas.so.0", "", "scal").add_cost(0, {25});

  auto base_graph = flame_graph(region_profile(), "base", {.min_share = 0});
  auto now_graph = flame_graph(now, "now", {.min_share = 0});
  auto diff = differential_flame(base_graph, 4, now_graph, 2, "base -> now");
  std::map<std::string, nlohmann::json> by_name;
  for (const auto& f : diff["frames"]) by_name[f["name"].get<std::string>()] = f;
  ASSERT_EQ(by_name.count("base -> now"), 1u);
  EXPECT_DOUBLE_EQ(by_name["base -> now"]["base"].get<double>(), 1050.0 / 4);  // the whole region per call
  EXPECT_DOUBLE_EQ(by_name["base -> now"]["now"].get<double>(), 175.0 / 2);
  EXPECT_DOUBLE_EQ(by_name["user_kernel(double*)"]["base"].get<double>(), 1000.0 / 4);
  EXPECT_DOUBLE_EQ(by_name["dot"]["base"].get<double>(), 600.0 / 4);
  EXPECT_DOUBLE_EQ(by_name["dot"]["now"].get<double>(), 100.0 / 2);
  EXPECT_DOUBLE_EQ(by_name["dot"]["self"].get<double>(), 100.0 / 2);  // laid out per call too
  EXPECT_DOUBLE_EQ(by_name["scal"]["base"].get<double>(), 0.0);       // new
  ASSERT_EQ(diff["gone"].size(), 1u);
  EXPECT_EQ(diff["gone"][0]["name"], "axpy");
  EXPECT_DOUBLE_EQ(diff["gone"][0]["base"].get<double>(), 300.0 / 4);
  EXPECT_DOUBLE_EQ(diff["total"].get<double>(), 175.0 / 2);
  EXPECT_DOUBLE_EQ(diff["base_total"].get<double>(), 1050.0 / 4);
}

}  // namespace
}  // namespace kprof::html
