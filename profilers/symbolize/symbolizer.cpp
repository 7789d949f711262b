// Address -> frames with elfutils libdwfl: the symbol table for the function, the line table for
// file:line, and the DWARF scopes at the address for inlined calls (as eu-addr2line -i does).
#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <cstdlib>

#include "symbolize.h"

namespace kprof {
namespace {

std::string demangle(const char* name) {
  int status = 0;
  char* out = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string result = status == 0 && out ? out : name;
  std::free(out);
  return result;
}

// The name of a subprogram or inlined subroutine DIE (following abstract_origin/specification).
std::string die_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  for (int name : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name})
    if (dwarf_attr_integrate(die, name, &attr))
      if (const char* s = dwarf_formstring(&attr)) return demangle(s);
  if (dwarf_attr_integrate(die, DW_AT_name, &attr))
    if (const char* s = dwarf_formstring(&attr)) return s;
  return "";
}

std::string decl_file(Dwarf_Die* die) {
  const char* file = die ? dwarf_decl_file(die) : nullptr;
  return file ? file : "";
}

const Dwfl_Callbacks kOfflineCallbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
    .debuginfo_path = nullptr,
};

// file:line of `address` from the module's line table.
void source_line(Dwfl_Module* mod, Dwarf_Addr address, std::string& file, int& line) {
  Dwfl_Line* l = dwfl_module_getsrc(mod, address);
  if (l == nullptr) return;
  int lineno = 0;
  if (const char* src = dwfl_lineinfo(l, nullptr, &lineno, nullptr, nullptr, nullptr)) {
    file = src;
    line = lineno;
  }
}

// The frame of the function that holds `lookup` (its symbol and line), before inline expansion.
Frame function_frame(Dwfl_Module* mod, std::uint64_t address, Dwarf_Addr lookup) {
  Frame f;
  f.address = address;
  Dwarf_Addr start = 0;
  const char* path = dwfl_module_info(mod, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
  f.module = path ? path : "";
  Dwarf_Addr bias = 0;
  if (dwfl_module_getelf(mod, &bias) != nullptr) f.module_offset = lookup - bias;
  GElf_Off offset = 0;
  GElf_Sym sym;
  if (const char* name = dwfl_module_addrinfo(mod, lookup, &offset, &sym, nullptr, nullptr, nullptr)) {
    f.function = demangle(name);
    f.function_offset = offset;
    int ignored = 0;
    source_line(mod, lookup - offset, f.function_file, ignored);  // the function's first line
  }
  source_line(mod, lookup, f.file, f.line);
  return f;
}

// Frees dwarf_getscopes' array.
struct Scopes {
  Dwarf_Die* dies = nullptr;
  int count = 0;
  Scopes() = default;
  Scopes(const Scopes&) = delete;
  Scopes& operator=(const Scopes&) = delete;
  ~Scopes() { std::free(dies); }
};

// Where the inlined subroutine `die` was called from: DW_AT_call_file / DW_AT_call_line.
void call_site(Dwarf_Die* die, Dwarf_Files* files, Frame& caller) {
  Dwarf_Attribute attr;
  Dwarf_Word value = 0;
  if (dwarf_attr(die, DW_AT_call_line, &attr) && dwarf_formudata(&attr, &value) == 0)
    caller.line = static_cast<int>(value);
  if (files && dwarf_attr(die, DW_AT_call_file, &attr) && dwarf_formudata(&attr, &value) == 0)
    if (const char* file = dwarf_filesrc(files, value, nullptr, nullptr)) caller.file = file;
}

// The frames of `inlined` (the innermost inlined subroutine at the address) and of every scope
// it is inlined into, out to the function itself (`outermost`, which keeps its symbol's name).
std::vector<Frame> inline_chain(Dwarf_Die inlined, Dwarf_Files* files, const Frame& outermost) {
  std::vector<Frame> frames;
  Frame current = outermost;
  current.function = die_name(&inlined);
  current.function_file = decl_file(&inlined);
  current.inlined = true;
  Scopes outer;
  outer.count = dwarf_getscopes_die(&inlined, &outer.dies);
  Dwarf_Die callee = inlined;
  for (int i = 1; i < outer.count; ++i) {
    int tag = dwarf_tag(&outer.dies[i]);
    if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram) continue;  // lexical blocks
    frames.push_back(current);
    Frame caller = outermost;
    caller.file.clear();
    caller.line = 0;
    call_site(&callee, files, caller);
    if (tag == DW_TAG_subprogram) {
      if (caller.function.empty()) caller.function = die_name(&outer.dies[i]);
      if (caller.function_file.empty()) caller.function_file = decl_file(&outer.dies[i]);
      current = caller;
      break;
    }
    caller.function = die_name(&outer.dies[i]);
    caller.function_file = decl_file(&outer.dies[i]);
    caller.inlined = true;
    current = caller;
    callee = outer.dies[i];
  }
  frames.push_back(current);
  return frames;
}

