// Crossovers, thread scaling and cache knees of a sweep (kprof/reports/sweep.h).
#include "kprof/reports/sweep.h"

#include <algorithm>
#include <map>

namespace kprof::sweep {
namespace {

// variant -> x -> seconds (a repeated x keeps the least time)
using Curves = std::map<std::string, std::map<std::int64_t, double>>;

Curves curves_of(const std::vector<Point>& points) {
  Curves curves;
  for (const Point& p : points) {
    auto [it, inserted] = curves[p.variant].emplace(p.x, p.seconds);
    if (!inserted) it->second = std::min(it->second, p.seconds);
  }
  return curves;
}

// The fastest variant at each x (only variants measured there compete).
std::map<std::int64_t, std::string> best_by_x(const Curves& curves) {
  std::map<std::int64_t, std::pair<double, std::string>> best;
  for (const auto& [variant, curve] : curves)
    for (const auto& [x, seconds] : curve) {
      auto it = best.find(x);
      if (it == best.end() || seconds < it->second.first) best[x] = {seconds, variant};
    }
  std::map<std::int64_t, std::string> out;
  for (const auto& [x, b] : best) out[x] = b.second;
  return out;
}

}  // namespace

std::vector<Crossover> crossovers(const std::vector<Point>& points) {
  std::vector<Crossover> out;
  const std::map<std::int64_t, std::string> best = best_by_x(curves_of(points));
  for (auto it = best.begin(); it != best.end() && std::next(it) != best.end(); ++it) {
    auto next = std::next(it);
    if (next->second != it->second) out.push_back({next->first, it->first, it->second, next->second});
  }
  return out;
}

std::vector<Scaling> scaling(const std::vector<Point>& points, double min_gain) {
  std::vector<Scaling> out;
  for (const auto& [variant, curve] : curves_of(points)) {
    if (curve.empty()) continue;
    Scaling s{.variant = variant};
    // Speed-up against one thread; when the sweep starts above 1, the first point is assumed linear.
    const double one_thread = curve.begin()->second * static_cast<double>(curve.begin()->first);
    double least = curve.begin()->second;
    s.best_threads = static_cast<int>(curve.begin()->first);
    for (const auto& [threads, seconds] : curve) {
      const double speedup = one_thread / seconds;
      s.steps.push_back({static_cast<int>(threads), seconds, speedup, speedup / static_cast<double>(threads)});
      if (seconds < least) least = seconds, s.best_threads = static_cast<int>(threads);
    }
    for (std::size_t i = 0; i + 1 < s.steps.size() && !s.stops_paying_at; ++i)
      if (s.steps[i + 1].seconds > s.steps[i].seconds * (1 - min_gain)) s.stops_paying_at = s.steps[i].threads;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Oversubscription> oversubscriptions(const std::vector<GridPoint>& grid, int logical_cpus, double min_loss) {
  std::map<std::string, const GridPoint*> best_fit;  // per variant
  for (const GridPoint& p : grid) {
    const GridPoint*& best = best_fit[p.variant];
    if (p.total() <= logical_cpus && (!best || p.seconds < best->seconds)) best = &p;
  }
  std::vector<Oversubscription> out;
  for (const GridPoint& p : grid) {
    const GridPoint* fit = best_fit[p.variant];
    if (p.total() > logical_cpus && fit && p.seconds > fit->seconds * (1 + min_loss))
      out.push_back({p, *fit, p.seconds / fit->seconds});
  }
  return out;
}

std::vector<Knee> knees_of(const std::vector<Point>& points, const std::vector<CacheLevel>& caches,
                           const std::vector<std::pair<std::int64_t, std::int64_t>>& working_sets) {
  const std::map<std::int64_t, std::int64_t> set_of(working_sets.begin(), working_sets.end());
  std::vector<Knee> out;
  for (const auto& [variant, curve] : curves_of(points)) {
    Knee k{.variant = variant};
    auto best =
        std::min_element(curve.begin(), curve.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    k.best_x = best->first;
    k.best_seconds = best->second;
    for (const CacheLevel& level : caches) {
      auto fits = [&](std::int64_t x) { return set_of.at(x) <= level.bytes; };
      // The level is crossed when the sweep holds chunks on both sides of it.
      auto leave = std::find_if(curve.begin(), curve.end(), [&](const auto& p) { return !fits(p.first); });
      if (leave != curve.end() && leave != curve.begin() && fits(curve.begin()->first))
        k.leaves.push_back({level.name(), leave->first, set_of.at(leave->first)});
    }
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace kprof::sweep
