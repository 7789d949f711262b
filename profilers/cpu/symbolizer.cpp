#include "symbolizer.h"

#include <cxxabi.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>

namespace kprof {
namespace {

std::string demangle(const char* name) {
  if (name == nullptr) return "";
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string out = status == 0 && d ? d : name;
  std::free(d);
  return out;
}

bool is_exec_type(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return false;
  elf_version(EV_CURRENT);
  bool exec = false;
  if (Elf* e = elf_begin(fd, ELF_C_READ, nullptr)) {
    GElf_Ehdr h;
    if (gelf_getehdr(e, &h) != nullptr) exec = h.e_type == ET_EXEC;
    elf_end(e);
  }
  ::close(fd);
  return exec;
}

}  // namespace

struct Symbolizer::Impl {
  Dwfl_Callbacks callbacks{};
  Dwfl* dwfl = nullptr;
  char* debuginfo_path = nullptr;
};

Symbolizer::Symbolizer(const std::vector<MapEntry>& maps) : impl_(std::make_unique<Impl>()) {
  impl_->callbacks.find_elf = dwfl_build_id_find_elf;
  impl_->callbacks.find_debuginfo = dwfl_standard_find_debuginfo;
  impl_->callbacks.section_address = dwfl_offline_section_address;
  impl_->callbacks.debuginfo_path = &impl_->debuginfo_path;
  impl_->dwfl = dwfl_begin(&impl_->callbacks);
  if (impl_->dwfl == nullptr) return;
  // Each file's load address: the start of its mapping at file offset 0 (its first PT_LOAD).
  std::map<std::string, std::uint64_t> base;
  std::map<std::string, bool> has_exec;
  for (const auto& m : maps) {
    if (m.path.empty() || m.path.front() != '/') continue;
    if (m.executable) has_exec[m.path] = true;
    auto it = base.find(m.path);
    std::uint64_t b = m.start - m.offset;
    if (it == base.end() || b < it->second) base[m.path] = b;
  }
  dwfl_report_begin(impl_->dwfl);
  for (const auto& [path, b] : base) {
    if (!has_exec[path]) continue;
    dwfl_report_elf(impl_->dwfl, path.c_str(), path.c_str(), -1, is_exec_type(path) ? 0 : b, false);
  }
  dwfl_report_end(impl_->dwfl, nullptr, nullptr);
}

Symbolizer::~Symbolizer() {
  if (impl_->dwfl != nullptr) dwfl_end(impl_->dwfl);
}

const SourceFrame& Symbolizer::lookup(std::uint64_t pc) {
  auto [it, fresh] = cache_.try_emplace(pc);
  SourceFrame& f = it->second;
  if (!fresh) return f;
  f.address = pc;
  Dwfl_Module* mod = impl_->dwfl ? dwfl_addrmodule(impl_->dwfl, pc) : nullptr;
  if (mod == nullptr) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(pc));
    f.function = buf;
    return f;
  }
  const char* mainfile = nullptr;
  const char* modname = dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &mainfile, nullptr);
  f.object = mainfile ? mainfile : (modname ? modname : "");
  GElf_Off offset = 0;
  GElf_Sym sym;
  const char* name = dwfl_module_addrinfo(mod, pc, &offset, &sym, nullptr, nullptr, nullptr);
  if (name != nullptr) {
    f.function = demangle(name);
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(pc));
    f.function = buf;
  }
  auto source_of = [&](std::uint64_t addr, std::string& file, std::int64_t* line) {
    if (Dwfl_Line* l = dwfl_module_getsrc(mod, addr)) {
      int lineno = 0;
      const char* src = dwfl_lineinfo(l, nullptr, &lineno, nullptr, nullptr, nullptr);
      if (src != nullptr) file = src;
      if (line != nullptr) *line = lineno;
    }
  };
  source_of(pc, f.file, &f.line);
  if (name != nullptr) source_of(pc - offset, f.function_file, nullptr);
  if (f.function_file.empty()) f.function_file = f.file.empty() ? f.object : f.file;
  return f;
}

}  // namespace kprof
