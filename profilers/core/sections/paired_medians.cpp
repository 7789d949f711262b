#include "kprof/sections/paired_medians.h"

namespace kprof {

nlohmann::json PairedMediansSection::to_json() const {
  return {{"schema_version", kVersion}, {"medians", nlohmann::json(medians)}};
}

PairedMediansSection PairedMediansSection::from_json(const JsonField& j) {
  const int version = section_version(j, kName, {1, 2});
  PairedMediansSection s;
  // Version 1 was the map itself, without schema_version.
  const JsonField map = version == 1 ? j : j.at("medians");
  for (const auto& [key, medians] : map.members()) {
    for (const JsonField& m : medians.elements()) m.non_negative();
    s.medians[key] = medians.numbers();
  }
  return s;
}

}  // namespace kprof
