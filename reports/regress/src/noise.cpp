#include "kprof/regress/noise.h"

#include <algorithm>
#include <cmath>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"

namespace kprof::regress {

using nlohmann::json;

const BenchmarkNoise* NoiseProfile::find(const std::string& key) const {
  auto it = benchmarks.find(key);
  return it == benchmarks.end() ? nullptr : &it->second;
}

double detectable_change_pct(std::vector<double> changes_pct) {
  if (changes_pct.empty()) return 0;
  for (auto& c : changes_pct) c = std::fabs(c);
  std::sort(changes_pct.begin(), changes_pct.end(), std::greater<>());
  std::size_t allowed = changes_pct.size() / 20;  // false alarms tolerated
  double t = changes_pct[std::min(allowed, changes_pct.size() - 1)];
  return std::ceil(t * 10.0 - 1e-9) / 10.0;
}

void finalize(NoiseProfile& profile) {
  for (auto& [key, b] : profile.benchmarks) {
    b.comparisons = static_cast<int>(b.time_changes_pct.size());
    b.time_max_abs_pct = 0;
    for (double c : b.time_changes_pct) b.time_max_abs_pct = std::max(b.time_max_abs_pct, std::fabs(c));
    b.time_detectable_pct = detectable_change_pct(b.time_changes_pct);
    b.instr_max_abs_pct = 0;
    for (double c : b.instr_changes_pct) b.instr_max_abs_pct = std::max(b.instr_max_abs_pct, std::fabs(c));
    b.instr_detectable_pct = detectable_change_pct(b.instr_changes_pct);
  }
}

json to_json(const NoiseProfile& p) {
  json benchmarks = json::object();
  for (const auto& [key, b] : p.benchmarks)
    benchmarks[key] = {{"comparisons", b.comparisons},
                       {"time_changes_pct", b.time_changes_pct},
                       {"time_max_abs_pct", b.time_max_abs_pct},
                       {"time_detectable_pct", b.time_detectable_pct},
                       {"instr_changes_pct", b.instr_changes_pct},
                       {"instr_max_abs_pct", b.instr_max_abs_pct},
                       {"instr_detectable_pct", b.instr_detectable_pct}};
  return {{"kind", "kprof-noise"},        {"schema_version", p.schema_version},
          {"fingerprint", p.fingerprint}, {"created_utc", p.created_utc},
          {"command", p.command},         {"alternations", p.alternations},
          {"benchmarks", benchmarks}};
}

NoiseProfile noise_from_json(const json& j, const std::string& source) {
  try {
    if (!j.is_object() || j.value("kind", "") != "kprof-noise")
      throw UsageError(source + ": not a kprof noise profile (expected \"kind\": \"kprof-noise\")");
    NoiseProfile p;
    p.schema_version = j.at("schema_version").get<int>();
    if (p.schema_version != kNoiseSchemaVersion)
      throw UsageError(source + ": noise profile schema_version " + std::to_string(p.schema_version) +
                       " is not supported (this kprof reads " + std::to_string(kNoiseSchemaVersion) + ")");
    p.fingerprint = j.at("fingerprint").get<std::string>();
    p.created_utc = j.at("created_utc").get<std::string>();
    p.command = j.at("command").get<std::string>();
    p.alternations = j.at("alternations").get<int>();
    for (const auto& [key, b] : j.at("benchmarks").items()) {
      BenchmarkNoise n;
      n.time_changes_pct = b.at("time_changes_pct").get<std::vector<double>>();
      n.instr_changes_pct = b.at("instr_changes_pct").get<std::vector<double>>();
      p.benchmarks[key] = n;
    }
    finalize(p);  // derived fields are recomputed, never trusted from the file
    return p;
  } catch (const json::exception& e) {
    throw UsageError(source + ": malformed noise profile: " + e.what());
  }
}

NoiseProfile read_noise(const std::filesystem::path& path) {
  std::string text = read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw UsageError(path.string() + ": not valid JSON (truncated or corrupt) at byte " + std::to_string(e.byte));
  } catch (const json::exception& e) {  // valid syntax nlohmann cannot hold: a number like 1e400
    throw UsageError(path.string() + ": not a usable JSON document: " + e.what());
  }
  return noise_from_json(j, path.string());
}

void write_noise(const std::filesystem::path& path, const NoiseProfile& profile) {
  write_file_atomically(path, to_json(profile).dump(2) + "\n");
}

}  // namespace kprof::regress
