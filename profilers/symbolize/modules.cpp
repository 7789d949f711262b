// The recorded module map as text (/proc/<pid>/maps, which gperftools appends to its profile) to
// the modules and load biases the symbolizer reports to libdwfl.
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <charconv>
#include <map>

#include "symbolize.h"

namespace kprof {
namespace {

std::uint64_t parse_hex(std::string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v, 16);
  return v;
}

// The first five space-separated fields of a maps line; `rest` is left at the path.
std::vector<std::string_view> leading_fields(std::string_view line, std::size_t& rest) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size() && fields.size() < 5) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t end = line.find(' ', i);
    if (end == std::string_view::npos) end = line.size();
    if (end > i) fields.push_back(line.substr(i, end - i));
    i = end;
  }
  while (i < line.size() && line[i] == ' ') ++i;
  rest = i;
  return fields;
}

// The address the ELF file's first loadable segment asks for (p_vaddr rounded down to its
// alignment, as the loader maps it); ok is false when the file is not a readable ELF. An ET_EXEC
// file is loaded where it asks: its bias is 0 whatever the map says.
struct ElfLoad {
  bool ok = false;
  bool fixed = false;  // ET_EXEC
  std::uint64_t first_vaddr = 0;
};

ElfLoad read_elf_load(const std::string& path) {
  ElfLoad load;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return load;
  elf_version(EV_CURRENT);
  if (Elf* e = elf_begin(fd, ELF_C_READ, nullptr)) {
    GElf_Ehdr h;
    std::size_t count = 0;
    if (gelf_getehdr(e, &h) != nullptr && elf_getphdrnum(e, &count) == 0) {
      load.fixed = h.e_type == ET_EXEC;
      for (std::size_t i = 0; i < count && !load.ok; ++i) {
        GElf_Phdr ph;
        if (gelf_getphdr(e, static_cast<int>(i), &ph) == nullptr || ph.p_type != PT_LOAD) continue;
        load.first_vaddr = ph.p_align > 1 ? ph.p_vaddr & ~(ph.p_align - 1) : ph.p_vaddr;
        load.ok = true;
      }
    }
    elf_end(e);
  }
  ::close(fd);
  return load;
}

}  // namespace

std::vector<MapEntry> parse_maps(std::string_view text) {
  // "start-end perms offset dev inode   path"
  std::vector<MapEntry> maps;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    std::size_t rest = 0;
    std::vector<std::string_view> fields = leading_fields(line, rest);
    if (fields.size() < 5) continue;
    std::size_t dash = fields[0].find('-');
    if (dash == std::string_view::npos || fields[1].size() < 4) continue;
    MapEntry m;
    m.start = parse_hex(fields[0].substr(0, dash));
    m.end = parse_hex(fields[0].substr(dash + 1));
    m.executable = fields[1][2] == 'x';
    m.offset = parse_hex(fields[2]);
    m.path = std::string(line.substr(rest));
    maps.push_back(std::move(m));
  }
  return maps;
}

std::vector<LoadedModule> modules_from_maps(const std::vector<MapEntry>& maps) {
  // Each file's first segment is mapped at the lowest start - offset of its mappings.
  std::map<std::string, std::uint64_t> mapped_at;
  std::map<std::string, bool> has_code;
  for (const auto& m : maps) {
    if (m.path.empty() || m.path.front() != '/') continue;  // anonymous, [stack], [vdso]
    if (m.executable) has_code[m.path] = true;
    std::uint64_t at = m.start - m.offset;
    auto it = mapped_at.find(m.path);
    if (it == mapped_at.end() || at < it->second) mapped_at[m.path] = at;
  }
  std::vector<LoadedModule> modules;
  for (const auto& [path, at] : mapped_at) {
    if (!has_code[path]) continue;
    ElfLoad load = read_elf_load(path);
    if (!load.ok) continue;
    modules.push_back({path, load.fixed ? 0 : at - load.first_vaddr});
  }
  return modules;
}

}  // namespace kprof
