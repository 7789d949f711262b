#include "symbolizer.h"

#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <cstdlib>
#include <cstring>

namespace kprof::memory {
namespace {

std::string demangle(const char* name) {
  if (!name) return "??";
  int status = 0;
  char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  if (status != 0 || !out) return name;
  std::string result = out;
  std::free(out);
  return result;
}

const Dwfl_Callbacks kOfflineCallbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = nullptr,
};

// The name of a subprogram or inlined subroutine DIE (following abstract_origin/specification).
std::string die_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  for (int name : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name}) {
    if (dwarf_attr_integrate(die, name, &attr))
      if (const char* s = dwarf_formstring(&attr)) return demangle(s);
  }
  if (dwarf_attr_integrate(die, DW_AT_name, &attr))
    if (const char* s = dwarf_formstring(&attr)) return s;
  return "??";
}

}  // namespace

struct Symbolizer::Snapshot {
  Dwfl* dwfl = nullptr;
  std::vector<TraceModule> modules;
  bool reported = false;
  ~Snapshot() {
    if (dwfl) dwfl_end(dwfl);
  }
  Dwfl* get() {
    if (reported) return dwfl;
    reported = true;
    dwfl = dwfl_begin(&kOfflineCallbacks);
    if (!dwfl) return nullptr;
    dwfl_report_begin(dwfl);
    for (const auto& m : modules) dwfl_report_elf(dwfl, m.path.c_str(), m.path.c_str(), -1, m.base, true);
    dwfl_report_end(dwfl, nullptr, nullptr);
    return dwfl;
  }
};

Symbolizer::Symbolizer() = default;
Symbolizer::~Symbolizer() = default;

void Symbolizer::add_module(std::uint32_t epoch, const TraceModule& module) {
  auto& s = snapshots_[epoch];
  if (!s) s = std::make_unique<Snapshot>();
  s->modules.push_back(module);
}

Symbolizer::Snapshot* Symbolizer::snapshot(std::uint32_t epoch) {
  auto it = snapshots_.find(epoch);
  return it == snapshots_.end() ? nullptr : it->second.get();
}

const std::vector<MemoryFrame>& Symbolizer::frames(std::uint32_t epoch, std::uint64_t return_address) {
  auto key = std::make_pair(epoch, return_address);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  return cache_[key] = resolve(epoch, return_address - 1);
}

std::vector<MemoryFrame> Symbolizer::resolve(std::uint32_t epoch, std::uint64_t pc) {
  // The snapshot current when the stack was recorded, then later ones, then earlier ones.
  std::vector<Snapshot*> order;
  for (auto it = snapshots_.lower_bound(epoch); it != snapshots_.end(); ++it) order.push_back(it->second.get());
  for (auto it = snapshots_.begin(); it != snapshots_.end() && it->first < epoch; ++it)
    order.push_back(it->second.get());

  for (Snapshot* s : order) {
    Dwfl* dwfl = s->get();
    if (!dwfl) continue;
    Dwfl_Module* mod = dwfl_addrmodule(dwfl, pc);
    if (!mod) continue;
    const char* module_path = dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    std::string module = module_path ? module_path : "";

    std::vector<MemoryFrame> frames;
    MemoryFrame innermost;
    innermost.module = module;
    innermost.address = pc + 1;
    innermost.function = demangle(dwfl_module_addrname(mod, pc));
    if (Dwfl_Line* line = dwfl_module_getsrc(mod, pc)) {
      int lineno = 0;
      if (const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr)) {
        innermost.file = file;
        innermost.line = lineno;
      }
    }

    // Inline expansion (as eu-addr2line -i): the innermost function-like scope at pc, then the
    // concrete scopes around it, each inlined subroutine saying where (call_file, call_line) the
    // enclosing function called it.
    Dwarf_Addr bias = 0;
    Dwarf_Die* cu = dwfl_module_addrdie(mod, pc, &bias);
    Dwarf_Die* scopes = nullptr;
    int n = cu ? dwarf_getscopes(cu, pc - bias, &scopes) : 0;
    Dwarf_Files* files = nullptr;
    if (cu && n > 0) dwarf_getsrcfiles(cu, &files, nullptr);
    MemoryFrame current = innermost;
    Dwarf_Die inlined{};
    bool has_inlined = false;
    for (int i = 0; i < n; ++i) {
      int tag = dwarf_tag(&scopes[i]);
      if (tag == DW_TAG_inlined_subroutine) {
        current.function = die_name(&scopes[i]);
        inlined = scopes[i];
        has_inlined = true;
        break;
      }
      if (tag == DW_TAG_subprogram) break;
    }
    std::free(scopes);
    scopes = nullptr;
    if (has_inlined) {
      Dwarf_Die* outer = nullptr;
      int m = dwarf_getscopes_die(&inlined, &outer);
      Dwarf_Die die = inlined;
      for (int i = 1; i < m; ++i) {
        int tag = dwarf_tag(&outer[i]);
        if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram) continue;
        frames.push_back(current);
        MemoryFrame caller;
        caller.module = module;
        caller.address = pc + 1;
        Dwarf_Attribute attr;
        Dwarf_Word value = 0;
        if (dwarf_attr(&die, DW_AT_call_line, &attr) && dwarf_formudata(&attr, &value) == 0)
          caller.line = static_cast<int>(value);
        if (files && dwarf_attr(&die, DW_AT_call_file, &attr) && dwarf_formudata(&attr, &value) == 0)
          if (const char* f = dwarf_filesrc(files, value, nullptr, nullptr)) caller.file = f;
        caller.function = tag == DW_TAG_subprogram ? innermost.function : die_name(&outer[i]);
        current = caller;
        if (tag == DW_TAG_subprogram) break;
        die = outer[i];
      }
      std::free(outer);
    }
    frames.push_back(current);
    return frames;
  }
  MemoryFrame unknown;
  unknown.function = "??";
  unknown.address = pc + 1;
  return {unknown};
}

bool is_runtime_frame(const MemoryFrame& f) {
  auto starts = [](const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; };
  if (starts(f.file, "/usr/include/") || starts(f.file, "/usr/lib/")) return true;
  if (f.module.find("libkprof_memory_preload") != std::string::npos) return true;
  if (f.file.find("/profilers/memory/") != std::string::npos) return true;
  if (starts(f.module, "/usr/lib/") || starts(f.module, "/lib/") || starts(f.module, "/lib64/")) return true;
  return false;
}

}  // namespace kprof::memory
