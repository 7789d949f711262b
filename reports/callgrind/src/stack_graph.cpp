#include "kprof/reports/stack_graph.h"

#include <set>

namespace kprof {

void StackGraph::add(const std::vector<const Frame*>& frames, const std::vector<std::int64_t>& costs) {
  if (frames.empty()) return;
  std::vector<std::size_t> fns;
  for (const Frame* f : frames) fns.push_back(function_of(*f));
  add_costs(self_[{fns[0], position(*frames[0])}], costs);
  std::set<std::pair<std::size_t, std::size_t>> seen;
  for (std::size_t i = 1; i < fns.size(); ++i)
    if (seen.insert({fns[i], fns[i - 1]}).second) add_costs(calls_[{fns[i], position(*frames[i]), fns[i - 1]}], costs);
}

void StackGraph::finish() {
  for (const auto& [key, costs] : self_) {
    CallgrindFunction& fn = p_.functions[key.first];
    const Position& at = key.second;
    fn.add_cost(at.line, costs, at.address, fn.file_index(at.file.empty() ? fn.file() : at.file));
  }
  for (const auto& [key, inclusive] : calls_) {
    auto [caller, at, callee] = key;
    CallgrindFunction& from = p_.functions[caller];
    const CallgrindFunction& to = p_.functions[callee];
    // The call count is the first event's (samples, bytes): the format has one count per call.
    auto& call =
        from.add_call(to.file(), to.name, inclusive.empty() ? 0 : inclusive[0], inclusive, at.line, at.address);
    call.callee_object = to.object;
    call.file = from.file_index(at.file.empty() ? from.file() : at.file);
  }
}

// A function is (module, the file that defines it, name); code without a defining file is filed
// under its own file, else its module.
std::size_t StackGraph::function_of(const Frame& f) {
  const std::string& file = !f.function_file.empty() ? f.function_file : !f.file.empty() ? f.file : f.module;
  auto [it, fresh] = index_.try_emplace(std::make_tuple(f.module, file, f.function), p_.functions.size());
  if (fresh) {
    CallgrindFunction fn;
    fn.object = f.module;
    fn.files.push_back(file);
    fn.name = f.function;
    p_.functions.push_back(std::move(fn));
  }
  return it->second;
}

}  // namespace kprof
