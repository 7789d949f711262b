#include "kprof/sections/figures.h"

namespace kprof {

nlohmann::json FiguresSection::to_json() const {
  return {{"schema_version", kVersion}, {"figures", nlohmann::json(figures)}};
}

FiguresSection FiguresSection::from_json(const JsonField& j) {
  section_version(j, kName, {1});
  FiguresSection s;
  for (const auto& [key, named] : j.at("figures").members())
    for (const auto& [name, value] : named.members()) s.figures[key][name] = value.number();
  return s;
}

}  // namespace kprof
