// Differential flame graphs: two flame graphs of flame.cpp matched frame by frame by the names on
// their paths from the root.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "flame.h"

namespace kprof::html {
namespace {

using nlohmann::json;

// Each frame's path of names below the root (the root's own name differs between profiles: it is
// the subject's label) and its inclusive cost divided by `per`. Frames come parents first (flame.cpp
// writes them depth-first with ids = positions).
struct Unfolded {
  std::vector<std::string> path;
  std::vector<double> inclusive;
};

Unfolded unfold(const json& frames, double per) {
  const std::size_t n = frames.size();
  Unfolded u{std::vector<std::string>(n), std::vector<double>(n, 0.0)};
  for (std::size_t i = 0; i < n; ++i) {
    u.inclusive[i] = frames[i].at("self").get<double>() / per;
    if (!frames[i].at("parent").is_null())
      u.path[i] = u.path[frames[i]["parent"].get<std::size_t>()] + '\x1f' + frames[i].at("name").get<std::string>();
  }
  for (std::size_t i = n; i-- > 1;)
    if (!frames[i]["parent"].is_null()) u.inclusive[frames[i]["parent"].get<std::size_t>()] += u.inclusive[i];
  return u;
}

// Frames of the base whose path the current graph lacks while it has their parent's: what went away.
json gone_frames(const json& base_frames, const Unfolded& base, const std::map<std::string, double>& now) {
  std::vector<std::pair<double, std::string>> gone;
  for (std::size_t i = 1; i < base.path.size(); ++i) {
    const std::size_t parent = base_frames[i]["parent"].get<std::size_t>();
    if (!now.count(base.path[i]) && now.count(base.path[parent]))
      gone.emplace_back(base.inclusive[i], base_frames[i]["name"].get<std::string>());
  }
  std::sort(gone.rbegin(), gone.rend());
  json out = json::array();
  for (std::size_t i = 0; i < gone.size() && i < 8; ++i)
    out.push_back({{"name", gone[i].second}, {"base", gone[i].first}});
  return out;
}

}  // namespace

json differential_flame(const json& base, double base_per, const json& current, double current_per,
                        const std::string& root_name) {
  const json& base_frames = base.at("frames");
  const json& now_frames = current.at("frames");
  const Unfolded b = unfold(base_frames, std::max(base_per, 1.0));
  const Unfolded c = unfold(now_frames, std::max(current_per, 1.0));
  std::map<std::string, double> base_by_path, now_by_path;
  for (std::size_t i = 0; i < b.path.size(); ++i) base_by_path[b.path[i]] += b.inclusive[i];
  for (std::size_t i = 0; i < c.path.size(); ++i) now_by_path[c.path[i]] += c.inclusive[i];

  json frames = json::array();
  for (std::size_t i = 0; i < c.path.size(); ++i) {
    json f = now_frames[i];
    f["self"] = f["self"].get<double>() / std::max(current_per, 1.0);
    f["now"] = c.inclusive[i];
    auto in_base = base_by_path.find(c.path[i]);
    f["base"] = in_base == base_by_path.end() ? 0.0 : in_base->second;
    if (i == 0) f["name"] = root_name;
    frames.push_back(std::move(f));
  }
  return {{"event", current.value("event", "")},
          {"total", c.inclusive.empty() ? 0.0 : c.inclusive[0]},
          {"base_total", b.inclusive.empty() ? 0.0 : b.inclusive[0]},
          {"frames", frames},
          {"gone", gone_frames(base_frames, b, now_by_path)}};
}

}  // namespace kprof::html
