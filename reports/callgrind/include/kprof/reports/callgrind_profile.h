#pragma once
// The in-memory model of a kcachegrind / callgrind-format profile (valgrind's "Callgrind Format
// Specification", version 1). It is what kprof's one callgrind reader produces and what its one
// writer (callgrind_writer.h) emits; every kprof profiler that makes kcachegrind files fills one.
//
//   kprof::CallgrindProfile p;
//   p.events = {"Ns", "Calls"};                       // one cost column per event
//   p.instr_positions = false;                        // positions: line
//   auto& fn = p.function("kprof", "/src/gemm.cpp", "gemm_scalar<double>");
//   fn.add_cost(42, {1200, 3});                       // line 42 cost 1200 Ns, 3 Calls
//   kprof::write_callgrind_file("callgrind.out.x", p);
//
// Costs are signed 64-bit: the format's counters are unsigned, but a diff of two profiles
// (callgrind_diff.h) carries negative costs in the same model.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kprof {

// One cost line: a position (instruction address and/or source line) and one cost per event.
struct CallgrindCost {
  std::uint64_t address = 0;        // 0 unless the profile has instruction positions
  std::int64_t line = 0;            // 0: unknown line
  std::uint32_t file = 0;           // index into CallgrindFunction::files (0: the function's own file)
  std::vector<std::int64_t> costs;  // one per event; shorter vectors mean trailing zeros
};

// A call from a function to `callee_*`, made `count` times from the call site (address/line in
// the caller's `file`), costing `inclusive` per event in total (the callee and everything below).
struct CallgrindCall {
  std::string callee_object;  // empty: the caller's object
  std::string callee_file;    // empty: the caller's file
  std::string callee_name;
  std::int64_t count = 0;
  std::uint64_t target_address = 0;  // position of the callee's entry (format: calls=<count> <target>)
  std::int64_t target_line = 0;
  std::uint64_t address = 0;  // call site in the caller
  std::int64_t line = 0;
  std::uint32_t file = 0;  // index into the caller's CallgrindFunction::files
  std::vector<std::int64_t> inclusive;
};

// Adds `costs` into `sum` event by event, `sum` growing to the longer of the two (a shorter cost
// vector means trailing zeros).
void add_costs(std::vector<std::int64_t>& sum, const std::vector<std::int64_t>& costs);

struct CallgrindFunction {
  std::string object;  // ob=: the binary or shared library ("" when unknown)
  // files[0]: the file the function is in (fl=); others: files of code inlined into it (fi=/fe=).
  std::vector<std::string> files;
  std::string name;  // fn=
  std::vector<CallgrindCost> costs;
  std::vector<CallgrindCall> calls;

  const std::string& file() const { return files.front(); }
  // Index of `path` in `files`, appended if new.
  std::uint32_t file_index(std::string_view path);
  // Appends a cost line in the function's own file (or `file`, an index from file_index()).
  void add_cost(std::int64_t line, std::vector<std::int64_t> costs, std::uint64_t address = 0, std::uint32_t file = 0);
  // Appends a call with its inclusive cost.
  CallgrindCall& add_call(std::string callee_file, std::string callee_name, std::int64_t count,
                          std::vector<std::int64_t> inclusive, std::int64_t line = 0, std::uint64_t address = 0);
  std::vector<std::int64_t> self_cost(std::size_t events) const;       // sum of cost lines
  std::vector<std::int64_t> inclusive_cost(std::size_t events) const;  // self + calls
};

struct CallgrindProfile {
  std::string creator = "kprof";
  std::string command;                    // cmd:
  std::int64_t pid = 0;                   // pid: (0: not written)
  std::vector<std::string> descriptions;  // desc: lines ("Trigger: Program termination" ...)
  std::vector<std::string> events;        // events: short names ("Ir", "Dr" ...)
  std::vector<std::string> event_names;   // event: <short> : <long name>, parallel to events (may be empty)
  bool instr_positions = false;           // positions: "instr line" (true) or "line" (false)
  int parts = 1;                          // reader: how many parts ("part:") were merged
  // reader: the file's stated total per event, summed over parts: "summary:" (or "totals:" when
  // a part has no summary). callgrind_annotate prints this as PROGRAM TOTALS. {} if not stated.
  std::vector<std::int64_t> summary;
  std::vector<CallgrindFunction> functions;

  // The function (object, file, name), created if new. Linear search: producers keep the
  // reference, the reader does not use it.
  CallgrindFunction& function(std::string_view object, std::string_view file, std::string_view name);
  std::size_t event_index(std::string_view event) const;  // events.size() when absent
  // Sum of every function's self cost, per event (what callgrind_annotate reports as totals).
  std::vector<std::int64_t> totals() const;
  // The stated summary when the file has one, else totals(): what percentages refer to.
  std::vector<std::int64_t> stated_totals() const;
};

}  // namespace kprof
