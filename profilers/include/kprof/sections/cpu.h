#pragma once
// Run::sections["cpu"], written by `kprof cpu` (gperftools samples, docs/CALLGRIND.md).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kprof/sections/section.h"

namespace kprof {

struct CpuFunctionSamples {
  std::string function;
  std::string file;
  std::int64_t self_samples = 0;
  std::int64_t inclusive_samples = 0;
  bool operator==(const CpuFunctionSamples&) const = default;
};

struct CpuLineSamples {
  std::string file;
  int line = 0;
  std::string function;
  std::int64_t samples = 0;
  bool operator==(const CpuLineSamples&) const = default;
};

struct CpuEntry {
  Subject subject;
  int period_us = 0;  // gperftools' sampling period as it recorded it
  std::int64_t samples = 0;
  double region_seconds = 0;  // wall time of the region (of the whole program in program mode)
  double cpu_seconds = 0;     // CPU time of all threads over the same span
  double samples_per_cpu_second = 0;
  std::string profile_file;  // gperftools' own file
  std::string file;          // kprof's callgrind-format conversion
  std::string pprof_file;    // the same samples as pprof's profile.proto ("" in documents before it)
  std::vector<CpuFunctionSamples> top_functions;
  std::vector<CpuLineSamples> top_lines;
  // A kernel's region only (absent for a program):
  std::int64_t iterations = 1;
  int threads = 1;
  int frequency_hz = 0;  // asked for (CPUPROFILE_FREQUENCY)
  bool operator==(const CpuEntry&) const = default;
};

struct CpuSection {
  static constexpr std::string_view kName = "cpu";
  // 2: `schema_version` written, `program` an argv array, a program's wall time under
  // `region_seconds` (1: `program` a string, the wall time `seconds`).
  static constexpr int kVersion = 2;
  std::vector<CpuEntry> results;

  nlohmann::json to_json() const;
  static CpuSection from_json(const JsonField& j);
  bool operator==(const CpuSection&) const = default;
};

}  // namespace kprof
