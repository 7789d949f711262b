#pragma once
// Noise calibration: A/A comparisons (a binary against itself) tell how much each metric moves
// with no code change. The profile stores, per benchmark, the largest change seen and the smallest
// change the gate can detect at no more than one false alarm in 20 A/A runs; `kprof regress`
// never uses a threshold below it.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kprof::regress {

inline constexpr int kNoiseSchemaVersion = 1;

struct BenchmarkNoise {
  int comparisons = 0;
  std::vector<double> time_changes_pct;   // signed change of each A/A comparison
  double time_max_abs_pct = 0;            // largest |change| seen
  double time_detectable_pct = 0;         // threshold with <= 1 false alarm per 20 A/A comparisons
  std::vector<double> instr_changes_pct;  // empty when no callgrind section was measured
  double instr_max_abs_pct = 0;
  double instr_detectable_pct = 0;
};

struct NoiseProfile {
  int schema_version = kNoiseSchemaVersion;
  std::string fingerprint;  // Environment::fingerprint of the calibrated binary
  std::string created_utc;
  std::string command;
  int alternations = 0;
  std::map<std::string, BenchmarkNoise> benchmarks;  // by Result::key()

  const BenchmarkNoise* find(const std::string& key) const;
};

// Smallest threshold t such that at most floor(n/20) of the n A/A changes have |change| >= t
// (strictly above counts as an alarm), i.e. the (floor(n/20)+1)-th largest |change|, rounded up
// to 0.1%. With fewer than 20 comparisons that is the largest |change|.
double detectable_change_pct(std::vector<double> changes_pct);

// Fills the derived fields from the recorded changes.
void finalize(NoiseProfile& profile);

nlohmann::json to_json(const NoiseProfile& profile);
NoiseProfile noise_from_json(const nlohmann::json& j, const std::string& source);  // UsageError on bad input
NoiseProfile read_noise(const std::filesystem::path& path);
void write_noise(const std::filesystem::path& path, const NoiseProfile& profile);

}  // namespace kprof::regress
