// The one symbolizer against code with known lines (fixture.cpp, -O2 -g) loaded in this process,
// from the module map both ways collectors record it: /proc/self/maps text (gperftools) and
// dl_iterate_phdr's load biases (the memory tracer).
#include <gtest/gtest.h>
#include <link.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "fixture.h"
#include "fixture_lines.h"
#include "symbolize.h"

namespace kprof {
namespace {

using symfix::ends_with;
using symfix::line_of;

std::vector<LoadedModule> modules_from_proc_maps() {
  std::ifstream in("/proc/self/maps");
  std::stringstream text;
  text << in.rdbuf();
  return modules_from_maps(parse_maps(text.str()));
}

// As the memory tracer records them: dl_iterate_phdr, the main program under /proc/self/exe.
std::vector<LoadedModule> modules_from_dl_iterate_phdr() {
  std::vector<LoadedModule> modules;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) {
        std::string path = info->dlpi_name ? info->dlpi_name : "";
        if (path.empty() && static_cast<std::vector<LoadedModule>*>(out)->empty()) {
          char exe[4096];
          ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
          if (n > 0) path.assign(exe, static_cast<std::size_t>(n));
        }
        if (!path.empty() && path[0] == '/')
          static_cast<std::vector<LoadedModule>*>(out)->push_back({path, info->dlpi_addr});
        return 0;
      },
      &modules);
  return modules;
}

std::uint64_t address_of(const void* p) { return reinterpret_cast<std::uint64_t>(p); }

TEST(Symbolize, FunctionFileAndLineOfANonInlinedFunction) {
  Symbolizer sym(modules_from_proc_maps());
  const auto& frames = sym.frames(address_of(reinterpret_cast<const void*>(&symfix::leaf)), AddressKind::pc);
  ASSERT_EQ(frames.size(), 1u);
  const Frame& f = frames[0];
  EXPECT_EQ(f.function, "symfix::leaf(int)");
  EXPECT_TRUE(ends_with(f.file, "tests/symbolize/fixture.cpp")) << f.file;
  EXPECT_EQ(f.line, line_of("LEAF_LINE"));
  EXPECT_TRUE(ends_with(f.module, "libkprof_symbolize_fixture.so")) << f.module;
  EXPECT_TRUE(ends_with(f.function_file, "tests/symbolize/fixture.cpp")) << f.function_file;
  EXPECT_EQ(f.function_offset, 0u);
  EXPECT_FALSE(f.inlined);
  EXPECT_EQ(frame_location(f), "fixture.cpp:" + std::to_string(line_of("LEAF_LINE")));
}

TEST(Symbolize, AReturnAddressMapsToTheCallsLine) {
  Symbolizer sym(modules_from_proc_maps());
  const auto& frames = sym.frames(address_of(symfix::calls_here()), AddressKind::return_address);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].function, "symfix::calls_here()");
  EXPECT_EQ(frames[0].line, line_of("PLAIN_CALL"));
  EXPECT_GT(frames[0].function_offset, 0u);
}

TEST(Symbolize, AnInlinedCallIsExpandedIntoTwoFrames) {
  Symbolizer sym(modules_from_proc_maps());
  const auto& frames = sym.frames(address_of(symfix::calls_inlined_helper()), AddressKind::return_address);
  ASSERT_EQ(frames.size(), 2u);
  // Innermost: the inlined helper at its own call of here().
  EXPECT_EQ(frames[0].function, "inlined_helper");
  EXPECT_TRUE(frames[0].inlined);
  EXPECT_TRUE(ends_with(frames[0].file, "fixture.cpp")) << frames[0].file;
  EXPECT_EQ(frames[0].line, line_of("INLINED_CALL"));
  // Then the function it was inlined into, at the line that called the helper.
  EXPECT_EQ(frames[1].function, "symfix::calls_inlined_helper()");
  EXPECT_FALSE(frames[1].inlined);
  EXPECT_TRUE(ends_with(frames[1].file, "fixture.cpp")) << frames[1].file;
  EXPECT_EQ(frames[1].line, line_of("OUTER_CALL"));
  EXPECT_EQ(frames[0].address, frames[1].address);
}

TEST(Symbolize, RuntimeCodeInlinedIntoTheProgramIsChargedToTheProgramsLine) {
  Symbolizer sym(modules_from_proc_maps());
  const auto& frames = sym.frames(address_of(symfix::calls_through_std_transform()), AddressKind::return_address);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_NE(frames[0].function.find("std::transform"), std::string::npos) << frames[0].function;
  EXPECT_TRUE(ends_with(frames[0].file, "stl_algo.h")) << frames[0].file;
  EXPECT_TRUE(is_inlined_runtime_frame(frames[0]));
  EXPECT_FALSE(is_inlined_runtime_frame(frames[1]));
  EXPECT_EQ(frames[1].function, "symfix::calls_through_std_transform()");
  EXPECT_EQ(frames[1].line, line_of("STD_CALL"));
}

