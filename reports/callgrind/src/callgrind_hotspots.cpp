// Hotspot tables: per-function and per-line sums over a callgrind-format profile.
#include "kprof/reports/callgrind_hotspots.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <unordered_map>

#include "kprof/errors.h"
#include "kprof/source_lines.h"

namespace kprof {
namespace {

std::string function_key(const std::string& object, const std::string& name) { return object + '\0' + name; }

std::string percent(std::int64_t part, std::int64_t total) {
  if (total == 0) return "-";
  return format_fixed(100.0 * static_cast<double>(part) / static_cast<double>(total), 1) + "%";
}

std::string shorten_path(const std::string& path) {
  // The last two components are enough to recognise a file in a table.
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return path;
  std::size_t prev = path.rfind('/', slash - 1);
  return prev == std::string::npos ? path : path.substr(prev + 1);
}

std::string shorten_name(const std::string& name, std::size_t max = 70) {
  return name.size() <= max ? name : name.substr(0, max - 3) + "...";
}

}  // namespace

std::string format_count(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

namespace {

// The index of `name` among the profile's events; UsageError listing the events it has.
std::size_t sort_event_index(const CallgrindProfile& profile, const std::string& name) {
  if (name.empty()) return 0;
  const std::size_t index = profile.event_index(name);
  if (index < profile.events.size()) return index;
  std::string known;
  for (const auto& e : profile.events) known += (known.empty() ? "" : ", ") + e;
  throw UsageError("event '" + name + "' is not in the profile (it has " + known + ")");
}

// Cost per source line, and per function on that line (to name the line's main function).
using LineCosts = std::map<std::pair<std::string, std::int64_t>,
                           std::pair<std::vector<std::int64_t>, std::map<std::string, std::int64_t>>>;

// Self cost per function (merged by object and name), the cost of calls into and out of each,
// and the per-line sums.
struct FunctionSums {
  std::unordered_map<std::string, std::size_t> index;
  std::unordered_map<std::string, std::vector<std::int64_t>> incoming;  // inclusive cost of calls into a function
  std::unordered_map<std::string, std::int64_t> incoming_calls;
  std::vector<std::vector<std::int64_t>> outgoing;
  LineCosts lines;

  void add(const CallgrindFunction& f, Hotspots& h, std::size_t n) {
    auto [it, fresh] = index.try_emplace(function_key(f.object, f.name), h.functions.size());
    if (fresh) {
      h.functions.push_back(
          HotFunction{f.name, f.file(), f.object, std::vector<std::int64_t>(n, 0), std::vector<std::int64_t>(n, 0), 0});
      outgoing.emplace_back(n, 0);
    }
    HotFunction& hf = h.functions[it->second];
    for (const auto& c : f.costs) {
      add_costs(hf.self, c.costs);
      auto& entry = lines[{f.files[c.file], c.line}];
      add_costs(entry.first, c.costs);
      entry.second[f.name] += c.costs.empty() ? 0 : c.costs[std::min(h.sort_event, c.costs.size() - 1)];
    }
    for (const auto& call : f.calls) {
      auto callee = function_key(call.callee_object, call.callee_name);
      add_costs(incoming[callee], call.inclusive);
      incoming_calls[callee] += call.count;
      add_costs(outgoing[it->second], call.inclusive);
    }
  }

  // Inclusive cost: what calls into the function carried, or for a root (never called) its
  // self cost plus what it called.
  void set_inclusive(Hotspots& h, std::size_t n) {
    for (std::size_t i = 0; i < h.functions.size(); ++i) {
      HotFunction& hf = h.functions[i];
      auto key = function_key(hf.object, hf.name);
      if (auto in = incoming.find(key); in != incoming.end()) {
        hf.inclusive = in->second;
        hf.inclusive.resize(n, 0);
        hf.calls = incoming_calls[key];
      } else {
        hf.inclusive = hf.self;
        add_costs(hf.inclusive, outgoing[i]);
      }
    }
  }
};

std::vector<HotLine> hot_lines(LineCosts& lines, std::size_t n) {
  std::vector<HotLine> out;
  for (auto& [pos, entry] : lines) {
    HotLine l;
    l.file = pos.first;
    l.line = pos.second;
    l.self = std::move(entry.first);
    l.self.resize(n, 0);
    std::int64_t best = -1;
    for (const auto& [name, cost] : entry.second)
      if (cost > best) best = cost, l.function = name;
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

Hotspots compute_hotspots(const CallgrindProfile& profile, const std::string& sort_event) {
  Hotspots h;
  h.events = profile.events;
  h.totals = profile.stated_totals();
  h.sort_event = sort_event_index(profile, sort_event);
  const std::size_t n = profile.events.size();
  FunctionSums sums;
  for (const auto& f : profile.functions) sums.add(f, h, n);
  sums.set_inclusive(h, n);
  const std::size_t e = h.sort_event;
  std::stable_sort(h.functions.begin(), h.functions.end(),
                   [e](const HotFunction& a, const HotFunction& b) { return a.self[e] > b.self[e]; });
  h.lines = hot_lines(sums.lines, n);
  std::stable_sort(h.lines.begin(), h.lines.end(),
                   [e](const HotLine& a, const HotLine& b) { return a.self[e] > b.self[e]; });
  return h;
}

Table hot_functions_table(const Hotspots& h, std::size_t n, bool inclusive) {
  Table t;
  for (const auto& e : h.events) t.header.push_back(e);
  t.header.push_back("%");
  t.header.push_back(inclusive ? "calls" : "file");
  t.header.push_back("function");
  t.left_aligned.assign(t.header.size(), false);
  t.left_aligned[t.header.size() - 1] = true;
  if (!inclusive) t.left_aligned[t.header.size() - 2] = true;

  std::vector<const HotFunction*> order;
  for (const auto& f : h.functions) order.push_back(&f);
  const std::size_t e = h.sort_event;
  if (inclusive)
    std::stable_sort(order.begin(), order.end(),
                     [e](const HotFunction* a, const HotFunction* b) { return a->inclusive[e] > b->inclusive[e]; });
  for (std::size_t i = 0; i < order.size() && i < n; ++i) {
    const auto& costs = inclusive ? order[i]->inclusive : order[i]->self;
    if (costs[e] == 0) break;
    std::vector<std::string> row;
    for (auto c : costs) row.push_back(format_count(c));
    row.push_back(percent(costs[e], h.totals.empty() ? 0 : h.totals[e]));
    row.push_back(inclusive ? (order[i]->calls ? format_count(order[i]->calls) : "-") : shorten_path(order[i]->file));
    row.push_back(shorten_name(order[i]->name));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table hot_lines_table(Hotspots& h, std::size_t n) {
  Table t;
  for (const auto& e : h.events) t.header.push_back(e);
  t.header.insert(t.header.end(), {"%", "file:line", "source", "function"});
  t.left_aligned.assign(t.header.size(), false);
  for (std::size_t i = t.header.size() - 3; i < t.header.size(); ++i) t.left_aligned[i] = true;

  std::unordered_map<std::string, std::vector<std::string>> sources;
  const std::size_t e = h.sort_event;
  for (std::size_t i = 0; i < h.lines.size() && i < n; ++i) {
    HotLine& l = h.lines[i];
    if (l.self[e] == 0) break;
    if (l.source.empty() && l.line > 0) {
      auto [it, fresh] = sources.try_emplace(l.file);
      if (fresh) it->second = read_source_lines(l.file);
      if (static_cast<std::size_t>(l.line) <= it->second.size()) {
        std::string s = it->second[l.line - 1];
        s.erase(0, s.find_first_not_of(" \t"));
        l.source = s.size() > 60 ? s.substr(0, 57) + "..." : s;
      }
    }
    std::vector<std::string> row;
    for (auto c : l.self) row.push_back(format_count(c));
    row.push_back(percent(l.self[e], h.totals.empty() ? 0 : h.totals[e]));
    row.push_back(shorten_path(l.file) + ":" + std::to_string(l.line));
    row.push_back(l.source);
    row.push_back(shorten_name(l.function, 40));
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace kprof