// `function` (from function_frame) expanded into one frame per inlined call at `lookup`.
std::vector<Frame> expand_inlined_calls(Dwfl_Module* mod, Dwarf_Addr lookup, Frame function) {
  Dwarf_Addr bias = 0;
  Dwarf_Die* cu = dwfl_module_addrdie(mod, lookup, &bias);
  if (cu == nullptr) return {function};
  Scopes scopes;
  scopes.count = dwarf_getscopes(cu, lookup - bias, &scopes.dies);
  for (int i = 0; i < scopes.count; ++i) {
    int tag = dwarf_tag(&scopes.dies[i]);
    if (tag == DW_TAG_subprogram) {
      if (function.function.empty()) function.function = die_name(&scopes.dies[i]);
      if (function.function_file.empty()) function.function_file = decl_file(&scopes.dies[i]);
      break;
    }
    if (tag == DW_TAG_inlined_subroutine) {
      Dwarf_Files* files = nullptr;
      dwarf_getsrcfiles(cu, &files, nullptr);
      return inline_chain(scopes.dies[i], files, function);
    }
  }
  return {function};
}

// Code without a symbol is named by where it is: module + offset.
void name_unknown_code(std::vector<Frame>& frames) {
  for (Frame& f : frames)
    if (f.function.empty()) f.function = module_and_offset(f);
}

}  // namespace

// The modules loaded at one time, reported to libdwfl when first needed.
class Symbolizer::AddressSpace {
 public:
  ~AddressSpace() {
    if (dwfl_) dwfl_end(dwfl_);
  }
  void add(const LoadedModule& m) { modules_.push_back(m); }
  Dwfl_Module* module_at(Dwarf_Addr address) {
    Dwfl* dwfl = get();
    return dwfl ? dwfl_addrmodule(dwfl, address) : nullptr;
  }

 private:
  Dwfl* get() {
    if (reported_) return dwfl_;
    reported_ = true;
    dwfl_ = dwfl_begin(&kOfflineCallbacks);
    if (!dwfl_) return nullptr;
    dwfl_report_begin(dwfl_);
    // A module that cannot be read is left out (dwfl_report_elf returns null): its code is unknown.
    for (const auto& m : modules_) dwfl_report_elf(dwfl_, m.path.c_str(), m.path.c_str(), -1, m.bias, true);
    dwfl_report_end(dwfl_, nullptr, nullptr);
    return dwfl_;
  }
  std::vector<LoadedModule> modules_;
  Dwfl* dwfl_ = nullptr;
  bool reported_ = false;
};

Symbolizer::Symbolizer() = default;
Symbolizer::Symbolizer(const std::vector<LoadedModule>& modules) {
  for (const auto& m : modules) add_module(m);
}
Symbolizer::~Symbolizer() = default;

void Symbolizer::add_module(const LoadedModule& module, std::uint32_t epoch) {
  auto& space = spaces_[epoch];
  if (!space) space = std::make_unique<AddressSpace>();
  space->add(module);
}

const std::vector<Frame>& Symbolizer::frames(std::uint64_t address, AddressKind kind, std::uint32_t epoch) {
  auto key = std::make_tuple(epoch, address, kind);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  return cache_[key] = resolve(address, kind, epoch);
}

std::vector<Frame> Symbolizer::resolve(std::uint64_t address, AddressKind kind, std::uint32_t epoch) {
  const Dwarf_Addr lookup = kind == AddressKind::return_address ? address - 1 : address;
  // The map current when the address was recorded, then later ones, then earlier ones.
  std::vector<AddressSpace*> order;
  for (auto it = spaces_.lower_bound(epoch); it != spaces_.end(); ++it) order.push_back(it->second.get());
  for (auto it = spaces_.begin(); it != spaces_.end() && it->first < epoch; ++it) order.push_back(it->second.get());
  for (AddressSpace* space : order) {
    Dwfl_Module* mod = space->module_at(lookup);
    if (mod == nullptr) continue;
    std::vector<Frame> frames = expand_inlined_calls(mod, lookup, function_frame(mod, address, lookup));
    name_unknown_code(frames);
    return frames;
  }
  Frame unmapped;
  unmapped.address = address;
  unmapped.module_offset = lookup;
  std::vector<Frame> frames{unmapped};
  name_unknown_code(frames);
  return frames;
}

}  // namespace kprof
