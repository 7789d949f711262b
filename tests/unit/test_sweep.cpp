// Sweep ranges: what every spec form expands to (golden: tests/golden/sweep_ranges.txt), and the
// bad ranges refused with the problem named before anything runs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kprof/errors.h"
#include "kprof/sweep.h"
#include "support/golden.h"

namespace kprof {
namespace {

std::string expansion(const std::string& spec) {
  std::string line = spec + " ->";
  try {
    for (const std::string& point : expand_size_spec(spec)) line += " [" + point + "]";
  } catch (const UsageError& e) {
    line += " error: " + std::string(e.what());
  }
  return line + "\n";
}

TEST(Sweep, SpecFormsExpandAsDocumented) {
  const std::vector<std::string> specs = {
      "1024", "512x64,chunk=128", "n=1000,d=64", "n=64..1024:*2", "n=0..1000:+250", "n=10..40:10", "n=100,1000,10000",
      "n=64..256:*2,d=8,16", "1024,2048", "64..256:*2,chunk=16", "512x64,1024x32", "n=100..1000:*3", "n=7..7",
      // refused
      "n=5..1", "n=1..10:*1", "n=0..10:*2", "n=1..10:+0", "n=a..b", "n=,3", "n=1..5:", "n=1..1000000000"};
  std::string actual;
  for (const std::string& spec : specs) actual += expansion(spec);
  EXPECT_EQ(test::match_golden(test::golden_file("sweep_ranges.txt"), actual), "") << actual;
}

TEST(Sweep, ThreadListsAndTheirLimit) {
  EXPECT_EQ(parse_thread_list("4", 8), (std::vector<int>{4}));
  EXPECT_EQ(parse_thread_list("1..4", 8), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(parse_thread_list("1,2,4", 8), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(parse_thread_list("1..8:*2", 8), (std::vector<int>{1, 2, 4, 8}));
  EXPECT_THROW(parse_thread_list("1..9", 8), UsageError);
  EXPECT_THROW(parse_thread_list("0", 8), UsageError);
  EXPECT_THROW(parse_thread_list("4..2", 8), UsageError);
}

TEST(Sweep, ALargeSweepNeedsYes) {
  EXPECT_NO_THROW(check_sweep_size(200, 200, false));
  EXPECT_THROW(check_sweep_size(201, 200, false), UsageError);
  EXPECT_NO_THROW(check_sweep_size(201, 200, true));
}

}  // namespace
}  // namespace kprof
