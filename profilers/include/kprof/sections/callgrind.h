#pragma once
// Run::sections["callgrind"], written by `kprof callgrind` (docs/CALLGRIND.md), read by the
// regression gate (instructions per call, the functions that grew) and by `kprof history`.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kprof/sections/section.h"

namespace kprof {

// Costs by event name ("Ir", "Dr", "D1mr", ...), as callgrind's `events:` line names them.
using EventCosts = std::map<std::string, std::int64_t>;

struct CallgrindFunctionCost {
  std::string function;
  std::string file;
  std::string object;
  EventCosts self;       // in the whole region (all iterations)
  EventCosts inclusive;  // self and what it called
  bool operator==(const CallgrindFunctionCost&) const = default;
};

struct CallgrindEntry {
  Subject subject;
  EventCosts events;                                 // region totals (the whole program in program mode)
  std::string file;                                  // the callgrind.out file kprof wrote
  std::string pprof_file;                            // every event as pprof's profile.proto ("" in documents before it)
  std::vector<CallgrindFunctionCost> top_functions;  // by self cost of the first event, largest first
  // A kernel's region only (absent for a program):
  std::int64_t iterations = 1;
  int threads = 1;
  std::map<std::string, double> per_call;  // events / iterations
  double flops_per_call = 0;
  std::optional<double> ir_per_flop;  // when the family counts FLOPs
  double region_seconds_under_valgrind = 0;
  // The build whose region valgrind ran: "native" (the binary `kprof run` measures) or "avx2
  // (valgrind-safe)" (its flavour with Eigen compiled for AVX2, for a variant that needs AVX-512
  // natively; docs/CALLGRIND.md). Empty in documents before version 3.
  std::string build;
  // `--compare` checks each variant's output against its family's reference, as `kprof run` does
  // (absent when not checked): a wrong variant's counts are kept and shown, never ranked.
  std::optional<bool> matches_reference;
  std::string mismatch;  // the check's reason when it did not match

  // The first event per kernel call: per_call when written, else totals / iterations.
  std::optional<double> per_call_cost(const std::string& event) const;
  bool operator==(const CallgrindEntry&) const = default;
};

struct CallgrindSection {
  static constexpr std::string_view kName = "callgrind";
  // 2: `schema_version` written, `program` an argv array (1: a string); 3: a kernel's `build`.
  static constexpr int kVersion = 3;
  std::vector<CallgrindEntry> results;

  nlohmann::json to_json() const;
  static CallgrindSection from_json(const JsonField& j);
  bool operator==(const CallgrindSection&) const = default;
};

}  // namespace kprof
