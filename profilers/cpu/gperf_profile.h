#pragma once
// gperftools' CPU profile file ("cpuprofile-fileformat" in the gperftools docs): a binary part of
// native machine words (header 0, 3, 0, sampling period in microseconds, 0; then one record per
// distinct stack: sample count, stack depth, program counters, innermost first; trailer 0, 1, 0)
// followed by the process's /proc/self/maps as text, which says where each PC's binary was loaded.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "symbolize.h"

namespace kprof {

struct GperfSample {
  std::uint64_t count = 0;
  std::vector<std::uint64_t> pcs;  // innermost frame first
};

struct GperfProfile {
  std::uint64_t period_us = 0;
  std::vector<GperfSample> samples;
  std::vector<MapEntry> maps;  // parsed by the symbolizer's parse_maps
  std::uint64_t total_samples() const;
};

// Throws UsageError naming the file, the byte offset and what was expected.
GperfProfile read_gperf_profile(std::string_view bytes, std::string_view name = "<cpu profile>");
GperfProfile read_gperf_profile_file(const std::filesystem::path& path);

}  // namespace kprof
