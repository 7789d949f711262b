// Diff of two callgrind-format profiles, per function and per line.
#include "kprof/reports/callgrind_diff.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "kprof/errors.h"
#include "kprof/reports/callgrind_hotspots.h"

namespace kprof {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s.empty() ? "(none)" : s;
}

std::vector<std::string> missing(const std::vector<std::string>& from, const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& e : from)
    if (std::find(in.begin(), in.end(), e) == in.end()) out.push_back(e);
  return out;
}

struct Sums {
  std::map<std::string, CostDelta> functions;
  std::map<std::pair<std::string, std::int64_t>, CostDelta> lines;
};

void collect(const CallgrindProfile& p, const std::vector<std::size_t>& column, bool side_b, Sums& sums,
             std::size_t n) {
  auto remap = [&](const std::vector<std::int64_t>& costs) {
    std::vector<std::int64_t> out(n, 0);
    for (std::size_t i = 0; i < costs.size() && i < column.size(); ++i) out[column[i]] = costs[i];
    return out;
  };
  for (const auto& f : p.functions) {
    CostDelta& fd = sums.functions[f.name];
    if (fd.name.empty()) fd.name = f.name, fd.file = f.file();
    fd.a.resize(n, 0);
    fd.b.resize(n, 0);
    for (const auto& c : f.costs) {
      auto costs = remap(c.costs);
      add_costs(side_b ? fd.b : fd.a, costs);
      CostDelta& ld = sums.lines[{f.files[c.file], c.line}];
      if (ld.file.empty()) {
        ld.file = f.files[c.file];
        ld.line = c.line;
        ld.name = ld.file + ":" + std::to_string(c.line);
        ld.function = f.name;
      }
      ld.a.resize(n, 0);
      ld.b.resize(n, 0);
      add_costs(side_b ? ld.b : ld.a, costs);
    }
  }
}

std::vector<CostDelta> sorted(auto& map, std::size_t e) {
  std::vector<CostDelta> out;
  for (auto& [key, d] : map) out.push_back(std::move(d));
  std::stable_sort(out.begin(), out.end(), [e](const CostDelta& x, const CostDelta& y) {
    return std::llabs(x.b[e] - x.a[e]) > std::llabs(y.b[e] - y.a[e]);
  });
  return out;
}

std::string signed_count(std::int64_t v) { return (v > 0 ? "+" : "") + format_count(v); }

std::string change(std::int64_t a, std::int64_t b) {
  if (a == 0) return b == 0 ? "0%" : "new";
  return format_signed_pct(100.0 * static_cast<double>(b - a) / static_cast<double>(a));
}

Table delta_table(const CallgrindDiff& d, const std::vector<CostDelta>& rows, std::size_t n, bool lines) {
  const std::size_t e = d.sort_event;
  const std::string& ev = d.events[e];
  Table t;
  t.header = {ev + " a", ev + " b", "delta", "change", lines ? "file:line" : "function"};
  if (lines) t.header.push_back("function");
  t.left_aligned.assign(t.header.size(), false);
  t.left_aligned[4] = true;
  if (lines) t.left_aligned[5] = true;
  for (std::size_t i = 0; i < rows.size() && t.rows.size() < n; ++i) {
    const CostDelta& r = rows[i];
    if (r.a[e] == r.b[e]) break;
    std::vector<std::string> row = {format_count(r.a[e]), format_count(r.b[e]), signed_count(r.b[e] - r.a[e]),
                                    change(r.a[e], r.b[e])};
    if (lines) {
      std::size_t slash = r.file.rfind('/');
      row.push_back((slash == std::string::npos ? r.file : r.file.substr(slash + 1)) + ":" + std::to_string(r.line));
      row.push_back(r.function.size() > 50 ? r.function.substr(0, 47) + "..." : r.function);
    } else {
      row.push_back(r.name.size() > 70 ? r.name.substr(0, 67) + "..." : r.name);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

bool CallgrindDiff::zero() const {
  for (const auto& f : functions)
    if (f.a != f.b) return false;
  for (const auto& l : lines)
    if (l.a != l.b) return false;
  return true;
}

CallgrindDiff diff_callgrind(const CallgrindProfile& a, const CallgrindProfile& b, const std::string& sort_event) {
  auto only_a = missing(a.events, b.events);
  auto only_b = missing(b.events, a.events);
  if (!only_a.empty() || !only_b.empty() || a.events.size() != b.events.size())
    throw UsageError("cannot diff profiles with different events: the first has " + join(a.events) +
                     ", the second has " + join(b.events) + " (only in the first: " + join(only_a) +
                     "; only in the second: " + join(only_b) + ")");
  CallgrindDiff d;
  d.events = a.events;
  const std::size_t n = d.events.size();
  if (!sort_event.empty()) {
    d.sort_event = a.event_index(sort_event);
    if (d.sort_event >= n)
      throw UsageError("event '" + sort_event + "' is not in the profiles (" + join(a.events) + ")");
  }
  std::vector<std::size_t> identity(n), b_to_a(n);
  for (std::size_t i = 0; i < n; ++i) identity[i] = i, b_to_a[i] = a.event_index(b.events[i]);
  Sums sums;
  collect(a, identity, false, sums, n);
  collect(b, b_to_a, true, sums, n);
  d.totals_a = a.totals();
  d.totals_b.assign(n, 0);
  auto tb = b.totals();
  for (std::size_t i = 0; i < n; ++i) d.totals_b[b_to_a[i]] = tb[i];
  d.functions = sorted(sums.functions, d.sort_event);
  d.lines = sorted(sums.lines, d.sort_event);
  return d;
}

Table diff_functions_table(const CallgrindDiff& d, std::size_t n) { return delta_table(d, d.functions, n, false); }
Table diff_lines_table(const CallgrindDiff& d, std::size_t n) { return delta_table(d, d.lines, n, true); }

CallgrindProfile diff_profile(const CallgrindDiff& d) {
  CallgrindProfile p;
  p.creator = "kprof callgrind --diff";
  p.descriptions.push_back("Costs are b - a: negative lines got cheaper");
  p.events = d.events;
  p.instr_positions = false;
  std::map<std::string, std::size_t> index;
  for (const auto& l : d.lines) {
    if (l.a == l.b) continue;
    auto [it, fresh] = index.try_emplace(l.function, p.functions.size());
    if (fresh) {
      CallgrindFunction f;
      f.name = l.function;
      f.files.push_back(l.file);
      p.functions.push_back(std::move(f));
    }
    CallgrindFunction& f = p.functions[it->second];
    std::vector<std::int64_t> delta(l.a.size());
    for (std::size_t i = 0; i < delta.size(); ++i) delta[i] = l.b[i] - l.a[i];
    f.add_cost(l.line, std::move(delta), 0, f.file_index(l.file));
  }
  return p;
}

}  // namespace kprof
