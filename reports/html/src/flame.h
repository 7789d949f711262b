#pragma once
// Flame graphs from a callgrind-format profile (callgrind's own files and kprof cpu's conversion of
// gperftools samples), for the page's Vega partition charts.
//
// A callgrind-format file records call edges with inclusive costs, not whole stacks. The tree is
// unfolded from the region's root along the edges; a function called from several places has its
// callees' costs shared among those places in proportion to the cost each one passed it (what
// kcachegrind's call graph and gprof do). The page says so next to the chart.
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "kprof/reports/callgrind_profile.h"

namespace kprof::html {

struct FlameOptions {
  std::string event;              // "" for the profile's first event
  double min_share = 0.002;       // frames below this share of the total are folded into their parent
  std::size_t max_frames = 1500;  // the page's size stays bounded whatever the profile
  std::size_t max_depth = 64;
};

// {"event": "Ir", "total": N, "frames": [{"id", "parent" (null at the root), "name", "module", "self"}]}
// in depth-first order, the heaviest callee first. The root is named `root_name`.
nlohmann::json flame_graph(const CallgrindProfile& profile, const std::string& root_name,
                           const FlameOptions& options = {});

}  // namespace kprof::html

namespace kprof::html {

// A differential flame graph (after Brendan Gregg's differential flame graphs): the frames of
// `current` laid out by its cost, each with its inclusive cost in `base` ("base", matched by the
// names on its path from the root) and in `current` ("now"); costs divided by each profile's
// `*_per` (kernel calls), so that profiles of different lengths compare per call. Frames `base`
// had and `current` lost are listed in "gone" (the largest 8). The root is named `root_name`.
// {"event", "total", "base_total", "frames": [{id, parent, name, module, self, base, now}], "gone": [{name, base}]}
nlohmann::json differential_flame(const nlohmann::json& base, double base_per, const nlohmann::json& current,
                                  double current_per, const std::string& root_name);

}  // namespace kprof::html
