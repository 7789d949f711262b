// Callgrind's call graph as stacks with costs (what its pprof and speedscope files hold). Callgrind
// keeps each function's self cost per line and, per call site, the inclusive cost of the calls made
// there, not whole stacks. The export:
//  - every cost line of a function F becomes samples whose innermost frame is F at that line, so
//    that each function's flat (self) cost in pprof and speedscope is exactly callgrind's self cost;
//  - the cost goes up to F's callers in proportion to the inclusive cost of the first event
//    (Ir) of the calls each call site made to F (the caller's frame is at the call's line); the
//    part of F's inclusive cost no recorded call accounts for (F ran at the top of the collected
//    region, or collection started inside it) stays a stack that ends at F;
//  - a caller already on the stack is not followed (recursion ends the stack there), nor are
//    stacks deeper than kMaxDepth; past kMaxSamples samples the remaining cost stays at the
//    stacks reached so far. Splits are in whole units (largest remainder), so every event's total
//    is callgrind's.
// So the stacks are those the call graph allows, weighted by what the calls cost on average: the
// flat and per-function inclusive figures are callgrind's, the split of a function's cost among
// its callers' callers is an estimate (exact whenever a function has one caller).
#include <algorithm>
#include <map>
#include <tuple>

#include "callgrind_stacks.h"

namespace kprof {
namespace {

constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxSamples = 200000;

struct CallerEdge {
  std::size_t caller;
  const CallgrindCall* call;
  std::int64_t weight;  // inclusive cost of the first event through this call
};

// Shares of `value` in proportion to `weights` (sum > 0), in whole units adding up to `value`.
std::vector<std::int64_t> split(std::int64_t value, const std::vector<std::int64_t>& weights, std::int64_t sum) {
  std::vector<std::int64_t> shares(weights.size());
  std::vector<std::pair<__int128, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    const __int128 product = static_cast<__int128>(value) * weights[k];
    shares[k] = static_cast<std::int64_t>(product / sum);
    given += shares[k];
    remainders.emplace_back(product % sum, k);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t i = 0; given < value && i < remainders.size(); ++i, ++given) ++shares[remainders[i].second];
  return shares;
}

class StackExpander {
 public:
  StackExpander(const CallgrindProfile& p, StackSamples& out);
  void run();

 private:
  std::vector<CallerEdge> callers_at(std::size_t callee, const std::vector<std::size_t>& on_stack) const;
  void expand(std::vector<Frame>& stack, std::vector<std::size_t>& fns, const std::vector<std::int64_t>& values);
  void emit(const std::vector<Frame>& stack, const std::vector<std::int64_t>& values);
  Frame frame(std::size_t fn, std::uint32_t file, std::int64_t line, std::uint64_t address) const;

