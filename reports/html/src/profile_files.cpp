#include "profile_files.h"

#include <system_error>

namespace kprof::html {

std::optional<std::filesystem::path> find_named_file(const std::filesystem::path& dir, const std::string& document,
                                                     const std::string& named) {
  namespace fs = std::filesystem;
  if (named.empty()) return std::nullopt;
  const fs::path path(named);
  const fs::path candidates[] = {path.is_absolute() ? path : dir / path,
                                 dir / fs::path(document).parent_path() / path.filename()};
  std::error_code ec;
  for (const fs::path& candidate : candidates)
    if (fs::is_regular_file(candidate, ec)) return candidate;
  return std::nullopt;
}

}  // namespace kprof::html
