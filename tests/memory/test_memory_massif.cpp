// Peak and totals equal massif's (--heap-admin=0, exact peaks, no freeres at exit) on the same
// program. Needs valgrind.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "memory_test_util.h"

namespace kprof::test {
namespace {

struct MassifFigures {
  std::uint64_t peak = 0, final_heap = 0;
  std::uint64_t top_site_bytes = 0;  // the first child of the peak snapshot's tree
  int top_site_line = 0;
};

MassifFigures read_massif(const std::string& path) {
  MassifFigures m;
  std::ifstream in(path);
  bool in_peak_tree = false;
  const std::regex child(R"(^ n\d+: (\d+) 0x[0-9A-Fa-f]+: .*:(\d+)\)$)");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("mem_heap_B=", 0) == 0) {
      std::uint64_t heap = std::stoull(line.substr(11));
      m.peak = std::max(m.peak, heap);
      m.final_heap = heap;
    }
    if (line.rfind("heap_tree=", 0) == 0) in_peak_tree = line == "heap_tree=peak";
    std::smatch match;
    if (in_peak_tree && m.top_site_bytes == 0 && std::regex_match(line, match, child)) {
      m.top_site_bytes = std::stoull(match[1]);
      m.top_site_line = std::stoi(match[2]);
    }
  }
  return m;
}

void compare_with_massif(const std::string& name, const std::string& exe) {
  std::string dir = fresh_dir("memory-massif-" + name);
  std::string out = dir + "/massif.out";
  ProcessResult valgrind = run_command(
      "valgrind --tool=massif --heap-admin=0 --peak-inaccuracy=0 --time-unit=B --detailed-freq=1000000 "
      "--run-libc-freeres=no --run-cxx-freeres=no --massif-out-file='" +
      out + "' " + exe);
  ASSERT_EQ(valgrind.exit_code, 0) << valgrind.err;
  MassifFigures massif = read_massif(out);
  ASSERT_GT(massif.peak, 0u);

  MemRun r = kprof_mem_program("massif-kprof-" + name, exe);
  ASSERT_EQ(r.process.exit_code, 0) << r.process.err;
  EXPECT_EQ(r.result["peak_bytes"].get<std::uint64_t>(), massif.peak);
  EXPECT_EQ(r.result["leaked_bytes"].get<std::uint64_t>(), massif.final_heap);
  // The largest holder at the peak: same bytes, same line. (massif's time unit B includes the
  // allocator's slop even with --heap-admin=0, so times are not compared.)
  ASSERT_GT(massif.top_site_bytes, 0u);
  std::uint64_t top_bytes = 0;
  int top_line = 0;
  for (const auto& site : r.result["top_sites"])
    if (site["peak_bytes"].get<std::uint64_t>() > top_bytes) {
      top_bytes = site["peak_bytes"];
      top_line = site["line"];
    }
  EXPECT_EQ(top_bytes, massif.top_site_bytes);
  EXPECT_EQ(top_line, massif.top_site_line);
}

TEST(MemoryVsMassif, MixedPattern) { compare_with_massif("pattern", program("mem_massif_pattern")); }
TEST(MemoryVsMassif, ReallocChain) { compare_with_massif("realloc", program("mem_realloc_chain")); }

}  // namespace
}  // namespace kprof::test
