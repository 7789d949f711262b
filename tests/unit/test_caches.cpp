// The caches from CPUID where sysfs has none (this VM's sysfs has no cpu0/cache): the deterministic
// cache parameters of Intel's leaf 4, AMD's legacy leaves with a hypervisor's implausible L3 left
// out (recorded registers), and the real CPU.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "kprof/caches.h"

namespace kprof {
namespace {

std::uint32_t word(const char* s) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[3])) << 24;
}

// Answers recorded (leaf, subleaf) queries; zeros for the rest, as a CPU beyond its maximum leaf.
CpuidFn recorded(std::map<std::pair<std::uint32_t, std::uint32_t>, CpuidRegs> answers) {
  return [answers](std::uint32_t leaf, std::uint32_t sub) {
    auto it = answers.find({leaf, sub});
    return it == answers.end() ? CpuidRegs{} : it->second;
  };
}

TEST(Caches, IntelLeafFourGivesEveryCacheWithItsSize) {
  const CpuidFn cpuid = recorded({
      {{0, 0}, {0x20, word("Genu"), word("ntel"), word("ineI")}},
      // L1d: 12 ways x 1 partition x 64-byte lines x 64 sets = 48 KiB
      {{4, 0}, {1 | 1 << 5, 11u << 22 | 63, 63, 0}},
      // L2 unified: 16 ways x 64 x 2048 sets = 2 MiB
      {{4, 1}, {3 | 2 << 5, 15u << 22 | 63, 2047, 0}},
  });
  const std::vector<CacheLevel> caches = read_cpuid_caches(cpuid);
  ASSERT_EQ(caches.size(), 2u);
  EXPECT_EQ(caches[0], (CacheLevel{1, "Data", 48 << 10}));
  EXPECT_EQ(caches[1], (CacheLevel{2, "Unified", 2 << 20}));
}

TEST(Caches, AmdWithoutTopologyExtensionsUsesTheLegacyLeavesAndDropsAHostSizedL3) {
  // This VM's registers: L1d 48 KiB, L1i 32 KiB, L2 1 MiB, and an L3 of 1016 x 512 KiB = 508 MiB,
  // which no single cache is.
  const CpuidFn cpuid = recorded({
      {{0, 0}, {0x10, word("Auth"), word("cAMD"), word("enti")}},
      {{0x80000000, 0}, {0x80000021, 0, 0, 0}},
      {{0x80000005, 0}, {0, 0, 48u << 24, 32u << 24}},
      {{0x80000006, 0}, {0, 0, 1024u << 16, 1016u << 18}},
  });
  const std::vector<CacheLevel> caches = read_cpuid_caches(cpuid);
  ASSERT_EQ(caches.size(), 3u);
  EXPECT_EQ(caches[0], (CacheLevel{1, "Data", 48 << 10}));
  EXPECT_EQ(caches[1], (CacheLevel{1, "Instruction", 32 << 10}));
  EXPECT_EQ(caches[2], (CacheLevel{2, "Unified", 1 << 20}));
}

TEST(Caches, AmdWithTopologyExtensionsUsesLeaf8000001D) {
  const CpuidFn cpuid = recorded({
      {{0, 0}, {0x10, word("Auth"), word("cAMD"), word("enti")}},
      {{0x80000000, 0}, {0x80000021, 0, 0, 0}},
      {{0x80000001, 0}, {0, 0, 1u << 22, 0}},
      // L3: 16 ways x 64 x 32768 sets = 32 MiB
      {{0x8000001D, 0}, {3 | 3 << 5, 15u << 22 | 63, 32767, 0}},
  });
  EXPECT_EQ(read_cpuid_caches(cpuid), (std::vector<CacheLevel>{{3, "Unified", 32 << 20}}));
}

TEST(Caches, ThisMachineSaysWhereItsCachesCameFrom) {
  const MachineCaches& caches = machine_caches();
  const bool sysfs = !read_cpu_caches().empty();
  if (sysfs) {
    EXPECT_EQ(caches.source, "sysfs");
  }
#if defined(__x86_64__)
  if (!sysfs) {
    EXPECT_EQ(caches.source, "cpuid") << "an x86-64 CPU describes its caches with CPUID";
    ASSERT_FALSE(caches.levels.empty());
    EXPECT_EQ(caches.levels[0].level, 1);
  }
#endif
  EXPECT_EQ(caches.levels.empty(), caches.source.empty());
}

}  // namespace
}  // namespace kprof