  const CallgrindProfile& p_;
  StackSamples& out_;
  std::size_t events_;
  std::vector<std::vector<CallerEdge>> callers_;  // per callee
  std::vector<std::int64_t> inclusive_;           // per function, first event
  std::size_t samples_ = 0;
};

StackExpander::StackExpander(const CallgrindProfile& p, StackSamples& out)
    : p_(p), out_(out), events_(p.events.size()), callers_(p.functions.size()) {
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;
  for (std::size_t i = 0; i < p.functions.size(); ++i) {
    const CallgrindFunction& f = p.functions[i];
    index.try_emplace({f.object, f.file(), f.name}, i);
    const std::vector<std::int64_t> inclusive = f.inclusive_cost(events_);
    inclusive_.push_back(inclusive.empty() ? 0 : inclusive[0]);
  }
  for (std::size_t i = 0; i < p.functions.size(); ++i) {
    const CallgrindFunction& f = p.functions[i];
    for (const CallgrindCall& c : f.calls) {
      auto it = index.find({c.callee_object.empty() ? f.object : c.callee_object,
                            c.callee_file.empty() ? f.file() : c.callee_file, c.callee_name});
      if (it == index.end()) continue;  // a callee without a cost block spent nothing itself
      callers_[it->second].push_back({i, &c, c.inclusive.empty() ? 0 : c.inclusive[0]});
    }
  }
}

Frame StackExpander::frame(std::size_t fn, std::uint32_t file, std::int64_t line, std::uint64_t address) const {
  const CallgrindFunction& f = p_.functions[fn];
  Frame out;
  out.function = f.name;
  out.function_file = f.file();
  out.file = file < f.files.size() ? f.files[file] : f.file();
  if (out.file == "???") out.file.clear();  // callgrind's "no debug information"
  if (out.function_file == "???") out.function_file.clear();
  out.line = static_cast<int>(line);
  out.module = f.object;
  out.address = address;
  return out;
}

void StackExpander::emit(const std::vector<Frame>& stack, const std::vector<std::int64_t>& values) {
  out_.add(stack, values);
  ++samples_;
}

std::vector<CallerEdge> StackExpander::callers_at(std::size_t callee, const std::vector<std::size_t>& on_stack) const {
  std::vector<CallerEdge> out;
  for (const CallerEdge& e : callers_[callee])
    if (e.weight > 0 && std::find(on_stack.begin(), on_stack.end(), e.caller) == on_stack.end()) out.push_back(e);
  return out;
}

void StackExpander::expand(std::vector<Frame>& stack, std::vector<std::size_t>& fns,
                           const std::vector<std::int64_t>& values) {
  std::vector<CallerEdge> edges;
  if (stack.size() < kMaxDepth && samples_ < kMaxSamples) edges = callers_at(fns.back(), fns);
  std::int64_t through_calls = 0;
  for (const CallerEdge& e : callers_[fns.back()]) through_calls += std::max<std::int64_t>(e.weight, 0);
  std::vector<std::int64_t> weights;
  for (const CallerEdge& e : edges) weights.push_back(e.weight);
  weights.push_back(std::max<std::int64_t>(inclusive_[fns.back()] - through_calls, 0));  // the stack ends here
  std::int64_t sum = 0;
  for (std::int64_t w : weights) sum += w;
  if (edges.empty() || sum == 0) return emit(stack, values);
  std::vector<std::vector<std::int64_t>> shares(weights.size(), std::vector<std::int64_t>(events_));
  for (std::size_t e = 0; e < events_; ++e) {
    const std::vector<std::int64_t> parts = split(values[e], weights, sum);
    for (std::size_t k = 0; k < parts.size(); ++k) shares[k][e] = parts[k];
  }
  auto nonzero = [](const std::vector<std::int64_t>& v) {
    return std::any_of(v.begin(), v.end(), [](std::int64_t x) { return x != 0; });
  };
  for (std::size_t k = 0; k < edges.size(); ++k) {
    if (!nonzero(shares[k])) continue;
    const CallgrindCall& c = *edges[k].call;
    stack.push_back(frame(edges[k].caller, c.file, c.line, c.address));
    fns.push_back(edges[k].caller);
    expand(stack, fns, shares[k]);
    stack.pop_back();
    fns.pop_back();
  }
  if (nonzero(shares.back())) emit(stack, shares.back());
}

void StackExpander::run() {
  for (std::size_t i = 0; i < p_.functions.size(); ++i)
    for (const CallgrindCost& cost : p_.functions[i].costs) {
      std::vector<std::int64_t> values = cost.costs;
      values.resize(events_, 0);
      if (std::all_of(values.begin(), values.end(), [](std::int64_t v) { return v == 0; })) continue;
      std::vector<Frame> stack{frame(i, cost.file, cost.line, cost.address)};
      std::vector<std::size_t> fns{i};
      expand(stack, fns, values);
    }
}

}  // namespace

void add_callgrind_stacks(const CallgrindProfile& profile, StackSamples& out) { StackExpander(profile, out).run(); }

}  // namespace kprof
