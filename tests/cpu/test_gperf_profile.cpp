// The gperftools profile reader: the documented binary layout, maps, and truncated files.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "gperf_profile.h"
#include "kprof/errors.h"

namespace kprof {
namespace {

std::string words(const std::vector<std::uint64_t>& w) {
  std::string s(w.size() * 8, '\0');
  std::memcpy(s.data(), w.data(), s.size());
  return s;
}

TEST(GperfProfile, ReadsHeaderSamplesTrailerAndMaps) {
  std::string bytes = words({0, 3, 0, 1000, 0, 7, 2, 0x401000, 0x402000, 3, 1, 0x401010, 0, 1, 0}) +
                      "00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/app\n"
                      "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 \n";
  GperfProfile p = read_gperf_profile(bytes);
  EXPECT_EQ(p.period_us, 1000u);
  ASSERT_EQ(p.samples.size(), 2u);
  EXPECT_EQ(p.samples[0].count, 7u);
  EXPECT_EQ(p.samples[0].pcs, (std::vector<std::uint64_t>{0x401000, 0x402000}));
  EXPECT_EQ(p.total_samples(), 10u);
  ASSERT_EQ(p.maps.size(), 2u);
  EXPECT_EQ(p.maps[0].start, 0x400000u);
  EXPECT_TRUE(p.maps[0].executable);
  EXPECT_EQ(p.maps[0].path, "/usr/bin/app");
  EXPECT_FALSE(p.maps[1].executable);
}

TEST(GperfProfile, TruncatedAndForeignFilesNameTheByteOffset) {
  try {
    read_gperf_profile(words({0, 3, 0, 1000, 0, 7, 2, 0x401000}), "cut.prof");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "cut.prof: byte 64: expected a program counter, got the end of the file (truncated profile?)");
  }
  EXPECT_THROW(read_gperf_profile(words({1, 3, 0, 1000, 0}), "x"), UsageError);
  EXPECT_THROW(read_gperf_profile("", "x"), UsageError);
}

}  // namespace
}  // namespace kprof
