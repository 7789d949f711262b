// The CPU's caches from sysfs, or from CPUID where sysfs has none (kprof/caches.h).
#include "kprof/caches.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <fstream>

namespace kprof {
namespace {

std::string first_word(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string word;
  in >> word;
  return word;
}

// "48K", "1024K", "32M" (sysfs) in bytes; 0 when unreadable.
std::int64_t parse_cache_size(const std::string& text) {
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || value <= 0) return 0;
  switch (*end) {
    case 'K':
      return value << 10;
    case 'M':
      return value << 20;
    case 'G':
      return value << 30;
    default:
      return value;
  }
}

// No single cache is larger (AMD's 3D V-Cache L3: 96 MiB per CCD); a bigger figure is a
// hypervisor's sum over the host.
constexpr std::int64_t kLargestPlausibleCache = std::int64_t{128} << 20;

CpuidRegs native_cpuid(std::uint32_t leaf, std::uint32_t subleaf) {
  CpuidRegs r;
#if defined(__x86_64__) || defined(__i386__)
  // __get_cpuid_count checks the leaf against the CPU's maximum and leaves zeros beyond it.
  if (!__get_cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx)) r = {};
#endif
  return r;
}

std::string vendor_of(const CpuidFn& cpuid) {
  const CpuidRegs r = cpuid(0, 0);
  std::string vendor(12, ' ');
  for (int i = 0; i < 4; ++i) {
    vendor[i] = static_cast<char>(r.ebx >> (8 * i));
    vendor[4 + i] = static_cast<char>(r.edx >> (8 * i));
    vendor[8 + i] = static_cast<char>(r.ecx >> (8 * i));
  }
  return vendor;
}

// Deterministic cache parameters (Intel leaf 4, AMD 0x8000001D share the layout): one subleaf per
// cache until the type field reads 0.
std::vector<CacheLevel> deterministic_caches(const CpuidFn& cpuid, std::uint32_t leaf) {
  static const char* kTypes[] = {"", "Data", "Instruction", "Unified"};
  std::vector<CacheLevel> caches;
  for (std::uint32_t sub = 0; sub < 16; ++sub) {
    const CpuidRegs r = cpuid(leaf, sub);
    const std::uint32_t type = r.eax & 0x1f;
    if (type == 0 || type > 3) break;
    const std::int64_t ways = (r.ebx >> 22) + 1, partitions = ((r.ebx >> 12) & 0x3ff) + 1, line = (r.ebx & 0xfff) + 1,
                       sets = std::int64_t{r.ecx} + 1;
    caches.push_back({static_cast<int>((r.eax >> 5) & 0x7), kTypes[type], ways * partitions * line * sets});
  }
  return caches;
}

// AMD's older leaves: L1d and L1i in KiB (0x80000005), L2 in KiB and L3 in 512 KiB units (0x80000006).
std::vector<CacheLevel> amd_legacy_caches(const CpuidFn& cpuid) {
  std::vector<CacheLevel> caches;
  if (cpuid(0x80000000, 0).eax < 0x80000006) return caches;
  const CpuidRegs l1 = cpuid(0x80000005, 0), l2l3 = cpuid(0x80000006, 0);
  caches.push_back({1, "Data", std::int64_t{l1.ecx >> 24} << 10});
  caches.push_back({1, "Instruction", std::int64_t{l1.edx >> 24} << 10});
  caches.push_back({2, "Unified", std::int64_t{l2l3.ecx >> 16} << 10});
  caches.push_back({3, "Unified", std::int64_t{l2l3.edx >> 18} * (512 << 10)});
  return caches;
}

std::vector<CacheLevel> cpuid_caches_of_vendor(const CpuidFn& cpuid) {
  const std::string vendor = vendor_of(cpuid);
  const std::uint32_t max_leaf = cpuid(0, 0).eax;
  if (vendor == "GenuineIntel") return max_leaf >= 4 ? deterministic_caches(cpuid, 4) : std::vector<CacheLevel>{};
  if (vendor != "AuthenticAMD" && vendor != "HygonGenuine") return {};
  const bool topology_extensions = (cpuid(0x80000001, 0).ecx >> 22) & 1;
  if (topology_extensions && cpuid(0x80000000, 0).eax >= 0x8000001D) return deterministic_caches(cpuid, 0x8000001D);
  return amd_legacy_caches(cpuid);
}

}  // namespace

std::vector<CacheLevel> read_cpuid_caches(const CpuidFn& cpuid) {
  std::vector<CacheLevel> caches = cpuid_caches_of_vendor(cpuid ? cpuid : CpuidFn(native_cpuid));
  std::erase_if(caches, [](const CacheLevel& c) { return c.bytes <= 0 || c.bytes > kLargestPlausibleCache; });
  return caches;
}

const MachineCaches& machine_caches() {
  static const MachineCaches caches = [] {
    if (std::vector<CacheLevel> sysfs = read_cpu_caches(); !sysfs.empty()) return MachineCaches{sysfs, "sysfs"};
    if (std::vector<CacheLevel> cpuid = read_cpuid_caches(); !cpuid.empty()) return MachineCaches{cpuid, "cpuid"};
    return MachineCaches{};
  }();
  return caches;
}

std::string CacheLevel::name() const {
  std::string out = "L" + std::to_string(level);
  if (type == "Data") out += "d";
  if (type == "Instruction") out += "i";
  return out;
}

std::vector<CacheLevel> read_cpu_caches(const std::filesystem::path& dir) {
  std::vector<CacheLevel> caches;
  for (int index = 0;; ++index) {
    const std::filesystem::path entry = dir / ("index" + std::to_string(index));
    std::error_code ec;
    if (!std::filesystem::is_directory(entry, ec)) break;
    CacheLevel c;
    c.level = std::atoi(first_word(entry / "level").c_str());
    c.type = first_word(entry / "type");
    c.bytes = parse_cache_size(first_word(entry / "size"));
    if (c.level > 0 && c.bytes > 0) caches.push_back(c);
  }
  return caches;
}

const std::vector<CacheLevel>& data_caches() {
  static const std::vector<CacheLevel> caches = [] {
    std::vector<CacheLevel> out = machine_caches().levels;
    std::erase_if(out, [](const CacheLevel& c) { return c.type == "Instruction"; });
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.level < b.level; });
    return out;
  }();
  return caches;
}

double last_level_cache_bytes() {
  const std::vector<CacheLevel>& caches = data_caches();
  return caches.empty() ? 0.0 : static_cast<double>(caches.back().bytes);
}

}  // namespace kprof
