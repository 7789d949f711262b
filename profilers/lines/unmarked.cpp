#include "kprof/lines/unmarked.h"

#include <map>
#include <mutex>

namespace kprof::lines {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::map<std::uint32_t, std::string>> by_file;
};

// Function-local: the marked copies register during static initialisation, in any order.
Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

bool note_unmarked_lines(const char* file, std::initializer_list<UnmarkedSite> sites) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  auto& lines = r.by_file[file];
  for (const UnmarkedSite& s : sites) lines.emplace(s.line, s.why);
  return true;
}

std::vector<NotInstrumented> unmarked_lines(const std::string& file) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  std::vector<NotInstrumented> out;
  if (auto it = r.by_file.find(file); it != r.by_file.end())
    for (const auto& [line, why] : it->second) out.push_back({line, why});
  return out;
}

}  // namespace kprof::lines
