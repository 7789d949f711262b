#pragma once
// Run::sections["regress_paired_medians"], written by `kprof regress` on each side of an
// interleaved comparison: per benchmark key, the median of each invocation in alternation order
// (sample i of both sides was measured back to back), the samples of the paired estimate.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kprof/sections/section.h"

namespace kprof {

struct PairedMediansSection {
  static constexpr std::string_view kName = "regress_paired_medians";
  static constexpr int kVersion = 2;  // 2: {"schema_version", "medians": {key: [...]}} (1: {key: [...]})
  std::map<std::string, std::vector<double>> medians;  // by Result::key()

  nlohmann::json to_json() const;
  static PairedMediansSection from_json(const JsonField& j);
  bool operator==(const PairedMediansSection&) const = default;
};

}  // namespace kprof