TEST(Symbolize, CodeWithoutASymbolIsShownAsModulePlusOffset) {
  std::vector<LoadedModule> modules = modules_from_proc_maps();
  std::uint64_t address = address_of(stripped_hidden_address());
  Symbolizer sym(modules);
  const auto& frames = sym.frames(address, AddressKind::pc);
  ASSERT_EQ(frames.size(), 1u);
  const Frame& f = frames[0];
  EXPECT_TRUE(ends_with(f.module, "libkprof_symbolize_stripped.so")) << f.module;
  EXPECT_TRUE(f.file.empty()) << f.file;
  std::uint64_t bias = 0;
  for (const auto& m : modules)
    if (m.path == f.module) bias = m.bias;
  char expected[128];
  std::snprintf(expected, sizeof expected, "libkprof_symbolize_stripped.so+0x%llx",
                static_cast<unsigned long long>(address - bias));
  EXPECT_EQ(f.function, expected);
  EXPECT_EQ(frame_location(f), expected);
  EXPECT_EQ(f.module_offset, address - bias);
}

TEST(Symbolize, AnAddressOutsideEveryModuleIsNamedAsUnmapped) {
  Symbolizer sym(std::vector<LoadedModule>{});
  const auto& frames = sym.frames(0x1234, AddressKind::return_address);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].function, "[unmapped]+0x1233");  // the call instruction: address - 1
  EXPECT_EQ(frames[0].address, 0x1234u);
}

TEST(Symbolize, MapsTextAndLoadBiasesGiveTheSameFrames) {
  Symbolizer from_maps(modules_from_proc_maps());
  Symbolizer from_phdr;
  for (const auto& m : modules_from_dl_iterate_phdr()) from_phdr.add_module(m, 3);
  std::uint64_t ret = address_of(symfix::calls_inlined_helper());
  const auto& a = from_maps.frames(ret, AddressKind::return_address);
  const auto& b = from_phdr.frames(ret, AddressKind::return_address, 3);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].function, b[i].function);
    EXPECT_EQ(a[i].file, b[i].file);
    EXPECT_EQ(a[i].line, b[i].line);
    EXPECT_EQ(a[i].module_offset, b[i].module_offset);
  }
  // A stack recorded at an epoch with no map of its own is looked up in the others.
  EXPECT_EQ(from_phdr.frames(ret, AddressKind::return_address, 0).back().line, line_of("OUTER_CALL"));
}

TEST(Symbolize, FramesShowTheirLocationOneWay) {
  Frame f;
  f.function = "dgemm_kernel";
  f.module = "/usr/lib/libopenblas.so.0";
  f.module_offset = 0x1234;
  f.function_offset = 0x10;
  EXPECT_EQ(frame_location(f), "dgemm_kernel+0x10 (libopenblas.so.0)");
  f.file = "/src/kernel.cpp";
  f.line = 42;
  EXPECT_EQ(frame_location(f), "kernel.cpp:42");
}

TEST(Symbolize, OneFunctionHasOneBareNameWhicheverProfilerNamedIt) {
  EXPECT_EQ(bare_function_name(
                "void kprof::targets::nmf::plain::nls_scalar<double>(kprof::targets::nmf::NmfProblem<double>&)"),
            "nls_scalar");
  EXPECT_EQ(bare_function_name("nls_scalar<double>"), "nls_scalar");  // an inlined frame's DWARF name
  EXPECT_EQ(bare_function_name("nls_scalar"), "nls_scalar");          // a line marker's
  EXPECT_EQ(bare_function_name("double kprof::targets::dot_avx2<double>(double const*, double const*, long)"),
            "dot_avx2");
  EXPECT_EQ(bare_function_name("ns::Outer<int, std::vector<int> >::method(int) const"), "method");
  EXPECT_EQ(bare_function_name("kprof::targets::nmf::kprof_family_nmf::{lambda(auto:1&)#4}::operator()(auto:1&) const"),
            "operator()");
  EXPECT_EQ(bare_function_name("operator()<kprof::targets::nmf::NmfProblem<double> >"), "operator()");
  EXPECT_EQ(bare_function_name("libfoo.so+0x1234"), "libfoo.so+0x1234");
}

TEST(Symbolize, OnlyRuntimeCodeInlinedIntoAnotherFrameIsLeftOutOfCpuStacks) {
  Frame intrinsic{.function = "_mm256_fmadd_pd",
                  .file = "/usr/lib/gcc/x86_64-linux-gnu/12/include/fmaintrin.h",
                  .line = 65,
                  .module = "/work/kprof",
                  .inlined = true};
  Frame std_call{.function = "std::inner_product",
                 .file = "/usr/include/c++/12/bits/stl_numeric.h",
                 .line = 9,
                 .module = "/work/kprof",
                 .inlined = true};
  Frame helper{.function = "fma", .file = "/work/targets/simd.h", .line = 3, .module = "/work/kprof", .inlined = true};
  Frame kernel{.function = "dot_avx2", .file = "/work/targets/dot.cpp", .line = 30, .module = "/work/kprof"};
  EXPECT_TRUE(is_inlined_runtime_frame(intrinsic));
  EXPECT_TRUE(is_inlined_runtime_frame(std_call));
  EXPECT_FALSE(is_inlined_runtime_frame(helper));  // the program's own inlined code is a frame
  EXPECT_FALSE(is_inlined_runtime_frame(kernel));
  Frame libc{.function = "memcpy", .module = "/usr/lib/x86_64-linux-gnu/libc.so.6"};
  EXPECT_TRUE(is_runtime_frame(libc));
  EXPECT_FALSE(is_inlined_runtime_frame(libc));  // compiled on its own: where the time went
  Frame tracer{.function = "malloc", .module = "/opt/kprof/lib/libkprof_memory_preload.so"};
  EXPECT_TRUE(is_runtime_frame(tracer));
  EXPECT_FALSE(is_runtime_frame(kernel));
}

}  // namespace
}  // namespace kprof
