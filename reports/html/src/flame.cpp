#include "flame.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <string_view>
#include <vector>

#include "kprof/frame.h"

namespace kprof::html {
namespace {

struct Edge {
  std::size_t callee;
  double cost;
};

// Functions keyed by (name, object), as kprof's hotspots key them; costs of one event.
struct CallGraph {
  std::vector<std::string> names, modules;
  std::vector<double> self, inbound;
  std::vector<std::vector<Edge>> out;  // merged per callee, heaviest first

  std::size_t id(const std::string& name, const std::string& object,
                 std::map<std::pair<std::string, std::string>, std::size_t>& index) {
    auto [it, fresh] = index.try_emplace({name, object}, names.size());
    if (fresh) {
      names.push_back(name);
      modules.push_back(std::filesystem::path(object).filename().string());
      self.push_back(0);
      inbound.push_back(0);
      out.emplace_back();
    }
    return it->second;
  }
  double outflow(std::size_t f) const {
    return std::accumulate(out[f].begin(), out[f].end(), self[f], [](double s, const Edge& e) { return s + e.cost; });
  }
};

double cost_of(const std::vector<std::int64_t>& costs, std::size_t event) {
  return event < costs.size() ? static_cast<double>(costs[event]) : 0.0;
}

CallGraph call_graph(const CallgrindProfile& profile, std::size_t event) {
  CallGraph g;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const auto& fn : profile.functions) {
    const std::size_t from = g.id(fn.name, fn.object, index);
    for (const auto& cost : fn.costs) g.self[from] += cost_of(cost.costs, event);
    for (const auto& call : fn.calls) {
      const std::size_t to = g.id(call.callee_name, call.callee_object.empty() ? fn.object : call.callee_object, index);
      // A function's calls to itself cost what its own lines and its other calls already count.
      if (to == from) continue;
      const double cost = cost_of(call.inclusive, event);
      g.inbound[to] += cost;
      auto& edges = g.out[from];
      auto same = std::find_if(edges.begin(), edges.end(), [&](const Edge& e) { return e.callee == to; });
      if (same != edges.end())
        same->cost += cost;
      else
        edges.push_back({to, cost});
    }
  }
  for (auto& edges : g.out)
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.cost > b.cost; });
  return g;
}

struct Node {
  std::string name, module;
  double self = 0;
  std::vector<Node> children;
  double total() const {
    return std::accumulate(children.begin(), children.end(), self,
                           [](double s, const Node& c) { return s + c.total(); });
  }
};

class Unfolder {
 public:
  Unfolder(const CallGraph& g, const FlameOptions& o, double total) : g_(g), o_(o), min_cost_(total * o.min_share) {}

  // The subtree of `fn` when `budget` of its cost flows in from the caller on the current path.
  Node unfold(std::size_t fn, double budget) {
    Node node{g_.names[fn], g_.modules[fn], 0, {}};
    ++frames_;
    const double outflow = g_.outflow(fn);
    const double share = outflow > 0 ? budget / outflow : 0;
    node.self = g_.self[fn] * share;
    path_.push_back(fn);
    for (const Edge& e : g_.out[fn]) {
      const double cost = e.cost * share;
      // Through recursion (a -> b -> a) the cost is counted on the path already: dropped, not repeated.
      if (std::find(path_.begin(), path_.end(), e.callee) != path_.end()) continue;
      if (cost < min_cost_ || path_.size() >= o_.max_depth || frames_ >= o_.max_frames)
        node.self += cost;  // folded into the caller: too small for the page, or beyond its bounds
      else
        node.children.push_back(unfold(e.callee, cost));
    }
    path_.pop_back();
    return node;
  }

 private:
  const CallGraph& g_;
  const FlameOptions& o_;
  double min_cost_;
  std::size_t frames_ = 0;
  std::vector<std::size_t> path_;
};

// Siblings that name the same function (after driver frames were removed) become one frame.
std::vector<Node> merged(std::vector<Node> nodes) {
  std::vector<Node> out;
  for (Node& n : nodes) {
    auto same =
        std::find_if(out.begin(), out.end(), [&](const Node& o) { return o.name == n.name && o.module == n.module; });
    if (same == out.end()) {
      out.push_back(std::move(n));
      continue;
    }
    same->self += n.self;
    for (Node& c : n.children) same->children.push_back(std::move(c));
    same->children = merged(std::move(same->children));
  }
  std::sort(out.begin(), out.end(), [](const Node& a, const Node& b) { return a.total() > b.total(); });
  return out;
}

void hide_driver_frames(Node& node) {
  std::vector<Node> kept;
  for (Node& child : node.children) {
    hide_driver_frames(child);
    if (!is_driver_frame(child.name)) {
      kept.push_back(std::move(child));
      continue;
    }
    node.self += child.self;
    for (Node& grandchild : child.children) kept.push_back(std::move(grandchild));
  }
  node.children = merged(std::move(kept));
}

void flatten(const Node& node, nlohmann::json parent, nlohmann::json& frames) {
  const std::size_t id = frames.size();
  frames.push_back({{"id", id}, {"parent", parent}, {"name", node.name}, {"module", node.module}, {"self", node.self}});
  for (const Node& child : node.children) flatten(child, id, frames);
}

}  // namespace

nlohmann::json flame_graph(const CallgrindProfile& profile, const std::string& root_name, const FlameOptions& options) {
  std::size_t event = options.event.empty() ? 0 : profile.event_index(options.event);
  if (event >= profile.events.size()) event = 0;
  const CallGraph g = call_graph(profile, event);
  // The roots: functions nobody calls (or, when every function is in a cycle, the costliest).
  std::vector<std::size_t> roots;
  for (std::size_t f = 0; f < g.names.size(); ++f)
    if (g.inbound[f] == 0 && g.outflow(f) > 0) roots.push_back(f);
  if (roots.empty() && !g.names.empty())
    roots.push_back(
        static_cast<std::size_t>(std::distance(g.self.begin(), std::max_element(g.self.begin(), g.self.end()))));
  double total = 0;
  for (std::size_t f : roots) total += g.outflow(f);
  Unfolder unfolder(g, options, total);
  Node root{root_name, "", 0, {}};
  for (std::size_t f : roots) root.children.push_back(unfolder.unfold(f, g.outflow(f)));
  hide_driver_frames(root);
  nlohmann::json frames = nlohmann::json::array();
  flatten(root, nullptr, frames);
  return {{"event", profile.events.empty() ? "" : profile.events[event]}, {"total", total}, {"frames", frames}};
}

}  // namespace kprof::html
