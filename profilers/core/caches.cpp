// The CPU's caches from sysfs (kprof/caches.h).
#include "kprof/caches.h"

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

}  // namespace

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
    std::vector<CacheLevel> out = read_cpu_caches();
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
