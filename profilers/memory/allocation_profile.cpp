// The allocation profile of `kprof mem`: what each stack allocated, as a callgrind-format file
// (events Bytes and Allocations, whole stacks through kprof's one StackGraph), which kcachegrind
// opens and the page draws as the allocation flame graph; heaptrack exports the same for its GUI.
#include "kprof/memory.h"
#include "kprof/reports/callgrind_writer.h"
#include "kprof/reports/stack_graph.h"

namespace kprof {

std::string render_allocation_profile(const MemoryReport& r, const std::string& command) {
  CallgrindProfile p;
  p.creator = "kprof mem (allocations by stack, symbolised by kprof)";
  p.command = command.empty() ? r.name : command;
  p.events = {"Bytes", "Allocations"};
  p.event_names = {"Bytes allocated", "Allocations"};
  p.instr_positions = true;
  p.descriptions.push_back(
      "Stacks: from each allocation's call site outwards (malloc and the runtime inside it left out)");
  if (r.allocation_stacks_left_out)
    p.descriptions.push_back("Left out: " + std::to_string(r.allocation_stacks_left_out) +
                             " smaller stacks beyond the 2000 largest");
  StackGraph graph(p);
  std::vector<const Frame*> frames;
  for (const MemoryStack& s : r.allocation_stacks) {
    frames.clear();
    for (const Frame& f : s.frames) frames.push_back(&f);
    graph.add(frames, {static_cast<std::int64_t>(s.bytes), static_cast<std::int64_t>(s.count)});
  }
  graph.finish();
  return write_callgrind(p);
}

}  // namespace kprof
