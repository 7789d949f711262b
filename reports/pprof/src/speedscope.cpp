#include "kprof/reports/speedscope.h"

#include <map>
#include <tuple>

#include "kprof/atomic_file.h"

namespace kprof {
namespace {

// speedscope's frames: one per (function, file, line), and what each of the samples' frames maps to.
struct SharedFrames {
  nlohmann::json frames = nlohmann::json::array();
  std::vector<std::size_t> of_frame;  // per StackSamples frame: its index in `frames`

  explicit SharedFrames(const std::vector<Frame>& table) {
    std::map<std::tuple<std::string, std::string, int>, std::size_t> index;
    for (const Frame& f : table) {
      const int line = f.line > 0 ? f.line : 0;
      auto [it, fresh] = index.try_emplace({f.function, f.file, line}, frames.size());
      if (fresh) {
        nlohmann::json frame = {{"name", f.function}};
        if (!f.file.empty()) frame["file"] = f.file;
        if (line > 0) frame["line"] = line;
        frames.push_back(std::move(frame));
      }
      of_frame.push_back(it->second);
    }
  }
};

nlohmann::json sampled_profile(const StackSamples& samples, const SharedFrames& shared,
                               const SpeedscopeProfile& which) {
  const std::size_t type = samples.type_index(which.sample_type);
  nlohmann::json stacks = nlohmann::json::array(), weights = nlohmann::json::array();
  std::int64_t total = 0;
  for (const StackSamples::Sample& s : samples.samples()) {
    const std::int64_t weight = s.values[type];
    if (weight == 0) continue;
    nlohmann::json stack = nlohmann::json::array();
    for (auto it = s.stack.rbegin(); it != s.stack.rend(); ++it) stack.push_back(shared.of_frame[*it]);
    stacks.push_back(std::move(stack));
    weights.push_back(weight);
    total += weight;
  }
  return {{"type", "sampled"},
          {"name", which.name},
          {"unit", speedscope_unit(samples.types()[type].unit)},
          {"startValue", 0},
          {"endValue", total},
          {"samples", std::move(stacks)},
          {"weights", std::move(weights)}};
}

}  // namespace

std::string speedscope_unit(const std::string& unit) {
  if (unit == "nanoseconds" || unit == "bytes") return unit;
  return "none";
}

nlohmann::json speedscope_json(const StackSamples& samples, const std::vector<SpeedscopeProfile>& profiles,
                               const std::string& name) {
  std::vector<SpeedscopeProfile> which = profiles;
  if (which.empty())
    for (const SampleType& t : samples.types()) which.push_back({t.type, t.type});
  const SharedFrames shared(samples.frames());
  nlohmann::json out = {{"$schema", "https://www.speedscope.app/file-format-schema.json"},
                        {"name", name},
                        {"exporter", std::string("kprof ") + KPROF_VERSION},
                        {"activeProfileIndex", 0},
                        {"shared", {{"frames", shared.frames}}},
                        {"profiles", nlohmann::json::array()}};
  for (const SpeedscopeProfile& p : which) out["profiles"].push_back(sampled_profile(samples, shared, p));
  return out;
}

void write_speedscope_file(const std::filesystem::path& path, const StackSamples& samples,
                           const std::vector<SpeedscopeProfile>& profiles, const std::string& name) {
  write_file_atomically(path, speedscope_json(samples, profiles, name).dump() + "\n");
}

}  // namespace kprof
