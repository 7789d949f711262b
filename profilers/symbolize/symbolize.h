#pragma once
// The one symbol lookup of kprof (after Caliper's symbollookup service): addresses recorded by a
// collector become frames (kprof/frame.h) with elfutils libdwfl, from the module map the collector
// recorded, so it works after the profiled process has exited. Used by `kprof mem` (the trace's
// module snapshots) and `kprof cpu` (the /proc/<pid>/maps text gperftools appends to its profile).
//
//   kprof::Symbolizer sym(kprof::modules_from_maps(kprof::parse_maps(maps_text)));
//   for (const kprof::Frame& f : sym.frames(pc, kprof::AddressKind::pc)) ...  // innermost first
//
// One rule for return addresses: the caller says which addresses are return addresses (every
// frame of a stack but the interrupted one), and those are looked up at address - 1, the call
// instruction, so that they map to the call's line rather than the next one.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "kprof/frame.h"

namespace kprof {

// An ELF object loaded in the profiled process.
struct LoadedModule {
  std::string path;
  std::uint64_t bias = 0;  // run-time address minus the ELF's own address (dl_iterate_phdr's dlpi_addr)
};

// One line of /proc/<pid>/maps.
struct MapEntry {
  std::uint64_t start = 0, end = 0, offset = 0;
  bool executable = false;
  std::string path;  // "" for anonymous mappings
};

std::vector<MapEntry> parse_maps(std::string_view text);
// The files with an executable mapping, each with its load bias (read from its ELF program
// headers). Files that cannot be read are left out: their addresses show as unmapped code.
std::vector<LoadedModule> modules_from_maps(const std::vector<MapEntry>& maps);

enum class AddressKind {
  pc,              // the interrupted instruction itself (a sample's innermost frame)
  return_address,  // where a call returns to: looked up at address - 1
};

class Symbolizer {
 public:
  Symbolizer();
  explicit Symbolizer(const std::vector<LoadedModule>& modules);  // one map, epoch 0
  ~Symbolizer();
  Symbolizer(const Symbolizer&) = delete;
  Symbolizer& operator=(const Symbolizer&) = delete;

  // A module of the map recorded at `epoch` (a collector that records the map again after a
  // dlopen numbers its snapshots).
  void add_module(const LoadedModule& module, std::uint32_t epoch = 0);

  // The frames of one address, innermost first: the function the address is in, preceded by one
  // frame per inlined call it is inside of (each outer frame's line is the inlined call's). Never
  // empty. Looks in the map of `epoch` first, then in later and earlier ones (a stack recorded
  // before the first snapshot, a library unloaded before the last one). The reference stays
  // valid as long as the symbolizer.
  const std::vector<Frame>& frames(std::uint64_t address, AddressKind kind, std::uint32_t epoch = 0);

 private:
  class AddressSpace;
  std::vector<Frame> resolve(std::uint64_t address, AddressKind kind, std::uint32_t epoch);

  std::map<std::uint32_t, std::unique_ptr<AddressSpace>> spaces_;
  std::map<std::tuple<std::uint32_t, std::uint64_t, AddressKind>, std::vector<Frame>> cache_;
};

}  // namespace kprof
