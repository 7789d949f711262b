#pragma once
// Whole stacks merged into a callgrind-format profile: the one way kprof turns stacks with costs
// (CPU samples, allocations) into a file kcachegrind opens and the page draws as a flame graph.
// Self cost goes to the innermost frame's position; each caller -> callee pair of a stack gets a
// call carrying the stack's cost as inclusive cost (once per stack, so recursion is not counted
// twice), as heaptrack's and pprof's callgrind exports do.
//
//   kprof::CallgrindProfile p;
//   p.events = {"Bytes", "Allocations"};
//   kprof::StackGraph graph(p);
//   graph.add(frames, {bytes, count});  // frames innermost first
//   graph.finish();                     // writes the functions, costs and calls into p
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "kprof/frame.h"
#include "kprof/reports/callgrind_profile.h"

namespace kprof {

class StackGraph {
 public:
  explicit StackGraph(CallgrindProfile& profile) : p_(profile) {}

  // One stack (innermost frame first, never empty) and its cost, one value per event.
  void add(const std::vector<const Frame*>& frames, const std::vector<std::int64_t>& costs);
  // Writes the merged costs and calls into the profile's functions.
  void finish();

 private:
  struct Position {  // of a cost or a call site in its function
    std::uint64_t address;
    std::string file;
    int line;
    auto operator<=>(const Position&) const = default;
  };
  static Position position(const Frame& f) { return {f.address, f.file, f.line}; }
  std::size_t function_of(const Frame& f);

  CallgrindProfile& p_;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index_;
  std::map<std::pair<std::size_t, Position>, std::vector<std::int64_t>> self_;
  std::map<std::tuple<std::size_t, Position, std::size_t>, std::vector<std::int64_t>> calls_;
};

}  // namespace kprof
