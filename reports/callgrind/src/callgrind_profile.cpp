// The callgrind-format model: lookups and cost sums shared by the reader, the writer and the
// producers (line timers, memory tracing, callgrind, gperftools).
#include "kprof/reports/callgrind_profile.h"

#include <algorithm>

namespace kprof {

void add_costs(std::vector<std::int64_t>& sum, const std::vector<std::int64_t>& costs) {
  if (sum.size() < costs.size()) sum.resize(costs.size(), 0);
  for (std::size_t i = 0; i < costs.size(); ++i) sum[i] += costs[i];
}

std::uint32_t CallgrindFunction::file_index(std::string_view path) {
  for (std::size_t i = 0; i < files.size(); ++i)
    if (files[i] == path) return static_cast<std::uint32_t>(i);
  files.emplace_back(path);
  return static_cast<std::uint32_t>(files.size() - 1);
}

void CallgrindFunction::add_cost(std::int64_t line, std::vector<std::int64_t> values, std::uint64_t address,
                                 std::uint32_t file) {
  costs.push_back(CallgrindCost{address, line, file, std::move(values)});
}

CallgrindCall& CallgrindFunction::add_call(std::string callee_file, std::string callee_name, std::int64_t count,
                                           std::vector<std::int64_t> inclusive, std::int64_t line,
                                           std::uint64_t address) {
  CallgrindCall call;
  call.callee_file = std::move(callee_file);
  call.callee_name = std::move(callee_name);
  call.count = count;
  call.inclusive = std::move(inclusive);
  call.line = line;
  call.address = address;
  calls.push_back(std::move(call));
  return calls.back();
}

std::vector<std::int64_t> CallgrindFunction::self_cost(std::size_t events) const {
  std::vector<std::int64_t> sum(events, 0);
  for (const auto& c : costs) add_costs(sum, c.costs);
  sum.resize(std::max(sum.size(), events), 0);
  return sum;
}

std::vector<std::int64_t> CallgrindFunction::inclusive_cost(std::size_t events) const {
  std::vector<std::int64_t> sum = self_cost(events);
  for (const auto& call : calls) add_costs(sum, call.inclusive);
  return sum;
}

CallgrindFunction& CallgrindProfile::function(std::string_view object, std::string_view file, std::string_view name) {
  for (auto& f : functions)
    if (f.name == name && f.object == object && f.file() == file) return f;
  CallgrindFunction f;
  f.object = std::string(object);
  f.files.emplace_back(file);
  f.name = std::string(name);
  functions.push_back(std::move(f));
  return functions.back();
}

std::size_t CallgrindProfile::event_index(std::string_view event) const {
  auto it = std::find(events.begin(), events.end(), event);
  return static_cast<std::size_t>(it - events.begin());
}

std::vector<std::int64_t> CallgrindProfile::totals() const {
  std::vector<std::int64_t> sum(events.size(), 0);
  for (const auto& f : functions)
    for (const auto& c : f.costs) add_costs(sum, c.costs);
  return sum;
}

std::vector<std::int64_t> CallgrindProfile::stated_totals() const {
  return summary.size() == events.size() ? summary : totals();
}

}  // namespace kprof
