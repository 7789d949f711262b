#pragma once
// Run::sections["figures"], written by `kprof run`: the figures a family reports besides the time
// of a call (FamilyRecord::figures, `.figure(name, fn)` in KPROF_FAMILY), per result key, as the
// variant's checked call left them: forest_fit's held-out accuracy next to its fit time.
#include <map>
#include <string>
#include <string_view>

#include "kprof/sections/section.h"

namespace kprof {

struct FiguresSection {
  static constexpr std::string_view kName = "figures";
  static constexpr int kVersion = 1;
  std::map<std::string, std::map<std::string, double>> figures;  // by Result::key(): name -> value

  nlohmann::json to_json() const;
  static FiguresSection from_json(const JsonField& j);
  bool operator==(const FiguresSection&) const = default;
};

}  // namespace kprof
